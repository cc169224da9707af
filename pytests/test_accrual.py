"""Simple-interest accrual of time deposits and expected-yield products (aum_engine.accrual)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aum_engine.accrual import ACCRUAL_REASONS, accrual_fraction
from aum_engine.daycount import year_fraction


def frac(d, start, maturity, rate, day_count):
    """Our function for one product over one or more valuation days."""
    d = np.atleast_1d(np.array(d, dtype="datetime64[D]"))
    n = d.size
    return accrual_fraction(
        d,
        np.full(n, np.datetime64(start, "D")),
        np.full(n, np.datetime64(maturity, "D")),
        np.full(n, rate, dtype=float),
        np.full(n, day_count, dtype=object),
    )


def one(d, start, maturity, rate, day_count) -> float:
    value, reason = frac(d, start, maturity, rate, day_count)
    assert reason[0] is None
    return float(value[0])


# A 3% deposit from 1 Jan 2024 to 1 Jul 2024, valued on 1 Apr 2024:
# actual days 31 (Jan) + 29 (Feb) + 31 (Mar) = 91; 30/360 days 3 x 30 = 90.
DEPOSIT = ("2024-01-01", "2024-07-01", 0.03)


@pytest.mark.parametrize(
    ("day_count", "expected"),
    [
        ("ACT/360", 0.03 * 91 / 360),  # 0.0075833...
        ("ACT/365F", 0.03 * 91 / 365),  # 0.0074794...
        ("30/360", 0.03 * 90 / 360),  # 0.0075
        ("30E/360", 0.03 * 90 / 360),
    ],
)
def test_each_day_count_by_hand(day_count, expected):
    assert one("2024-04-01", *DEPOSIT, day_count) == pytest.approx(expected, abs=1e-15)


def test_thirty_360_month_end_variants():
    # 15 Jan -> 31 Mar 2024: bond basis keeps d2 = 31 (d1 < 30): 60 + 16 = 76 days;
    # European turns d2 into 30: 75 days
    assert one("2024-03-31", "2024-01-15", "2024-12-31", 0.036, "30/360") == pytest.approx(
        0.036 * 76 / 360, abs=1e-15
    )
    assert one("2024-03-31", "2024-01-15", "2024-12-31", 0.036, "30E/360") == pytest.approx(
        0.036 * 75 / 360, abs=1e-15
    )


def test_no_accrual_before_or_on_start():
    value, reason = frac(["2023-12-01", "2024-01-01"], *DEPOSIT, "ACT/365F")
    assert value.tolist() == [0.0, 0.0]
    assert list(reason) == [None, None]


def test_capped_at_maturity():
    # 1 Jan -> 1 Jul 2024 = 182 days; later days keep the maturity value
    value, _ = frac(["2024-07-01", "2024-07-02", "2025-03-01"], *DEPOSIT, "ACT/365F")
    assert value == pytest.approx([0.03 * 182 / 365] * 3, abs=1e-15)


def test_open_ended_without_maturity():
    # demand-like product with no maturity: accrues to d; 1 Jan 2024 -> 1 Jan 2025 = 366 days
    value, reason = accrual_fraction(
        np.array(["2025-01-01"], dtype="datetime64[D]"),
        np.array(["2024-01-01"], dtype="datetime64[D]"),
        np.array(["NaT"], dtype="datetime64[D]"),
        np.array([0.02]),
        np.array(["ACT/360"], dtype=object),
    )
    assert reason[0] is None
    assert value[0] == pytest.approx(0.02 * 366 / 360, abs=1e-15)


def test_maturity_before_start_gives_zero_not_negative():
    assert one("2024-06-01", "2024-03-01", "2024-02-01", 0.03, "ACT/360") == 0.0


def test_reasons_and_precedence():
    nat = np.datetime64("NaT")
    s, m = np.datetime64("2024-01-01"), np.datetime64("2024-07-01")
    rows = [
        ((s, m, np.nan, "ACT/360"), "missing_rate"),
        ((nat, m, 0.03, "ACT/360"), "missing_start_date"),
        ((s, m, 0.03, "ACT/ACT-ICMA"), "unsupported_day_count_for_accrual"),
        ((s, m, 0.03, "ACT/365"), "unknown_day_count"),
        ((s, m, 0.03, None), "unknown_day_count"),
        ((nat, m, np.nan, "ACT/ACT-ICMA"), "missing_rate"),  # first failing check wins
        ((s, m, 0.03, "ACT/360"), None),
    ]
    start, maturity, rate, dc = (list(c) for c in zip(*(r for r, _ in rows), strict=True))
    d = np.full(len(rows), np.datetime64("2024-04-01"))
    value, reason = accrual_fraction(
        d,
        np.array(start, dtype="datetime64[D]"),
        np.array(maturity, dtype="datetime64[D]"),
        np.array(rate),
        pd.Series(dc, dtype=object),
    )
    assert list(reason) == [r for _, r in rows]
    assert np.isnan(value[:-1]).all() and value[-1] == pytest.approx(0.03 * 91 / 360)
    assert set(ACCRUAL_REASONS) == {r for _, r in rows if r}


def test_icma_rejected_even_before_start():
    value, reason = frac(["2023-06-01", "2024-03-01"], *DEPOSIT, "ACT/ACT-ICMA")
    assert np.isnan(value).all()
    assert list(reason) == ["unsupported_day_count_for_accrual"] * 2


@settings(max_examples=100, deadline=None)
@given(
    start=st.integers(0, 3000),
    term=st.integers(1, 1500),
    rate=st.floats(0.0, 0.2, allow_nan=False),
    day_count=st.sampled_from(["ACT/360", "ACT/365F", "30/360", "30E/360"]),
)
def test_property_monotone_and_capped(start, term, rate, day_count):
    s = np.datetime64("2020-01-01") + start
    m = s + term
    days = np.arange(s - 10, m + 10)
    value, reason = frac(days, s, m, rate, day_count)
    assert all(r is None for r in reason)
    assert (value[days <= s] == 0.0).all()
    assert (np.diff(value) >= -1e-15).all()
    full = rate * year_fraction(np.array([s]), np.array([m]), day_count)[0]
    assert value[days >= m] == pytest.approx(np.full((days >= m).sum(), full), abs=1e-15)
