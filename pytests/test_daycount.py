"""Day-count fractions and month arithmetic (aum_engine.daycount)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import QuantLib as ql

from aum_engine.daycount import (
    DAY_COUNTS,
    add_months,
    to_datetime64d,
    to_float64,
    to_object_str,
    year_fraction,
)


def D(*isos: str) -> np.ndarray:
    return np.array(isos, dtype="datetime64[D]")


def qdate(day: np.datetime64) -> ql.Date:
    y, m, d = (int(p) for p in str(day).split("-"))
    return ql.Date(d, m, y)


# ------------------------------------------------------------------------------- add_months
@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2024-08-31", -6, "2024-02-29"),  # leap February: clipped to 29
        ("2025-08-31", -6, "2025-02-28"),  # common February: clipped to 28
        ("2024-02-29", 12, "2025-02-28"),  # 29 Feb anniversary in a common year
        ("2024-02-29", 48, "2028-02-29"),  # ... and in the next leap year
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-05-31", 1, "2024-06-30"),
        ("2025-02-28", 6, "2025-08-28"),  # no end-of-month rule: 28 stays 28
        ("2024-01-15", 0, "2024-01-15"),
        ("2023-12-15", 1, "2024-01-15"),  # year roll
        ("2024-01-15", -13, "2022-12-15"),
    ],
)
def test_add_months_clips_to_month_end(start, months, expected):
    assert add_months(D(start), months)[0] == np.datetime64(expected)


def test_add_months_vectorised_and_nat():
    out = add_months(D("2024-08-31", "NaT", "2024-01-31"), np.array([-6, 3, 1]))
    assert out[0] == np.datetime64("2024-02-29")
    assert np.isnat(out[1])
    assert out[2] == np.datetime64("2024-02-29")


def test_add_months_matches_quantlib():
    rng = np.random.default_rng(7)
    days = np.datetime64("2020-01-01") + rng.integers(0, 3000, 400)
    months = rng.integers(-40, 40, 400)
    ours = add_months(days, months)
    for day, k, got in zip(days, months, ours, strict=True):
        assert qdate(got) == qdate(day) + ql.Period(int(k), ql.Months)


# ---------------------------------------------------------------------------- year_fraction
def test_act_360_and_act_365f():
    # 15 Jan 2024 -> 15 Jul 2024: 16 (rest of Jan) + 29 + 31 + 30 + 31 + 30 + 15 = 182 days
    start, end = D("2024-01-15"), D("2024-07-15")
    assert year_fraction(start, end, "ACT/360")[0] == pytest.approx(182 / 360, abs=1e-15)
    assert year_fraction(start, end, "ACT/365F")[0] == pytest.approx(182 / 365, abs=1e-15)


@pytest.mark.parametrize(
    ("start", "end", "bond_days", "euro_days"),
    [
        # d1 = 31 -> 30; d2 = 31 -> 30 under bond basis because d1 >= 30: 2 x 30 = 60
        ("2024-01-31", "2024-03-31", 60, 60),
        # d1 = 30 already; d2 = 31 -> 30 under both: 60
        ("2024-01-30", "2024-03-31", 60, 60),
        # d1 = 15 < 30: bond basis keeps d2 = 31: 60 + 16 = 76; European: 60 + 15 = 75
        ("2024-01-15", "2024-03-31", 76, 75),
        # end-Feb start (28 < 30): bond 30 + (31 - 28) = 33; European 30 + (30 - 28) = 32
        ("2025-02-28", "2025-03-31", 33, 32),
        # 31 Aug -> 28 Feb: d1 = 30; 360 x 1 + 30 x (2 - 8) + (28 - 30) = 178 under both
        ("2024-08-31", "2025-02-28", 178, 178),
        # 28 Feb -> 31 Aug: bond 30 x 6 + (31 - 28) = 183; European 30 x 6 + (30 - 28) = 182
        ("2025-02-28", "2025-08-31", 183, 182),
        # 29 Feb -> 31 Aug (leap): bond 180 + 2 = 182; European 180 + 1 = 181
        ("2024-02-29", "2024-08-31", 182, 181),
        # 31 -> 1st of the next month: (30 x 1) + (1 - 30) = 1
        ("2024-05-31", "2024-06-01", 1, 1),
    ],
)
def test_thirty_360_bond_basis_vs_european(start, end, bond_days, euro_days):
    s, e = D(start), D(end)
    assert year_fraction(s, e, "30/360")[0] == pytest.approx(bond_days / 360, abs=1e-15)
    assert year_fraction(s, e, "30E/360")[0] == pytest.approx(euro_days / 360, abs=1e-15)


def test_act_act_icma_with_reference_period():
    # 15 Jan -> 15 Apr 2024 = 16 + 29 + 31 + 15 = 91 days; reference period
    # 15 Jan -> 15 Jul 2024 = 182 days; semiannual: 91 / (2 x 182) = 0.25
    out = year_fraction(
        D("2024-01-15"), D("2024-04-15"), "ACT/ACT-ICMA", D("2024-01-15"), D("2024-07-15"), 2
    )
    assert out[0] == pytest.approx(0.25, abs=1e-15)
    # a short stub 15 Apr -> 15 Jul 2024 (91 days) against the notional 182-day period
    out = year_fraction(
        D("2024-04-15"), D("2024-07-15"), "ACT/ACT-ICMA", D("2024-01-15"), D("2024-07-15"), 2
    )
    assert out[0] == pytest.approx(91 / 364, abs=1e-15)


def test_icma_requires_reference_period():
    with pytest.raises(ValueError, match="ACT/ACT-ICMA"):
        year_fraction(D("2024-01-15"), D("2024-04-15"), "ACT/ACT-ICMA")


def test_unknown_day_count_raises():
    with pytest.raises(ValueError, match="unknown day count"):
        year_fraction(D("2024-01-15"), D("2024-04-15"), "ACT/365")


@pytest.mark.parametrize("day_count", ["ACT/360", "ACT/365F", "30/360", "30E/360"])
def test_nat_gives_nan_and_sign(day_count):
    out = year_fraction(
        D("2024-01-15", "NaT", "2024-03-31"), D("NaT", "2024-01-01", "2024-01-15"), day_count
    )
    assert np.isnan(out[0]) and np.isnan(out[1])
    assert out[2] < 0


@pytest.mark.parametrize(
    ("name", "counter"),
    [
        ("ACT/360", ql.Actual360()),
        ("ACT/365F", ql.Actual365Fixed()),
        ("30/360", ql.Thirty360(ql.Thirty360.BondBasis)),
        ("30E/360", ql.Thirty360(ql.Thirty360.European)),
    ],
)
def test_matches_quantlib_on_random_pairs(name, counter):
    rng = np.random.default_rng(11)
    base = np.datetime64("2019-01-01")
    start = base + rng.integers(0, 2500, 600)
    end = start + rng.integers(0, 800, 600)
    # plenty of month ends, where the 30/360 variants differ
    month_end = (end.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    end = np.where(rng.random(600) < 0.4, month_end, end)
    start_end = (start.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    start = np.where(rng.random(600) < 0.4, start_end, start)
    ours = year_fraction(start, end, name)
    for s, e, got in zip(start, end, ours, strict=True):
        assert got == pytest.approx(counter.yearFraction(qdate(s), qdate(e)), abs=1e-12)


def test_all_conventions_listed():
    assert DAY_COUNTS == ("ACT/360", "ACT/365F", "ACT/ACT-ICMA", "30/360", "30E/360")


# -------------------------------------------------------------------------------- coercion
def test_coercion_from_pandas_arrow_and_objects():
    expected = D("2024-01-31", "NaT")
    for raw in (
        pd.Series([pd.Timestamp("2024-01-31"), pd.NaT]),
        pa.array([dt.date(2024, 1, 31), None]),
        np.array([dt.date(2024, 1, 31), None], dtype=object),
        ["2024-01-31", None],
        np.array(["2024-01-31T00:00", "NaT"], dtype="datetime64[ns]"),
    ):
        out = to_datetime64d(raw)
        assert out.dtype == np.dtype("datetime64[D]")
        assert out[0] == expected[0] and np.isnat(out[1])
    floats = to_float64(pd.Series([1, None], dtype="Int64"))
    assert floats[0] == 1.0 and np.isnan(floats[1])
    strings = to_object_str(pd.Series(["ACT/360", None]))
    assert strings[0] == "ACT/360" and strings[1] is None
