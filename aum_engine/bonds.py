"""Accrued interest of fixed-rate bonds per 100 face, over instrument x day columns.

Conventions (docs/valuation.md#bonds):

- Coupon dates are ``maturity_date - k x (12 / coupon_frequency)`` months, k = 0, 1, 2, ...,
  unadjusted (no calendar) and without an end-of-month rule; the day is clipped to the end of
  the month (maturity 31 Aug, semiannual: ..., 28/29 Feb, 31 Aug, 28/29 Feb, 31 Aug). The first
  period runs from ``start_date`` (the issue date) to the first coupon date after it and may be
  short. This is QuantLib's ``Schedule(issue, maturity, Period(freq), NullCalendar(),
  Unadjusted, Unadjusted, DateGeneration.Backward, False)``.
- Settlement is the valuation day itself. Accrued per 100 face on day d is
  ``rate x 100 x DCF(accrual start, d)``, the accrual start being the last coupon date <= d or,
  in the first period, the issue date. It is 0 on a coupon date, on the issue date, on the
  maturity date and for zero-coupon bonds (``coupon_frequency`` 0).
- ``ACT/ACT-ICMA``: ``(rate x 100 / frequency) x days accrued / days of the reference period``.
  In a regular period the reference period is the period itself. In a short first period it is
  the notional regular period ending on the first coupon date, i.e. (first coupon - tenor,
  first coupon] (QuantLib ``ActualActual(ISMA, schedule)``). When the whole bond is a single
  short period (issued less than one tenor before maturity), QuantLib's reference period is
  (maturity - tenor, issue + tenor] and its coupons-per-year is re-estimated from that period's
  length as ``round(12 / round(12 x days / 365))``; this module follows QuantLib there too, so
  that results agree with ``FixedRateBond.accruedAmount`` to 1e-6 in every case. (Backward
  generation never produces a long first period.)
- Results agree with QuantLib ``FixedRateBond(0, 100, schedule, [rate], dayCounter)
  .accruedAmount(d)`` to 1e-6 wherever the bond is valued. QuantLib also returns 0 before the
  issue date and after maturity; here those rows are unvalued (NaN with a reason).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aum_engine.daycount import (
    DAY_COUNTS,
    add_months,
    check_row_columns,
    month_index,
    to_datetime64d,
    to_float64,
    to_object_str,
    year_fraction,
)
from aum_engine.reasons import first_failing_check

SUPPORTED_COUPON_FREQUENCIES = (0, 1, 2, 4, 12)

REASON_MISSING_BOND_TERMS = "missing_bond_terms"
REASON_UNSUPPORTED_COUPON_FREQUENCY = "unsupported_coupon_frequency"
REASON_UNKNOWN_DAY_COUNT = "unknown_day_count"
REASON_BOND_BEFORE_START = "bond_before_start"
REASON_BOND_AFTER_MATURITY = "bond_after_maturity"

#: Reason codes in the order they are tested (the first that applies is reported).
BOND_REASONS = (
    REASON_MISSING_BOND_TERMS,
    REASON_UNSUPPORTED_COUPON_FREQUENCY,
    REASON_UNKNOWN_DAY_COUNT,
    REASON_BOND_BEFORE_START,
    REASON_BOND_AFTER_MATURITY,
)


def _round_half_away(x: np.ndarray) -> np.ndarray:
    """C ``lround`` for non-negative values (numpy's ``round`` rounds half to even)."""
    return np.floor(x + 0.5)


def _ql_coupons_per_year(reference_days: np.ndarray) -> np.ndarray:
    """Coupons per year that QuantLib's ISMA day counter infers from a reference period.

    ``round(12 / round(12 x days / 365))`` with C rounding (QuantLib's ``findCouponsPerYear``).
    It equals the coupon frequency for every regular period of 1, 3, 6 or 12 months; it only
    differs for the stretched reference period of a single short period. QuantLib's special
    case for reference periods under 16 days cannot arise here (a tenor is >= 28 days).
    """
    months = np.maximum(_round_half_away(12.0 * reference_days / 365.0), 1.0)
    return _round_half_away(12.0 / months)


def last_coupon_index(valuation_date, maturity_date, tenor_months) -> np.ndarray:
    """Smallest k >= 0 with ``maturity - k x tenor_months months <= valuation_date``.

    All arguments are equal-length columns without nulls, with ``valuation_date <= maturity``
    and ``tenor_months >= 1``. The estimate from the month difference is exact or one too small
    (when the coupon in d's own month falls after d); the loops below correct it in at most one
    vectorised step each and are kept only as a guard.
    """
    d = to_datetime64d(valuation_date)
    m = to_datetime64d(maturity_date)
    tenor = np.asarray(tenor_months, dtype=np.int64)
    k = (month_index(m) - month_index(d)) // tenor
    while True:
        late = add_months(m, -k * tenor) > d
        if not late.any():
            break
        k = k + late
    while True:
        early = (k > 0) & (add_months(m, -(k - 1) * tenor) <= d)
        if not early.any():
            break
        k = k - early
    return k


def _icma_accrued(d, s, rate, freq, tenor, k, last_cpn, next_cpn) -> np.ndarray:
    """ACT/ACT-ICMA accrued per 100 for coupon-bearing rows inside [issue, maturity]."""
    accrued = np.empty(d.shape, dtype=np.float64)
    regular = last_cpn >= s  # the period containing d starts on a real coupon date
    with np.errstate(divide="ignore", invalid="ignore"):
        accrued[regular] = (
            rate[regular]
            * 100.0
            / freq[regular]
            * (d[regular] - last_cpn[regular]).astype(np.float64)
            / (next_cpn[regular] - last_cpn[regular]).astype(np.float64)
        )
    stub = ~regular  # short first period: accrues from the issue date; first coupon = next_cpn
    if stub.any():
        first_cpn = next_cpn[stub]
        ref_start = add_months(first_cpn, -tenor[stub])
        # A single short period (first coupon = maturity, k == 1): QuantLib's reference period
        # ends on issue + tenor instead of on the first coupon date.
        ref_end = np.where(k[stub] == 1, add_months(s[stub], tenor[stub]), first_cpn)
        ref_days = (ref_end - ref_start).astype(np.float64)
        accrued[stub] = (
            rate[stub]
            * 100.0
            * (d[stub] - s[stub]).astype(np.float64)
            / (ref_days * _ql_coupons_per_year(ref_days))
        )
    return accrued


def bond_accrued_per_100(
    valuation_date, start_date, maturity_date, rate, coupon_frequency, day_count
) -> tuple[np.ndarray, np.ndarray]:
    """Accrued interest per 100 face of fixed-rate bonds, one row per instrument x day.

    Arguments are equal-length columns (numpy, pandas or Arrow): ``valuation_date``,
    ``start_date`` (issue date), ``maturity_date`` (dates; nulls as NaT), ``rate`` (annual
    coupon as a decimal, 0.035 = 3.5%), ``coupon_frequency`` (coupons per year: 0 = zero
    coupon, 1, 2, 4 or 12), ``day_count`` (one of ``DAY_COUNTS``, may differ by row). See the
    module docstring for the coupon schedule and day-count rules; settlement is the valuation
    day.

    Returns ``(accrued, reason)``: ``accrued`` float64 per 100 face, ``NaN`` exactly where
    ``reason`` (object array of str or ``None``) is set. Reasons, the first that applies:

    - ``missing_bond_terms``: null start_date, maturity_date or coupon_frequency, or a null
      rate or day_count on a coupon-bearing bond (a zero-coupon bond needs neither);
    - ``unsupported_coupon_frequency``: frequency not in {0, 1, 2, 4, 12};
    - ``unknown_day_count``: a coupon-bearing bond whose day_count is not in ``DAY_COUNTS``
      (exact, case-sensitive match);
    - ``bond_before_start``: valuation_date < start_date;
    - ``bond_after_maturity``: valuation_date > maturity_date.

    A null valuation_date raises ``ValueError``.
    """
    d = to_datetime64d(valuation_date)
    s = to_datetime64d(start_date)
    m = to_datetime64d(maturity_date)
    rate = to_float64(rate)
    freq = to_float64(coupon_frequency)
    dc = to_object_str(day_count)
    n = check_row_columns(d, s, m, rate, freq, dc)

    accrued = np.full(n, np.nan)

    known_dc = np.zeros(n, dtype=bool)
    for convention in DAY_COUNTS:
        known_dc |= dc == convention
    checks = (
        (
            REASON_MISSING_BOND_TERMS,
            np.isnat(s)
            | np.isnat(m)
            | np.isnan(freq)
            | ((np.isnan(rate) | pd.isna(dc)) & (freq != 0)),
        ),
        (REASON_UNSUPPORTED_COUPON_FREQUENCY, ~np.isin(freq, SUPPORTED_COUPON_FREQUENCIES)),
        # a zero-coupon bond accrues nothing, so it needs no rate and no day count
        (REASON_UNKNOWN_DAY_COUNT, ~known_dc & (freq != 0)),
        (REASON_BOND_BEFORE_START, d < s),
        (REASON_BOND_AFTER_MATURITY, d > m),
    )
    reason, pending = first_failing_check(checks, n)

    accrued[pending & (freq == 0)] = 0.0
    idx = np.flatnonzero(pending & (freq > 0))
    if idx.size == 0:
        return accrued, reason

    ds, ss, ms, rs, fs, dcs = d[idx], s[idx], m[idx], rate[idx], freq[idx], dc[idx]
    tenor = (12 // fs.astype(np.int64)).astype(np.int64)
    k = last_coupon_index(ds, ms, tenor)
    last_cpn = add_months(ms, -k * tenor)  # last coupon date <= d (may precede the issue)
    next_cpn = add_months(ms, -(k - 1) * tenor)  # next coupon date > d (when k >= 1)
    accrual_start = np.maximum(last_cpn, ss)

    out = np.zeros(idx.size, dtype=np.float64)
    for convention in DAY_COUNTS:
        sel = dcs == convention
        if not sel.any():
            continue
        if convention == "ACT/ACT-ICMA":
            out[sel] = _icma_accrued(
                ds[sel],
                ss[sel],
                rs[sel],
                fs[sel],
                tenor[sel],
                k[sel],
                last_cpn[sel],
                next_cpn[sel],
            )
        else:
            out[sel] = rs[sel] * 100.0 * year_fraction(accrual_start[sel], ds[sel], convention)
    out[(last_cpn == ds) | (ss == ds)] = 0.0  # coupon date (maturity included) or issue date
    accrued[idx] = out
    return accrued, reason
