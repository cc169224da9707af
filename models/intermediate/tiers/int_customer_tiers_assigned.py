"""Grain: customer_id, month_start (evaluation month).

The stateful tier rule of docs/tiers.md#monthly-evaluation (upgrade at once; downgrade only
after the held tier's grace months), vectorised across customers by
aum_engine.tiers.assign_tiers, which loops over months only. Published through the contracted
SQL mart fct_customer_tiers_monthly.
"""

import numpy as np
import pyarrow as pa

from aum_engine.tiers import assign_tiers

# Explicit types, so that a window without any complete month still gives a typed empty table.
SCHEMA = pa.schema(
    [
        ("customer_id", pa.string()),
        ("month_start", pa.date32()),
        ("tier_basis_aum", pa.float64()),
        ("qualified_tier", pa.string()),
        ("assigned_tier", pa.string()),
        ("previous_tier", pa.string()),
        ("tier_change", pa.string()),
        ("months_below_tier", pa.int32()),
        ("is_watch", pa.bool_()),
    ]
)


def model(dbt, session):
    dbt.config(materialized="table")
    inputs = dbt.ref("int_customer_tier_inputs").arrow().read_all()
    ladder = dbt.ref("aum_tiers").arrow().read_all().to_pandas()
    ladder["min_aum"] = ladder["min_aum"].astype("float64")

    month_start = (
        inputs.column("month_start").to_numpy(zero_copy_only=False).astype("datetime64[D]")
    )
    assigned = assign_tiers(
        customer_id=np.asarray(inputs.column("customer_id").to_pylist(), dtype=object),
        month_start=month_start,
        tier_basis_aum=inputs.column("tier_basis_aum").to_numpy(zero_copy_only=False),
        is_evaluated=np.ones(inputs.num_rows, dtype=bool),
        ladder=ladder,
    )
    assigned["month_start"] = assigned["month_start"].astype("datetime64[s]")
    return pa.Table.from_pandas(assigned[SCHEMA.names], preserve_index=False).cast(SCHEMA)
