"""Grain: instrument_id, date_day, for instruments valued by `bond`, `accrual` or `insurance`.

Per-unit schedule values that are hard in SQL, computed at instrument x day (not holding x day)
by the aum_engine package and joined back to holdings in SQL:
- accrued_interest_per_100: bond accrued interest per 100 face (coupon schedule + day count);
- accrual_fraction: rate x DCF(start_date, min(day, maturity_date)) for accrual products;
- insurance_unit_value: cash value (or premiums paid) of one policy unit, by var insurance_basis;
- schedule_exception_reason: why the instrument cannot be valued that day (null when it can).
"""

import numpy as np
import pyarrow as pa

from aum_engine.accrual import accrual_fraction
from aum_engine.bonds import bond_accrued_per_100
from aum_engine.insurance import insurance_unit_value


def _col(table: pa.Table, name: str) -> np.ndarray:
    """A column as numpy (dates as datetime64[D], nulls as NaT/NaN)."""
    column = table.column(name)
    if pa.types.is_date(column.type):
        return column.cast(pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        return column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    return np.asarray(column.to_pylist(), dtype=object)


def model(dbt, session):
    dbt.config(materialized="table")
    basis = dbt.config.get("insurance_basis")

    instruments = (
        dbt.ref("int_instruments_enriched")
        .filter("valuation_method in ('bond', 'accrual', 'insurance')")
        .arrow()
        .read_all()
    )
    days = _col(dbt.ref("int_calendar_days").arrow().read_all(), "date_day")
    cash_values = (
        dbt.ref("stg_raw__insurance_cash_values")
        .filter("row_issue is null")
        .arrow()
        .read_all()
        .to_pandas()
    )

    n_inst, n_days = instruments.num_rows, len(days)
    # instrument x day, as whole columns: each instrument attribute repeated over the days
    idx = np.repeat(np.arange(n_inst), n_days)
    d = np.tile(days, n_inst)

    def rep(name):
        return _col(instruments, name)[idx]

    method = rep("valuation_method")
    n = len(d)
    accrued_100 = np.full(n, np.nan)
    fraction = np.full(n, np.nan)
    unit_value = np.full(n, np.nan)
    reason = np.full(n, None, dtype=object)
    start, maturity, rate = rep("start_date"), rep("maturity_date"), rep("rate")
    day_count = rep("effective_day_count")

    bond = method == "bond"
    if bond.any():
        accrued_100[bond], reason[bond] = bond_accrued_per_100(
            d[bond],
            start[bond],
            maturity[bond],
            rate[bond],
            rep("coupon_frequency")[bond],
            day_count[bond],
        )

    accrual = method == "accrual"
    if accrual.any():
        fraction[accrual], reason[accrual] = accrual_fraction(
            d[accrual], start[accrual], maturity[accrual], rate[accrual], day_count[accrual]
        )

    insurance = method == "insurance"
    if insurance.any():
        unit_value[insurance], reason[insurance] = insurance_unit_value(
            d[insurance],
            rep("instrument_id")[insurance],
            start[insurance],
            rep("annual_premium")[insurance],
            rep("premium_years")[insurance],
            basis,
            cash_values=cash_values,
        )

    return pa.table(
        {
            "instrument_id": pa.array(rep("instrument_id"), type=pa.string()),
            "date_day": pa.array(d, type=pa.date32()),
            "accrued_interest_per_100": pa.array(accrued_100, from_pandas=True),
            "accrual_fraction": pa.array(fraction, from_pandas=True),
            "insurance_unit_value": pa.array(unit_value, from_pandas=True),
            "schedule_exception_reason": pa.array(reason, type=pa.string()),
        }
    )
