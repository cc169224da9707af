"""Simple-interest accrual of `accrual` products (time deposits, expected-yield wealth products).

Convention (docs/valuation.md#accrual): on day d the accrued fraction of the principal
is ``rate x DCF(start_date, min(d, maturity_date))``, simple interest, no compounding. There is
no accrual before ``start_date`` and none after ``maturity_date`` (the fraction stays at its
maturity value); a null ``maturity_date`` means open-ended (accrue up to d). The market value is
``quantity x (1 + fraction)`` and the accrued amount ``quantity x fraction``.

``ACT/ACT-ICMA`` needs a coupon schedule, so an accrual product with that day count is unvalued.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aum_engine.daycount import (
    DAY_COUNTS,
    check_row_columns,
    to_datetime64d,
    to_float64,
    to_object_str,
    year_fraction,
)
from aum_engine.reasons import first_failing_check

REASON_MISSING_RATE = "missing_rate"
REASON_MISSING_START_DATE = "missing_start_date"
REASON_UNSUPPORTED_DAY_COUNT_FOR_ACCRUAL = "unsupported_day_count_for_accrual"
REASON_UNKNOWN_DAY_COUNT = "unknown_day_count"

#: Reason codes in the order they are tested (the first that applies is reported).
ACCRUAL_REASONS = (
    REASON_MISSING_RATE,
    REASON_MISSING_START_DATE,
    REASON_UNSUPPORTED_DAY_COUNT_FOR_ACCRUAL,
    REASON_UNKNOWN_DAY_COUNT,
)

#: Day counts an accrual product can use (everything but ACT/ACT-ICMA).
ACCRUAL_DAY_COUNTS = tuple(dc for dc in DAY_COUNTS if dc != "ACT/ACT-ICMA")


def accrual_fraction(
    valuation_date, start_date, maturity_date, rate, day_count
) -> tuple[np.ndarray, np.ndarray]:
    """Accrued fraction ``rate x DCF(start_date, min(d, maturity_date))`` per row.

    Arguments are equal-length columns (numpy, pandas or Arrow), one row per instrument x day:
    ``valuation_date`` d, ``start_date``, ``maturity_date`` (dates, nulls as NaT; a null
    maturity is open-ended), ``rate`` (annual, decimal) and ``day_count`` (``ACT/360``,
    ``ACT/365F``, ``30/360`` or ``30E/360``; the caller substitutes its default for nulls).

    The fraction is 0 for d <= start_date, and the accrual end is clipped into
    [start_date, maturity_date], so a maturity before the start also gives 0, never a negative
    fraction. Returns ``(fraction, reason)``: ``fraction`` float64, ``NaN`` exactly where
    ``reason`` (object array of str or ``None``) is set. Reasons, the first that applies:

    - ``missing_rate``: null rate (a missing rate is never taken as 0 or 1);
    - ``missing_start_date``: null start_date;
    - ``unsupported_day_count_for_accrual``: ``ACT/ACT-ICMA`` (needs a coupon schedule);
    - ``unknown_day_count``: anything else outside ``DAY_COUNTS``, nulls included.

    Reasons apply on every day, before start_date too. A null valuation_date raises
    ``ValueError``.
    """
    d = to_datetime64d(valuation_date)
    s = to_datetime64d(start_date)
    m = to_datetime64d(maturity_date)
    rate = to_float64(rate)
    dc = to_object_str(day_count)
    n = check_row_columns(d, s, m, rate, dc)

    fraction = np.full(n, np.nan)

    supported = np.zeros(n, dtype=bool)
    for convention in ACCRUAL_DAY_COUNTS:
        supported |= dc == convention
    checks = (
        (REASON_MISSING_RATE, np.isnan(rate)),
        (REASON_MISSING_START_DATE, np.isnat(s)),
        (REASON_UNSUPPORTED_DAY_COUNT_FOR_ACCRUAL, dc == "ACT/ACT-ICMA"),
        (REASON_UNKNOWN_DAY_COUNT, ~supported | pd.isna(dc)),
    )
    reason, pending = first_failing_check(checks, n)

    # accrual end = min(d, maturity) (open-ended when maturity is null), never before start
    end = np.where(np.isnat(m), d, np.minimum(d, m))
    end = np.maximum(end, s)
    for convention in ACCRUAL_DAY_COUNTS:
        sel = pending & (dc == convention)
        if sel.any():
            fraction[sel] = rate[sel] * year_fraction(s[sel], end[sel], convention)
    return fraction, reason
