"""Bond accrued interest per 100 face (aum_engine.bonds), by hand and against QuantLib."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import QuantLib as ql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aum_engine.bonds import BOND_REASONS, bond_accrued_per_100, last_coupon_index
from aum_engine.daycount import DAY_COUNTS, add_months, year_fraction

QL_FREQUENCY = {1: ql.Annual, 2: ql.Semiannual, 4: ql.Quarterly, 12: ql.Monthly}


def qdate(day) -> ql.Date:
    y, m, d = (int(p) for p in str(np.datetime64(day, "D")).split("-"))
    return ql.Date(d, m, y)


def npdate(day: ql.Date) -> np.datetime64:
    return np.datetime64(dt.date(day.year(), day.month(), day.dayOfMonth()), "D")


def ql_schedule(issue, maturity, freq: int) -> ql.Schedule:
    return ql.Schedule(
        qdate(issue),
        qdate(maturity),
        ql.Period(QL_FREQUENCY[freq]),
        ql.NullCalendar(),
        ql.Unadjusted,
        ql.Unadjusted,
        ql.DateGeneration.Backward,
        False,
    )


def ql_day_counter(name: str, schedule: ql.Schedule) -> ql.DayCounter:
    return {
        "ACT/360": ql.Actual360(),
        "ACT/365F": ql.Actual365Fixed(),
        "ACT/ACT-ICMA": ql.ActualActual(ql.ActualActual.ISMA, schedule),
        "30/360": ql.Thirty360(ql.Thirty360.BondBasis),
        "30E/360": ql.Thirty360(ql.Thirty360.European),
    }[name]


def ql_accrued(issue, maturity, rate, freq, day_count, days) -> list[float]:
    """QuantLib FixedRateBond(settlementDays=0, face 100).accruedAmount on each day."""
    schedule = ql_schedule(issue, maturity, freq)
    bond = ql.FixedRateBond(0, 100.0, schedule, [rate], ql_day_counter(day_count, schedule))
    out = []
    for day in days:
        ql.Settings.instance().evaluationDate = qdate(day)
        out.append(bond.accruedAmount(qdate(day)))
    return out


def accrued(d, start, maturity, rate, freq, day_count):
    """Our function on one bond over one or more valuation days."""
    d = np.atleast_1d(np.array(d, dtype="datetime64[D]"))
    n = d.size
    return bond_accrued_per_100(
        d,
        np.full(n, np.datetime64(start, "D")),
        np.full(n, np.datetime64(maturity, "D")),
        np.full(n, rate, dtype=float),
        np.full(n, freq, dtype=float),
        np.full(n, day_count, dtype=object),
    )


def one(d, start, maturity, rate, freq, day_count) -> float:
    value, reason = accrued(d, start, maturity, rate, freq, day_count)
    assert reason[0] is None
    return float(value[0])


# ------------------------------------------------------------------------ hand computations
# Regular semiannual bond: issued 15 Jan 2024, matures 15 Jan 2027, 5% coupon; coupon dates
# 15 Jul / 15 Jan. On 15 Apr 2024 accrual runs from 15 Jan 2024: 16 + 29 + 31 + 15 = 91 days;
# the period 15 Jan -> 15 Jul 2024 has 182 days.
REGULAR = ("2024-01-15", "2027-01-15", 0.05, 2)


@pytest.mark.parametrize(
    ("day_count", "expected"),
    [
        ("ACT/360", 5.0 * 91 / 360),  # 1.263888...
        ("ACT/365F", 5.0 * 91 / 365),  # 1.246575...
        ("ACT/ACT-ICMA", 2.5 * 91 / 182),  # half the coupon: 1.25
        ("30/360", 5.0 * 90 / 360),  # 15 Jan -> 15 Apr = 3 x 30 = 90 -> 1.25
        ("30E/360", 5.0 * 90 / 360),
    ],
)
def test_regular_period_by_hand(day_count, expected):
    assert one("2024-04-15", *REGULAR, day_count) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("day_count", "expected"),
    [
        # Short first period: issued 15 Apr 2024, matures 15 Jan 2026, semiannual: coupons
        # 15 Jul 2024, 15 Jan 2025, 15 Jul 2025, 15 Jan 2026. On 15 May 2024: 30 days accrued.
        ("ACT/360", 5.0 * 30 / 360),
        ("ACT/365F", 5.0 * 30 / 365),
        # reference period = notional regular period ending on the first coupon date:
        # 15 Jan 2024 -> 15 Jul 2024 = 182 days, not the 91-day stub
        ("ACT/ACT-ICMA", 2.5 * 30 / 182),  # 0.412087...
        ("30/360", 5.0 * 30 / 360),
        ("30E/360", 5.0 * 30 / 360),
    ],
)
def test_short_first_period_by_hand(day_count, expected):
    got = one("2024-05-15", "2024-04-15", "2026-01-15", 0.05, 2, day_count)
    assert got == pytest.approx(expected, abs=1e-12)


def test_end_of_month_maturity_schedule():
    # Maturity 31 Aug 2028, semiannual: coupons are 31 Aug - 6k months, clipped, no EOM rule:
    # ..., 31 Aug 2024, 28 Feb 2025, 31 Aug 2025, 28 Feb 2026, ..., 29 Feb 2028, 31 Aug 2028.
    mat = np.datetime64("2028-08-31")
    days = np.array(
        ["2025-02-27", "2025-02-28", "2025-03-01", "2028-02-29", "2028-03-01"],
        dtype="datetime64[D]",
    )
    k = last_coupon_index(days, np.full(5, mat), np.full(5, 6))
    assert add_months(np.full(5, mat), -6 * k).tolist() == [
        dt.date(2024, 8, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 2, 28),
        dt.date(2028, 2, 29),
        dt.date(2028, 2, 29),
    ]


@pytest.mark.parametrize(
    ("d", "day_count", "expected"),
    [
        # Issue 1 Oct 2024, maturity 31 Aug 2028, 5% semiannual, ACT/ACT-ICMA. First coupon
        # 28 Feb 2025; the notional period is first coupon - 6M = 28 Aug 2024 -> 28 Feb 2025
        # (184 days), as QuantLib computes it. 15 Nov 2024: 30 + 15 = 45 days from issue.
        ("2024-11-15", "ACT/ACT-ICMA", 2.5 * 45 / 184),
        # 15 Mar 2025: last coupon 28 Feb 2025, next 31 Aug 2025 (184 days); 15 days accrued
        ("2025-03-15", "ACT/ACT-ICMA", 2.5 * 15 / 184),
        # 30 Aug 2025: 183 days of the 184-day period
        ("2025-08-30", "ACT/ACT-ICMA", 2.5 * 183 / 184),
        # 15 Sep 2025: last coupon 31 Aug 2025, next 28 Feb 2026 (181 days); 15 days
        ("2025-09-15", "ACT/ACT-ICMA", 2.5 * 15 / 181),
        # 10 Mar 2028: last coupon 29 Feb 2028 (leap), next 31 Aug 2028 (184 days); 10 days
        ("2028-03-10", "ACT/ACT-ICMA", 2.5 * 10 / 184),
        # 30/360 bond basis from 28 Feb 2025 to 31 Mar 2025: d1 = 28 < 30 so d2 stays 31:
        # 30 + 3 = 33 days -> 5 x 33 / 360 = 0.458333...
        ("2025-03-31", "30/360", 5.0 * 33 / 360),
        # 30E/360: d2 31 -> 30: 30 + 2 = 32 days -> 0.444444...
        ("2025-03-31", "30E/360", 5.0 * 32 / 360),
        # from 31 Aug 2025 (d1 -> 30) to 31 Oct 2025: bond basis d2 -> 30 since d1 >= 30: 60
        ("2025-10-31", "30/360", 5.0 * 60 / 360),
        ("2025-10-31", "30E/360", 5.0 * 60 / 360),
        # from 31 Aug 2025 to 27 Feb 2026: 360 x 1 + 30 x (2 - 8) + (27 - 30) = 177
        ("2026-02-27", "30/360", 5.0 * 177 / 360),
        # ACT/360 over the same: 30 + 31 + 30 + 31 + 31 + 27 = 180 days
        ("2026-02-27", "ACT/360", 5.0 * 180 / 360),
        ("2026-02-27", "ACT/365F", 5.0 * 180 / 365),
    ],
)
def test_end_of_february_schedule_by_hand(d, day_count, expected):
    got = one(d, "2024-10-01", "2028-08-31", 0.05, 2, day_count)
    assert got == pytest.approx(expected, abs=1e-12)


def test_monthly_icma_february_period():
    # Monthly bond issued 15 Jan 2020, maturing 15 Jan 2022, 5%. On 1 Mar 2021 the period is
    # 15 Feb -> 15 Mar 2021 (28 days) and 14 days have accrued: 5/12 x 14/28 = 0.208333...
    got = one("2021-03-01", "2020-01-15", "2022-01-15", 0.05, 12, "ACT/ACT-ICMA")
    assert got == pytest.approx(5 / 12 * 14 / 28, abs=1e-12)


def test_icma_single_short_period_follows_quantlib():
    # Issued 15 Apr 2024, matures 15 Jul 2024, semiannual: one short period and no coupon
    # before maturity. QuantLib's ISMA schedule logic then uses the reference period
    # maturity - 6M -> issue + 6M = 15 Jan 2024 -> 15 Oct 2024 (274 days) and re-estimates
    # coupons per year as round(12 / round(12 x 274 / 365)) = round(12 / 9) = 1.
    # On 15 May 2024 (30 days): 5 x 30 / (274 x 1) = 0.547445...
    got = one("2024-05-15", "2024-04-15", "2024-07-15", 0.05, 2, "ACT/ACT-ICMA")
    assert got == pytest.approx(5.0 * 30 / 274, abs=1e-12)
    expected = ql_accrued("2024-04-15", "2024-07-15", 0.05, 2, "ACT/ACT-ICMA", ["2024-05-15"])
    assert got == pytest.approx(expected[0], abs=1e-9)


@pytest.mark.parametrize("day_count", DAY_COUNTS)
def test_zero_on_issue_coupon_and_maturity_dates(day_count):
    days = ["2024-01-15", "2024-07-15", "2025-01-15", "2026-07-15", "2027-01-15"]
    value, reason = accrued(days, *REGULAR, day_count)
    assert list(reason) == [None] * 5
    assert value.tolist() == [0.0] * 5
    # the day before a coupon date carries almost the whole coupon
    assert one("2024-07-14", *REGULAR, day_count) > 2.4


def test_zero_coupon_bond():
    d = np.array(["2024-03-01", "2025-06-30"], dtype="datetime64[D]")
    value, reason = bond_accrued_per_100(
        d,
        np.full(2, np.datetime64("2024-01-01")),
        np.full(2, np.datetime64("2026-01-01")),
        np.array([np.nan, 0.0]),
        np.array([0.0, 0.0]),
        np.array(["ACT/365F"] * 2, dtype=object),
    )
    assert value.tolist() == [0.0, 0.0]
    assert list(reason) == [None, None]


def test_before_start_and_after_maturity_are_unvalued():
    value, reason = accrued(["2024-01-14", "2027-01-16"], *REGULAR, "ACT/360")
    assert np.isnan(value).all()
    assert list(reason) == ["bond_before_start", "bond_after_maturity"]
    # QuantLib reports 0 on those days instead; on the issue date both give 0
    assert ql_accrued(*REGULAR, "ACT/360", ["2024-01-14", "2027-01-16", "2024-01-15"]) == [
        0.0,
        0.0,
        0.0,
    ]


def test_reason_codes_and_precedence():
    nat, d = np.datetime64("NaT"), np.datetime64("2024-06-01")
    s, m = np.datetime64("2024-01-15"), np.datetime64("2027-01-15")
    rows = [
        # (start, maturity, rate, freq, day_count) -> reason
        ((nat, m, 0.05, 2, "ACT/360"), "missing_bond_terms"),
        ((s, nat, 0.05, 2, "ACT/360"), "missing_bond_terms"),
        ((s, m, np.nan, 2, "ACT/360"), "missing_bond_terms"),  # null rate, coupon bond
        ((s, m, 0.05, np.nan, "ACT/360"), "missing_bond_terms"),
        ((s, m, 0.05, 2, None), "missing_bond_terms"),
        ((s, m, 0.05, 3, "ACT/360"), "unsupported_coupon_frequency"),
        ((s, m, 0.05, 6, "ACT/360"), "unsupported_coupon_frequency"),
        ((s, m, 0.05, 2, "ACT/365"), "unknown_day_count"),
        ((s, m, 0.05, 2, "act/360"), "unknown_day_count"),  # exact match only
        ((s, m, 0.05, 3, "bogus"), "unsupported_coupon_frequency"),  # first failing check
        ((np.datetime64("2025-01-01"), m, 0.05, 2, "ACT/360"), "bond_before_start"),
        ((s, np.datetime64("2024-05-31"), 0.05, 2, "ACT/360"), "bond_after_maturity"),
        ((s, m, np.nan, 0, "ACT/360"), None),  # zero coupon needs no rate
        ((s, m, np.nan, 0, None), None),  # ... nor a day count
        ((s, m, 0.0, 0, "bogus"), None),
        ((s, m, 0.05, 2, "ACT/360"), None),
    ]
    start, maturity, rate, freq, dc = (list(c) for c in zip(*(r for r, _ in rows), strict=True))
    value, reason = bond_accrued_per_100(
        np.full(len(rows), d),
        np.array(start, dtype="datetime64[D]"),
        np.array(maturity, dtype="datetime64[D]"),
        np.array(rate),
        np.array(freq, dtype=float),
        np.array(dc, dtype=object),
    )
    assert list(reason) == [r for _, r in rows]
    assert np.isnan(value[[r is not None for _, r in rows]]).all()
    assert not np.isnan(value[[r is None for _, r in rows]]).any()
    assert set(BOND_REASONS) == {r for _, r in rows if r}


def test_accepts_pandas_and_arrow_columns():
    frame = pd.DataFrame(
        {
            "d": pd.to_datetime(["2024-04-15", "2024-04-15"]),
            "s": pd.to_datetime(["2024-01-15", None]),
            "m": pd.to_datetime(["2027-01-15", "2027-01-15"]),
            "rate": pd.array([0.05, 0.05], dtype="Float64"),
            "freq": pd.array([2, 2], dtype="Int64"),
            "dc": ["ACT/ACT-ICMA", "ACT/ACT-ICMA"],
        }
    )
    value, reason = bond_accrued_per_100(*(frame[c] for c in frame.columns))
    assert value[0] == pytest.approx(1.25) and list(reason) == [None, "missing_bond_terms"]
    table = pa.Table.from_pandas(frame)
    value2, reason2 = bond_accrued_per_100(*(table[c] for c in frame.columns))
    assert value2[0] == pytest.approx(1.25) and list(reason2) == list(reason)


def test_rejects_null_valuation_date_and_ragged_columns():
    with pytest.raises(ValueError, match="valuation_date"):
        accrued(["NaT"], *REGULAR, "ACT/360")
    with pytest.raises(ValueError, match="same length"):
        bond_accrued_per_100(
            np.array(["2024-04-15"], dtype="datetime64[D]"),
            *(np.array([], dtype=t) for t in ("M8[D]", "M8[D]", float, float, object)),
        )


# ------------------------------------------------------------------ QuantLib, random grid
def _random_bonds(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        freq = int(rng.choice([1, 2, 4, 12]))
        day_count = str(rng.choice(DAY_COUNTS))
        maturity = np.datetime64("2025-01-01") + int(rng.integers(0, 3650))
        if rng.random() < 0.35:  # month-end maturities: 28/29 Feb, 30th and 31st clipping
            maturity = (maturity.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
        # mostly multi-period bonds; some issued less than one tenor before maturity
        span = int(rng.integers(1, 3000 if rng.random() < 0.8 else 400))
        issue = maturity - span
        if rng.random() < 0.15:  # issued on a regular coupon date
            issue = add_months(np.array([maturity]), -12 // freq * int(rng.integers(1, 8)))[0]
        rate = float(rng.uniform(0.0, 0.12))
        span = int((maturity - issue).astype(int))
        days = [issue + int(x) for x in rng.integers(0, span + 1, 6)] + [issue, maturity]
        yield issue, maturity, rate, freq, day_count, days


def test_matches_quantlib_on_random_grid():
    rows, expected = [], []
    stub, single = 0, 0
    for issue, maturity, rate, freq, day_count, days in _random_bonds(20240229, 1500):
        expected += ql_accrued(issue, maturity, rate, freq, day_count, days)
        rows += [(d, issue, maturity, rate, freq, day_count) for d in days]
        schedule = ql_schedule(issue, maturity, freq)
        # the first period is regular when the issue date is itself maturity - k x tenor
        regular_first = (
            issue == add_months(np.array([maturity]), -(12 // freq) * (len(schedule) - 1))[0]
        )
        stub += not regular_first
        single += len(schedule) == 2 and not regular_first
    d, s, m, r, f, dc = (np.array(c) for c in zip(*rows, strict=True))
    value, reason = bond_accrued_per_100(d, s, m, r, f.astype(float), dc.astype(object))
    assert all(x is None for x in reason)
    np.testing.assert_allclose(value, np.array(expected), rtol=0, atol=1e-6)
    assert stub > 300 and single > 30  # short first periods and single-period stubs covered


@st.composite
def bond_terms(draw):
    freq = draw(st.sampled_from([1, 2, 4, 12]))
    day_count = draw(st.sampled_from(DAY_COUNTS))
    maturity = np.datetime64("2024-01-01") + draw(st.integers(0, 4000))
    if draw(st.booleans()):
        maturity = (maturity.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    issue = maturity - draw(st.integers(1, 2500))
    rate = draw(st.floats(min_value=0.0, max_value=0.2, allow_nan=False))
    return issue, maturity, rate, freq, day_count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms=bond_terms(), data=st.data())
def test_hypothesis_matches_quantlib(terms, data):
    issue, maturity, rate, freq, day_count = terms
    span = int((maturity - issue).astype(int))
    days = [issue + data.draw(st.integers(0, span)) for _ in range(4)]
    value, reason = accrued(days, issue, maturity, rate, freq, day_count)
    assert all(x is None for x in reason)
    expected = ql_accrued(issue, maturity, rate, freq, day_count, days)
    np.testing.assert_allclose(value, expected, rtol=0, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(terms=bond_terms())
def test_property_bounds_and_zero_on_coupon_dates(terms):
    issue, maturity, rate, freq, day_count = terms
    schedule = [npdate(x) for x in ql_schedule(issue, maturity, freq)]
    days = np.arange(issue, maturity + 1)
    value, reason = accrued(days, issue, maturity, rate, freq, day_count)
    assert all(x is None for x in reason)
    # zero on the issue date and every coupon date (maturity included)
    assert (value[np.isin(days, schedule)] == 0.0).all()
    # within [0, the coupon of the current period]: rate x 100 / frequency under
    # ACT/ACT-ICMA, rate x 100 x DCF(period) under the other conventions (an ACT/360 period of
    # 184 days pays more than half the annual coupon)
    assert (value >= 0.0).all()
    period_end = np.array(schedule)[
        np.searchsorted(schedule, days, side="right").clip(max=len(schedule) - 1)
    ]
    period_start = np.array(schedule)[np.searchsorted(schedule, days, side="right") - 1]
    if day_count == "ACT/ACT-ICMA":
        bound = np.full(days.shape, rate * 100.0 / freq)
    else:
        bound = rate * 100.0 * year_fraction(period_start, period_end, day_count)
    assert (value <= bound + 1e-12).all()
    # non-decreasing inside each coupon period
    same_period = period_start[1:] == period_start[:-1]
    assert (np.diff(value)[same_period] >= -1e-12).all()
