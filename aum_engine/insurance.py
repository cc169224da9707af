"""Per-unit value of insurance policies, over instrument x day columns.

Conventions (docs/valuation.md#insurance; the basis is the dbt var ``insurance_basis``):

- Policy anniversaries: the k-th anniversary is ``start_date + k years`` (``add_months(start,
  12 k)``); an anniversary of 29 Feb falls on 28 Feb in years without a 29 Feb and on 29 Feb in
  leap years. The number of anniversaries on or before d is the number of completed policy
  years.
- ``cash_value`` (default): ``insurance_cash_values`` gives the cash value of one unit at the
  end of policy year k, i.e. on the k-th anniversary. The unit value is 0 on ``start_date`` and
  is interpolated linearly in actual days between consecutive listed anniversaries; a policy
  year missing from the table (or with a null cash value) is skipped, so the interpolation runs
  between the neighbouring listed years. After the last listed year the value stays flat.
- ``premium_paid``: ``annual_premium x premiums due so far``, one premium being due on
  ``start_date`` and one on each anniversary <= d, at most ``premium_years`` (null = no cap).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aum_engine.daycount import (
    add_months,
    check_row_columns,
    month_index,
    to_datetime64d,
    to_float64,
    to_numpy_1d,
    to_object_str,
)
from aum_engine.reasons import first_failing_check

BASIS_CASH_VALUE = "cash_value"
BASIS_PREMIUM_PAID = "premium_paid"
INSURANCE_BASES = (BASIS_CASH_VALUE, BASIS_PREMIUM_PAID)

REASON_UNKNOWN_INSURANCE_BASIS = "unknown_insurance_basis"
REASON_MISSING_START_DATE = "missing_start_date"
REASON_MISSING_CASH_VALUES = "missing_cash_values"
REASON_MISSING_PREMIUM_TERMS = "missing_premium_terms"
REASON_POLICY_NOT_STARTED = "policy_not_started"

#: Reason codes in the order they are tested (the first that applies is reported).
INSURANCE_REASONS = (
    REASON_UNKNOWN_INSURANCE_BASIS,
    REASON_MISSING_START_DATE,
    REASON_MISSING_CASH_VALUES,
    REASON_MISSING_PREMIUM_TERMS,
    REASON_POLICY_NOT_STARTED,
)


def completed_policy_years(valuation_date, start_date) -> np.ndarray:
    """Number of policy anniversaries in (start_date, valuation_date], as int64.

    For d >= start_date this is the number of completed policy years (0 in the first year);
    anniversaries follow the 29 Feb rule of the module docstring. Rows where either date is
    NaT or d < start_date get -1.
    """
    d = to_datetime64d(valuation_date)
    s = to_datetime64d(start_date)
    valid = ~(np.isnat(d) | np.isnat(s)) & (d >= s)
    zero = np.datetime64(0, "D")
    d_safe = np.where(valid, d, zero)
    s_safe = np.where(valid, s, zero)
    # whole 12-month steps between the two months: exact, or one too many when the
    # anniversary in d's month falls after d
    years = (month_index(d_safe) - month_index(s_safe)) // 12
    years = years - (add_months(s_safe, 12 * years) > d_safe)
    return np.where(valid, years, -1)


def _cash_value_table(cash_values) -> tuple[pd.Index, np.ndarray]:
    """Pivot cash values into (instrument index, values[instrument, policy_year]).

    Column 0 holds the value 0 at start_date; a year not listed (or with a null cash value) is
    NaN. Raises ``ValueError`` for missing columns, null / non-integer / < 1 policy years and
    duplicate (instrument_id, policy_year) rows.
    """
    if hasattr(cash_values, "to_pandas") and not isinstance(cash_values, pd.DataFrame):
        cash_values = cash_values.to_pandas()  # Arrow table
    missing = {"instrument_id", "policy_year", "cash_value"} - set(cash_values.columns)
    if missing:
        raise ValueError(f"cash_values lacks column(s) {sorted(missing)}")
    years = to_float64(cash_values["policy_year"])
    if np.isnan(years).any() or (years < 1).any() or (years != np.floor(years)).any():
        raise ValueError("cash_values.policy_year must be an integer >= 1 on every row")
    ids = to_numpy_1d(cash_values["instrument_id"]).astype(object)
    values = to_float64(cash_values["cash_value"])
    if pd.DataFrame({"i": ids, "y": years}).duplicated().any():
        raise ValueError("cash_values has duplicate (instrument_id, policy_year) rows")
    keep = ~np.isnan(values)
    ids, years, values = ids[keep], years[keep].astype(np.int64), values[keep]
    index = pd.Index(pd.unique(ids))
    max_year = int(years.max()) if years.size else 0
    table = np.full((len(index), max_year + 1), np.nan)
    table[:, 0] = 0.0
    table[index.get_indexer(ids), years] = values
    return index, table


def _interpolate_cash_value(d, s, pos, years_done, table) -> np.ndarray:
    """Cash value per unit for rows with a table position ``pos`` and ``years_done >= 0``."""
    n_years = table.shape[1] - 1
    listed = ~np.isnan(table)
    # last listed year <= y and next listed year > y (-1: none), for y = 0..n_years;
    # loops run over policy years, never over rows.
    last_listed = np.zeros(table.shape, dtype=np.int64)
    for y in range(1, n_years + 1):
        last_listed[:, y] = np.where(listed[:, y], y, last_listed[:, y - 1])
    next_listed = np.full(table.shape, -1, dtype=np.int64)
    for y in range(n_years - 1, -1, -1):
        next_listed[:, y] = np.where(listed[:, y + 1], y + 1, next_listed[:, y + 1])

    col = np.minimum(years_done, n_years)
    lo = last_listed[pos, col]
    hi = next_listed[pos, col]
    value = table[pos, lo]
    between = hi >= 0  # otherwise flat after the last listed year
    if between.any():
        p, s_b, d_b = pos[between], s[between], d[between]
        lo_b, hi_b = lo[between], hi[between]
        lo_date = add_months(s_b, 12 * lo_b)
        hi_date = add_months(s_b, 12 * hi_b)
        weight = (d_b - lo_date).astype(np.float64) / (hi_date - lo_date).astype(np.float64)
        lo_value = table[p, lo_b]
        value[between] = lo_value + (table[p, hi_b] - lo_value) * weight
    return value


def insurance_unit_value(
    valuation_date,
    instrument_id,
    start_date,
    annual_premium,
    premium_years,
    basis,
    cash_values=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Value of one policy unit on each row's valuation day, in the instrument currency.

    Arguments are equal-length columns (numpy, pandas or Arrow), one row per instrument x day:
    ``valuation_date``, ``instrument_id``, ``start_date`` (policy start; dates, nulls NaT),
    ``annual_premium`` and ``premium_years`` (floats, nulls NaN). ``basis`` is ``cash_value``
    or ``premium_paid``, a scalar or a column. ``cash_values`` is a DataFrame (pandas, or an
    Arrow table) with ``instrument_id, policy_year, cash_value``, unique per
    (instrument_id, policy_year); it may be ``None`` when no row uses the ``cash_value`` basis.
    The rules are in the module docstring.

    Returns ``(unit_value, reason)``: ``unit_value`` float64, ``NaN`` exactly where ``reason``
    (object array of str or ``None``) is set. Reasons, the first that applies:

    - ``unknown_insurance_basis``: basis not one of ``INSURANCE_BASES``;
    - ``missing_start_date``: null start_date;
    - ``missing_cash_values``: basis ``cash_value`` and no cash value for the instrument;
    - ``missing_premium_terms``: basis ``premium_paid`` and null annual_premium;
    - ``policy_not_started``: valuation_date < start_date.

    A null valuation_date raises ``ValueError``.
    """
    d = to_datetime64d(valuation_date)
    ids = to_numpy_1d(instrument_id).astype(object)
    s = to_datetime64d(start_date)
    premium = to_float64(annual_premium)
    cap = to_float64(premium_years)
    n = check_row_columns(d, ids, s, premium, cap)
    basis = np.broadcast_to(to_object_str(basis), (n,))

    on_cash = basis == BASIS_CASH_VALUE
    on_premium = basis == BASIS_PREMIUM_PAID
    if cash_values is not None and on_cash.any():
        index, table = _cash_value_table(cash_values)
        pos = index.get_indexer(ids)
    else:
        index, table, pos = None, None, np.full(n, -1)

    unit_value = np.full(n, np.nan)
    checks = (
        (REASON_UNKNOWN_INSURANCE_BASIS, ~(on_cash | on_premium)),
        (REASON_MISSING_START_DATE, np.isnat(s)),
        (REASON_MISSING_CASH_VALUES, on_cash & (pos < 0)),
        (REASON_MISSING_PREMIUM_TERMS, on_premium & np.isnan(premium)),
        (REASON_POLICY_NOT_STARTED, d < s),
    )
    reason, pending = first_failing_check(checks, n)

    years_done = completed_policy_years(d, s)

    sel = pending & on_premium
    if sel.any():
        due = (years_done[sel] + 1).astype(np.float64)
        due = np.where(np.isnan(cap[sel]), due, np.minimum(due, cap[sel]))
        unit_value[sel] = premium[sel] * due

    sel = pending & on_cash
    if sel.any():
        unit_value[sel] = _interpolate_cash_value(d[sel], s[sel], pos[sel], years_done[sel], table)
    return unit_value, reason
