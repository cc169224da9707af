"""Per-unit value of insurance policies (aum_engine.insurance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aum_engine.insurance import (
    INSURANCE_REASONS,
    completed_policy_years,
    insurance_unit_value,
)


def value_on(days, start, basis, cash_values=None, premium=np.nan, years=np.nan, ident="P"):
    d = np.atleast_1d(np.array(days, dtype="datetime64[D]"))
    n = d.size
    return insurance_unit_value(
        d,
        np.full(n, ident, dtype=object),
        np.full(n, np.datetime64(start, "D")),
        np.full(n, premium, dtype=float),
        np.full(n, years, dtype=float),
        basis,
        cash_values,
    )


def table(ident: str, values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "instrument_id": [ident] * len(values),
            "policy_year": list(values),
            "cash_value": list(values.values()),
        }
    )


# -------------------------------------------------------------------------- anniversaries
@pytest.mark.parametrize(
    ("d", "expected"),
    [
        ("2024-02-29", 0),
        ("2025-02-27", 0),
        ("2025-02-28", 1),  # 29 Feb anniversary falls on 28 Feb in a common year
        ("2027-02-28", 3),
        ("2028-02-28", 3),  # ... but on 29 Feb in a leap year
        ("2028-02-29", 4),
        ("2024-02-28", -1),  # before the start
    ],
)
def test_completed_policy_years_from_29_february(d, expected):
    got = completed_policy_years(
        np.array([d], dtype="datetime64[D]"), np.array(["2024-02-29"], dtype="datetime64[D]")
    )
    assert got[0] == expected


# ---------------------------------------------------------------------- cash_value basis
def test_linear_interpolation_by_days():
    # Start 15 Mar 2023; year 1 = 1000 on 15 Mar 2024, year 2 = 2100 on 15 Mar 2025.
    cv = table("P", {1: 1000.0, 2: 2100.0})
    value, reason = value_on(
        ["2023-03-15", "2023-09-15", "2024-03-15", "2024-09-15", "2025-03-15"],
        "2023-03-15",
        "cash_value",
        cv,
    )
    assert list(reason) == [None] * 5
    # 15 Mar -> 15 Sep 2023 = 184 days of the 366-day first year (it contains 29 Feb 2024):
    #   1000 x 184 / 366 = 502.732...
    # 15 Mar -> 15 Sep 2024 = 184 days of the 365-day second year:
    #   1000 + 1100 x 184 / 365 = 1554.520...
    assert value == pytest.approx(
        [0.0, 1000 * 184 / 366, 1000.0, 1000 + 1100 * 184 / 365, 2100.0], abs=1e-9
    )


def test_29_february_start():
    # Start 29 Feb 2024; anniversaries 28 Feb 2025 (year 1), 28 Feb 2026, 28 Feb 2027,
    # 29 Feb 2028. Cash values: year 1 = 365, year 2 = 730 (1 per day for easy checking).
    cv = table("P", {1: 365.0, 2: 730.0})
    days = [
        "2024-02-29",
        "2024-08-29",
        "2025-02-28",
        "2025-03-01",
        "2026-02-27",
        "2026-02-28",
        "2027-03-01",
    ]
    value, _ = value_on(days, "2024-02-29", "cash_value", cv)
    # 29 Feb -> 29 Aug 2024 = 182 days of 365 (29 Feb 2024 -> 28 Feb 2025): 365 x 182/365
    # 28 Feb 2025 -> 1 Mar 2025: 1 day of 365 (to 28 Feb 2026): 365 + 365 x 1/365 = 366
    # 27 Feb 2026: 364 days into year 2: 365 + 364 = 729; then flat at 730 after year 2
    assert value == pytest.approx([0.0, 182.0, 365.0, 366.0, 729.0, 730.0, 730.0], abs=1e-9)


def test_missing_years_interpolate_between_listed_anniversaries():
    # Start 1 Jan 2021; years 1 and 3 listed (100, 400), year 2 missing (and year 4 has a
    # null value): 1 Jan 2022 -> 1 Jan 2024 = 365 + 365 = 730 days.
    cv = pd.DataFrame(
        {"instrument_id": ["P"] * 3, "policy_year": [1, 3, 4], "cash_value": [100.0, 400.0, None]}
    )
    value, _ = value_on(
        ["2022-01-01", "2023-01-01", "2023-07-02", "2024-01-01", "2030-05-05"],
        "2021-01-01",
        "cash_value",
        cv,
    )
    # 1 Jan 2023: 365/730 of the way -> 250; 2 Jul 2023: 365 + 182 = 547 days ->
    # 100 + 300 x 547 / 730; flat at 400 after the last listed year (year 4 is null)
    assert value == pytest.approx([100.0, 250.0, 100 + 300 * 547 / 730, 400.0, 400.0], abs=1e-9)


def test_first_listed_year_after_a_gap_interpolates_from_zero():
    # only year 2 listed (500): 0 at start 1 Jan 2021 -> 500 on 1 Jan 2023 (730 days)
    value, _ = value_on(["2022-01-01"], "2021-01-01", "cash_value", table("P", {2: 500.0}))
    assert value[0] == pytest.approx(500 * 365 / 730, abs=1e-9)


def test_several_instruments_and_arrow_table():
    cv = pd.concat([table("A", {1: 100.0}), table("B", {1: 50.0, 2: 80.0})])
    d = np.array(["2021-07-02", "2022-07-02", "2022-07-02", "2021-07-02"], dtype="datetime64[D]")
    ids = np.array(["A", "A", "B", "C"], dtype=object)
    start = np.full(4, np.datetime64("2021-01-01"))
    nan = np.full(4, np.nan)
    for source in (cv, pa.Table.from_pandas(cv, preserve_index=False)):
        value, reason = insurance_unit_value(d, ids, start, nan, nan, "cash_value", source)
        # A: 182/365 of 100; A after its last year: 100; B: 50 + 30 x 182/365; C: no rows
        assert value[:3] == pytest.approx([100 * 182 / 365, 100.0, 50 + 30 * 182 / 365])
        assert list(reason) == [None, None, None, "missing_cash_values"]


def test_invalid_cash_value_tables_raise():
    d = np.array(["2022-01-01"], dtype="datetime64[D]")
    args = (d, np.array(["P"], dtype=object), d - 400, [np.nan], [np.nan], "cash_value")
    with pytest.raises(ValueError, match="duplicate"):
        insurance_unit_value(*args, pd.concat([table("P", {1: 1.0})] * 2))
    with pytest.raises(ValueError, match="policy_year"):
        insurance_unit_value(*args, table("P", {0: 1.0}))
    with pytest.raises(ValueError, match="lacks"):
        insurance_unit_value(*args, table("P", {1: 1.0}).drop(columns="cash_value"))


# -------------------------------------------------------------------- premium_paid basis
def test_premium_paid_counts_due_premiums_with_cap():
    days = ["2020-06-30", "2021-06-29", "2021-06-30", "2022-06-30", "2030-01-01"]
    # one premium due at the start, one on each anniversary (30 June), capped at 2 years
    value, reason = value_on(days, "2020-06-30", "premium_paid", premium=1200.0, years=2)
    assert list(reason) == [None] * 5
    assert value.tolist() == [1200.0, 1200.0, 2400.0, 2400.0, 2400.0]
    # null premium_years: no cap; by 1 Jan 2030 the anniversaries 30 Jun 2021..2029 (9) have
    # passed, plus the premium due at the start = 10 premiums
    value, _ = value_on(days, "2020-06-30", "premium_paid", premium=1200.0)
    assert value.tolist() == [1200.0, 1200.0, 2400.0, 3600.0, 12000.0]


def test_premium_paid_29_february_start():
    # anniversaries 28 Feb 2025, 28 Feb 2026: the second premium is due on 28 Feb 2025
    value, _ = value_on(
        ["2025-02-27", "2025-02-28"], "2024-02-29", "premium_paid", premium=100.0, years=5
    )
    assert value.tolist() == [100.0, 200.0]


# ------------------------------------------------------------------------------- reasons
def test_reasons_and_precedence():
    cv = table("P", {1: 100.0})
    d = np.full(7, np.datetime64("2022-01-01"))
    ids = np.array(["P", "P", "Q", "P", "P", "P", "P"], dtype=object)
    start = np.array(
        ["2021-01-01", "NaT", "2021-01-01", "2021-01-01", "2023-01-01", "2023-01-01", "NaT"],
        dtype="datetime64[D]",
    )
    premium = np.array([1.0, 1.0, 1.0, np.nan, 1.0, np.nan, 1.0])
    basis = np.array(
        [
            "cash_value",
            "cash_value",
            "cash_value",
            "premium_paid",
            "cash_value",
            "premium_paid",
            "surrender",
        ],
        dtype=object,
    )
    value, reason = insurance_unit_value(d, ids, start, premium, np.full(7, np.nan), basis, cv)
    assert list(reason) == [
        None,
        "missing_start_date",
        "missing_cash_values",
        "missing_premium_terms",
        "policy_not_started",
        "missing_premium_terms",  # data problems are reported before timing
        "unknown_insurance_basis",
    ]
    assert value[0] == pytest.approx(100.0) and np.isnan(value[1:]).all()
    assert set(INSURANCE_REASONS) == {r for r in reason if r}


def test_cash_value_basis_without_table():
    value, reason = value_on(["2022-01-01"], "2021-01-01", "cash_value", None)
    assert np.isnan(value[0]) and reason[0] == "missing_cash_values"


# ------------------------------------------------------------------------------ property
@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, 3000),
    increments=st.lists(st.floats(0.0, 1e4, allow_nan=False), min_size=1, max_size=8),
    listed=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_property_monotone_between_zero_and_last_value(start, increments, listed):
    s = np.datetime64("2016-01-01") + start
    values = np.cumsum(increments)
    years = [y + 1 for y in range(len(values)) if listed[y]] or [len(values)]
    cv = table("P", {y: float(values[y - 1]) for y in years})
    days = np.arange(s, s + 366 * (len(values) + 2), 3)
    value, reason = value_on(days, s, "cash_value", cv)
    assert all(r is None for r in reason)
    assert (np.diff(value) >= -1e-9).all()
    assert value.min() >= 0.0 and value.max() <= values[years[-1] - 1] + 1e-9
    # listed anniversaries carry their listed value exactly
    anniversaries = np.array(
        [pd.Timestamp(s) + pd.DateOffset(years=y) for y in years], dtype="datetime64[D]"
    )
    got, _ = value_on(anniversaries, s, "cash_value", cv)
    assert got == pytest.approx([values[y - 1] for y in years], abs=1e-9)
