"""End to end: exact and reproducible figures on a generated book (300 customers, 150 days).

- Two builds of the same raw folder into empty warehouses give identical marts, mart by mart
  (sums are exact DECIMAL arithmetic, so no figure depends on the order threads add rows in).
- The daily flow split agrees with an independent computation of the rules of
  docs/marts.md#the-flow-split from the unrounded holding values (quantity x unit_value x
  fx_rate), to 1e-4 on every customer-day, and the monthly split to 1e-4 on every
  customer-month: each is computed from unrounded values and rounded once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dbt_runner import dbt
from test_e2e_bad_input import marts_fingerprint

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("exact")
    raw = root / "raw"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("aum-generate-sample")),
            "--out",
            str(raw),
            "--customers",
            "300",
            "--days",
            "150",
            "--quiet",
        ],
        check=True,
    )
    builds = []
    for name in ("first", "second"):
        result = dbt(["build", "--exclude-resource-type", "unit_test"], root / name, raw=raw)
        assert result.returncode == 0, result.output[-3000:]
        builds.append(result)
    return builds


def test_two_full_builds_give_identical_marts(two_builds):
    first, second = (marts_fingerprint(b.warehouse) for b in two_builds)
    assert first == second


@pytest.fixture(scope="module")
def exact_daily_flows(two_builds):
    """The daily flow split per customer-day, computed here from the unrounded holding values."""
    built = two_builds[0]
    holdings = built.frame("""
        select v.valuation_date as d, v.account_id, v.instrument_id, v.quantity, v.is_valued,
               v.quantity * v.unit_value * v.fx_rate as value
        from marts.fct_holding_valuations_daily v
        where v.include_in_financial_aum""")
    owners = built.frame(
        "select account_id, customer_id, ownership_share from intermediate.int_holding_owners"
    )
    window_start = holdings["d"].min()
    holdings = holdings.sort_values(["account_id", "instrument_id", "d"])
    key = ["account_id", "instrument_id"]
    prev = holdings.groupby(key).shift(1)
    held_before = (prev["d"] == holdings["d"] - np.timedelta64(1, "D")).fillna(False)
    valued, was_valued = holdings["is_valued"], prev["is_valued"].fillna(False).astype(bool)
    both = held_before & valued & was_valued
    unit = holdings["value"] / holdings["quantity"]
    market = np.where(both, prev["quantity"] * unit - prev["value"], 0.0)
    flow = np.where(
        both,
        holdings["value"] - prev["quantity"] * unit,
        np.where(valued & ~held_before, holdings["value"], 0.0),
    )
    valuation = np.where(
        held_before & valued & ~was_valued,
        holdings["value"],
        np.where(held_before & ~valued & was_valued, -prev["value"], 0.0),
    )
    first_day = holdings["d"] == window_start
    holdings = holdings.assign(
        market=np.where(first_day, 0, market),
        flow=np.where(first_day, 0, flow),
        valuation=np.where(first_day, 0, valuation),
    )
    # an exit: valued on d and not held on d+1 books -value on d+1
    nxt = holdings.groupby(key).shift(-1)
    window_end = holdings["d"].max()
    exits = holdings[
        valued & (nxt["d"] != holdings["d"] + np.timedelta64(1, "D")) & (holdings["d"] < window_end)
    ]
    exits = exits.assign(
        d=exits["d"] + np.timedelta64(1, "D"), market=0.0, flow=-exits["value"], valuation=0.0
    )
    terms = pd.concat([holdings, exits]).merge(owners, on="account_id")
    for column in ("market", "flow", "valuation"):
        terms[column] = terms[column] * terms["ownership_share"]
    return terms.groupby(["customer_id", "d"])[["market", "flow", "valuation"]].sum()


def test_flow_split_is_exact_to_1e_4(two_builds, exact_daily_flows):
    built, expected = two_builds[0], exact_daily_flows
    published = built.frame("""
        select customer_id, as_of_date as d, cast(market_effect as double) as market,
               cast(net_flow as double) as flow, cast(valuation_effect as double) as valuation
        from marts.fct_customer_assets_daily""").set_index(["customer_id", "d"])
    joined = published.join(expected.add_suffix("_exact"), how="left").fillna(0.0)
    assert len(joined) > 10_000
    for column in ("market", "flow", "valuation"):
        error = (joined[column] - joined[f"{column}_exact"]).abs()
        assert error.max() <= 1e-4 + 1e-9, (column, error.max(), int((error > 1e-4).sum()))
    # the book moves: the check compares real flows, not zeros
    assert (joined["market_exact"].abs() > 1).sum() > 1000
    assert (joined["flow_exact"].abs() > 1).sum() > 100


def test_monthly_flows_are_exact_to_1e_4(two_builds, exact_daily_flows):
    """The monthly split is the exact sum of the unrounded daily terms, rounded once (a sum of
    the published 4-decimal days was up to 0.0015 off)."""
    built = two_builds[0]
    daily = exact_daily_flows.reset_index()
    daily["month_start"] = daily["d"].dt.to_period("M").dt.to_timestamp()
    expected = daily.groupby(["customer_id", "month_start"])[["market", "flow", "valuation"]].sum()
    published = built.frame("""
        select customer_id, month_start, cast(market_effect as double) as market,
               cast(net_flow as double) as flow, cast(valuation_effect as double) as valuation
        from marts.fct_customer_assets_monthly""")
    published["month_start"] = pd.to_datetime(published["month_start"])
    joined = (
        published.set_index(["customer_id", "month_start"])
        .join(expected.add_suffix("_exact"), how="left")
        .fillna(0.0)
    )
    assert len(joined) > 1000
    for column in ("market", "flow", "valuation"):
        error = (joined[column] - joined[f"{column}_exact"]).abs()
        assert error.max() <= 1e-4 + 1e-9, (column, error.max(), int((error > 1e-4).sum()))
    assert (joined["market_exact"].abs() > 1).sum() > 500
