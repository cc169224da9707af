"""Customer tier assignment (docs/tiers.md), vectorised across customers.

The ladder (seed ``aum_tiers``) lists tiers with ``tier_code``, ``min_aum``, ``tier_rank`` and
``downgrade_grace_months``; a higher ``tier_rank`` is a higher tier and needs a higher ``min_aum``.
The default ladder is mass 0, gold 50,000, sunflower (金葵花) 500,000, diamond 5,000,000 and
private (私人银行) 10,000,000, with a grace of 3 months (6 for private).

Each customer is evaluated at the end of every complete month m from their first evaluated month
on, on ``tier_basis_aum`` (a month holding nothing has basis 0 and so qualifies for the lowest
tier):

* ``qualified_tier``: the highest tier whose ``min_aum`` <= basis; a basis below every
  ``min_aum`` (e.g. negative, or a ladder whose lowest tier starts above 0) qualifies for the
  lowest tier.
* First evaluated month: ``assigned = qualified``, ``months_below_tier = 0``,
  ``tier_change = 'new'``, ``previous_tier`` null.
* Qualified above the previous assigned tier: upgrade at once (tiers may be skipped);
  ``months_below_tier = 0``.
* Qualified equal to the previous assigned tier: keep; ``months_below_tier = 0``. So a dip that
  recovers before the grace runs out resets the count.
* Qualified below: ``months_below_tier + 1``. Once it reaches the previous assigned tier's
  ``downgrade_grace_months`` g, the customer is downgraded to *that month's* qualified tier (which
  may lie several tiers lower, and need not be the tier qualified for in the first month below)
  and ``months_below_tier = 0``; until then the previous assigned tier is kept. With g = 3 the
  downgrade happens in the 3rd consecutive month below. A grace g <= 0 behaves like g = 1: the
  downgrade is immediate, in the first month below.
* ``is_watch`` (关注) = ``months_below_tier > 0`` after the evaluation.

The assigned tier of month m holds from the first day of month m+1 (that shift belongs to the
mart, not to this module).

Implementation: rows are pivoted into a (customers x months) grid (stored months-major, so each
step reads one contiguous row) and the state machine steps over the month axis only, each step
being whole-column numpy operations over all customers: the cost is O(customers x months) with no
per-customer Python loop. Customers that start later (ragged starts) are handled by a presence
mask. Working memory is a few tens of bytes per grid cell; for 1,000,000 customers x 12 months
the four string columns of the result (~130 MB each) dominate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_LADDER",
    "LADDER_COLUMNS",
    "OUTPUT_COLUMNS",
    "TIER_CHANGES",
    "assign_tiers",
    "assign_tiers_frame",
    "default_ladder",
    "qualify",
]

LADDER_COLUMNS = ("tier_code", "min_aum", "tier_rank", "downgrade_grace_months")

OUTPUT_COLUMNS = (
    "customer_id",
    "month_start",
    "tier_basis_aum",
    "qualified_tier",
    "assigned_tier",
    "previous_tier",
    "tier_change",
    "months_below_tier",
    "is_watch",
)

#: Values of ``tier_change``.
TIER_CHANGES = ("new", "up", "down", "same")

#: (tier_code, min_aum, tier_rank, downgrade_grace_months) of the default ladder
#: (docs/tiers.md#the-ladder).
DEFAULT_LADDER: tuple[tuple[str, float, int, int], ...] = (
    ("mass", 0.0, 1, 3),
    ("gold", 50_000.0, 2, 3),
    ("sunflower", 500_000.0, 3, 3),
    ("diamond", 5_000_000.0, 4, 3),
    ("private", 10_000_000.0, 5, 6),
)

# tier_change labels indexed by 0 = new, 1 + sign(assigned_rank - previous_rank).
_CHANGE_LABELS = ("new", "down", "same", "up")


def _default_string_dtype() -> Any:
    """The dtype pandas gives a column of Python strings (``str`` in pandas 3, object before)."""
    return pd.Series(["x"]).dtype


def _label_column(labels: Sequence[str], idx: np.ndarray) -> Any:
    """Column of ``labels[idx]`` (null where idx < 0) in pandas' default string dtype.

    With an Arrow-backed default string dtype (pandas 3) the column is built by an Arrow
    ``take`` on the small label dictionary, about ten times faster than going through a
    million-row object array; otherwise an object array is returned.
    """
    dtype = _default_string_dtype()
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        indices = pa.array(idx.astype(np.int32, copy=False), mask=idx < 0)
        return pd.array(pa.array(list(labels), type=pa.large_string()).take(indices), dtype=dtype)
    return np.append(np.array(list(labels), dtype=object), None)[idx]


def default_ladder() -> pd.DataFrame:
    """Return the default ladder (docs/tiers.md#the-ladder) as a DataFrame, ``LADDER_COLUMNS``."""
    return pd.DataFrame(list(DEFAULT_LADDER), columns=list(LADDER_COLUMNS))


class _Ladder:
    """A validated ladder, ordered from the lowest tier (position 0) to the highest."""

    def __init__(self, ladder: pd.DataFrame) -> None:
        if not isinstance(ladder, pd.DataFrame):
            raise TypeError("ladder must be a pandas DataFrame")
        missing = [c for c in LADDER_COLUMNS if c not in ladder.columns]
        if missing:
            raise ValueError(f"ladder is missing column(s): {', '.join(missing)}")
        if len(ladder) == 0:
            raise ValueError("ladder has no tiers")
        lad = ladder[list(LADDER_COLUMNS)]
        nulls = [c for c in LADDER_COLUMNS if lad[c].isna().any()]
        if nulls:
            raise ValueError(f"ladder has null values in column(s): {', '.join(nulls)}")
        if lad["tier_code"].duplicated().any():
            raise ValueError("ladder tier_code values are not unique")
        if lad["tier_rank"].duplicated().any():
            raise ValueError("ladder tier_rank values are not unique")
        lad = lad.sort_values("tier_rank", kind="stable")
        # float() handles Decimal (DuckDB DECIMAL) as well as ints and floats.
        min_aum = np.array([float(v) for v in lad["min_aum"]], dtype=np.float64)
        if not np.all(np.isfinite(min_aum)):
            raise ValueError("ladder min_aum must be finite")
        if np.any(np.diff(min_aum) <= 0):
            raise ValueError("ladder min_aum must increase strictly with tier_rank")
        grace = np.array([int(v) for v in lad["downgrade_grace_months"]], dtype=np.int64)
        self.codes = np.array([str(v) for v in lad["tier_code"]], dtype=object)
        self.min_aum = min_aum
        # A grace g <= 0 is applied as g = 1: downgrade in the first month below.
        self.grace = np.maximum(grace, 1)
        self.size = len(min_aum)
        if self.size > np.iinfo(np.int16).max:
            raise ValueError("ladder has too many tiers")

    def positions(self, basis: np.ndarray) -> np.ndarray:
        """Ladder position (0 = lowest) of the qualified tier; -1 for a NaN basis."""
        pos = np.searchsorted(self.min_aum, basis, side="right") - 1
        np.maximum(pos, 0, out=pos)  # below every min_aum -> lowest tier
        pos[np.isnan(basis)] = -1
        return pos.astype(np.int16)


def _to_float(values: Any, name: str) -> np.ndarray:
    arr = pd.Series(values) if not isinstance(values, pd.Series) else values
    try:
        return arr.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric") from exc


def qualify(basis: Any, ladder: pd.DataFrame) -> np.ndarray:
    """Qualified tier code for each basis amount (vectorised with ``np.searchsorted``).

    The qualified tier is the highest tier whose ``min_aum`` <= basis; a basis below every
    ``min_aum`` qualifies for the lowest tier. A null (NaN) basis gives ``None``.

    Returns an object array of tier codes with the same length as ``basis``.
    """
    lad = _Ladder(ladder)
    b = np.atleast_1d(_to_float(basis, "basis"))
    pos = lad.positions(b)
    codes = np.append(lad.codes, None)  # position -1 -> None
    return codes[pos]


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, pd.Index):
        return pd.Series(values, copy=False)
    return pd.Series(values)


def _months_major(cells: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(months, customers) contiguous copy of a flat customer-major grid of ``shape``."""
    return np.ascontiguousarray(cells.reshape(shape).T)


def _present_cells(matrix: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Values of a (months, customers) matrix at the present cells, in customer-major order."""
    return np.ascontiguousarray(matrix.T).reshape(-1)[present]


def _run_state_machine(
    present: np.ndarray, qual: np.ndarray, grace: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step the tier state machine over the month axis.

    ``present`` and ``qual`` are (months, customers) matrices, C-contiguous so that each step
    reads and writes contiguous rows: whether the customer is evaluated in that month and the
    ladder position qualified for. Cells that are not present leave the
    state untouched. Returns (previous, assigned, months_below) matrices; previous is -1 in a
    customer's first evaluated month. Values in cells that are not present are meaningless.
    """
    n_months, n_cust = present.shape
    prev_out = np.empty((n_months, n_cust), dtype=np.int16)
    assigned_out = np.empty((n_months, n_cust), dtype=np.int16)
    below_out = np.empty((n_months, n_cust), dtype=np.int32)
    prev = np.full(n_cust, -1, dtype=np.int16)  # assigned tier so far; -1 = not yet evaluated
    below = np.zeros(n_cust, dtype=np.int32)  # months_below_tier so far
    grace32 = np.minimum(grace, np.iinfo(np.int32).max).astype(np.int32)
    for m in range(n_months):
        p = present[m]
        q = qual[m]
        is_below = q < prev  # False where prev == -1 (first evaluation) since q >= 0
        count = np.where(is_below, below + 1, 0).astype(np.int32, copy=False)
        grace_of_prev = grace32[np.maximum(prev, 0)]
        hold = is_below & (count < grace_of_prev)  # below, grace not yet reached: keep prev
        assigned = np.where(hold, prev, q)  # up, same, new, or downgrade to this month's q
        count[~hold] = 0
        prev_out[m] = prev
        assigned_out[m] = assigned
        below_out[m] = count
        np.copyto(prev, assigned, where=p)
        np.copyto(below, count, where=p)
    return prev_out, assigned_out, below_out


def _empty_output(cust: pd.Series, month: pd.Series) -> pd.DataFrame:
    obj = _label_column((), np.array([], dtype=np.intp))
    return pd.DataFrame(
        {
            "customer_id": cust.iloc[:0],
            "month_start": month.iloc[:0],
            "tier_basis_aum": np.array([], dtype=np.float64),
            "qualified_tier": obj,
            "assigned_tier": obj,
            "previous_tier": obj,
            "tier_change": obj,
            "months_below_tier": np.array([], dtype=np.int64),
            "is_watch": np.array([], dtype=bool),
        }
    )


def assign_tiers(
    customer_id: Any,
    month_start: Any,
    tier_basis_aum: Any,
    is_evaluated: Any,
    ladder: pd.DataFrame,
) -> pd.DataFrame:
    """Assign each customer's tier month by month, following docs/tiers.md#monthly-evaluation.

    Parameters
    ----------
    customer_id, month_start, tier_basis_aum, is_evaluated:
        Equal-length array-likes (numpy arrays, pandas Series, lists), one row per customer and
        complete month, in any order. ``month_start`` may be any sortable type (datetime64,
        ``datetime.date``, ISO strings). ``is_evaluated`` is boolean: rows where it is False
        (e.g. months before the customer's first evaluated month) are ignored and not returned.
    ladder:
        DataFrame with columns ``tier_code``, ``min_aum``, ``tier_rank``,
        ``downgrade_grace_months`` (any row order; ``min_aum`` must increase strictly with
        ``tier_rank``).

    Rules
    -----
    Per customer, the evaluated months are processed in ``month_start`` order:

    * ``qualified_tier`` = highest tier with ``min_aum`` <= ``tier_basis_aum`` (the lowest tier
      if the basis is below every ``min_aum``).
    * First evaluated month: assigned = qualified, months_below_tier = 0, tier_change 'new',
      previous_tier null.
    * Qualified rank > previous assigned rank: upgrade at once (may skip tiers); 0 months below.
    * Qualified rank == previous assigned rank: keep; 0 months below.
    * Qualified rank < previous assigned rank: months_below_tier + 1; when it reaches the previous
      assigned tier's ``downgrade_grace_months`` g, assigned = this month's qualified tier (may
      skip tiers) and months_below_tier = 0; otherwise the previous assigned tier is kept. A
      grace g <= 0 is treated as 1 (immediate downgrade in the first month below).
    * tier_change compares assigned with previous assigned by rank: 'up', 'down' or 'same'.
    * is_watch = months_below_tier > 0.

    Evaluated months of a customer are expected to be consecutive; if a month is missing in the
    middle, the next present month is compared with the last evaluated one (the state carries
    over the gap unchanged).

    Returns
    -------
    pandas.DataFrame with one row per evaluated input row, sorted by customer_id, month_start,
    and columns ``OUTPUT_COLUMNS``: customer_id and month_start (input dtypes kept),
    tier_basis_aum (float64), qualified_tier, assigned_tier, previous_tier (null in the first
    evaluated month), tier_change (string columns), months_below_tier (int64), is_watch (bool).

    Raises
    ------
    ValueError
        On unequal lengths, a null customer_id / month_start / is_evaluated, a null
        tier_basis_aum in an evaluated row, two evaluated rows for the same customer and month,
        or an invalid ladder.
    """
    lad = _Ladder(ladder)
    cust = _as_series(customer_id)
    month = _as_series(month_start)
    basis_all = _to_float(tier_basis_aum, "tier_basis_aum")
    evaluated = _as_series(is_evaluated)
    lengths = {len(cust), len(month), len(basis_all), len(evaluated)}
    if len(lengths) != 1:
        raise ValueError(
            "customer_id, month_start, tier_basis_aum and is_evaluated must have equal lengths"
        )
    if evaluated.isna().any():
        raise ValueError("is_evaluated has null values")
    mask = evaluated.to_numpy(dtype=bool)

    # Codes are taken over all rows (customers or months without an evaluated row only add
    # empty matrix cells), so the id columns are gathered from the input once, at the end.
    cust_code, cust_uniques = pd.factorize(cust, sort=True)
    month_code, month_uniques = pd.factorize(month, sort=True)
    keep = None if mask.all() else np.flatnonzero(mask)
    if keep is not None:
        cust_code, month_code, basis = cust_code[keep], month_code[keep], basis_all[keep]
    else:
        basis = basis_all
    n = len(basis)
    if n == 0:
        return _empty_output(cust, month)
    if np.isnan(basis).any():
        raise ValueError("tier_basis_aum has null values in evaluated rows")
    if (cust_code < 0).any():
        raise ValueError("customer_id has null values")
    if (month_code < 0).any():
        raise ValueError("month_start has null values")
    n_cust, n_months = len(cust_uniques), len(month_uniques)

    # Scatter the rows into the customer-major (customers x months) grid; reading the occupied
    # cells back in order gives the (customer, month) output order without a sort.
    n_cells = n_cust * n_months
    index_dtype = np.int32 if max(n_cells, n) < np.iinfo(np.int32).max else np.int64
    key = cust_code.astype(index_dtype) * index_dtype(n_months) + month_code.astype(index_dtype)
    del cust_code, month_code
    row_at = np.full(n_cells, -1, dtype=index_dtype)
    row_at[key] = np.arange(n, dtype=index_dtype)
    del key
    present = row_at >= 0
    order = row_at[present]
    del row_at
    if len(order) != n:
        raise ValueError("duplicate (customer_id, month_start) among evaluated rows")
    basis_sorted = basis[order]
    qual_sorted = lad.positions(basis_sorted)
    qual = np.zeros(n_cells, dtype=np.int16)
    qual[present] = qual_sorted

    # The state machine runs on (months, customers) copies: one contiguous row per month step.
    shape = (n_cust, n_months)
    prev_m, assigned_m, below_m = _run_state_machine(
        _months_major(present, shape), _months_major(qual, shape), lad.grace
    )
    del qual
    prev = _present_cells(prev_m, present)
    assigned = _present_cells(assigned_m, present)
    below = _present_cells(below_m, present).astype(np.int64)
    del prev_m, assigned_m, below_m, present

    rows = order if keep is None else keep[order]
    codes = list(lad.codes)
    change_idx = np.where(prev < 0, 0, np.sign(assigned - prev) + 2)
    return pd.DataFrame(
        {
            "customer_id": cust.take(rows).reset_index(drop=True),
            "month_start": month.take(rows).reset_index(drop=True),
            "tier_basis_aum": basis_sorted,
            "qualified_tier": _label_column(codes, qual_sorted),
            "assigned_tier": _label_column(codes, assigned),
            "previous_tier": _label_column(codes, prev),
            "tier_change": _label_column(_CHANGE_LABELS, change_idx),
            "months_below_tier": below,
            "is_watch": below > 0,
        },
        copy=False,
    )


def assign_tiers_frame(
    frame: pd.DataFrame,
    ladder: pd.DataFrame,
    *,
    basis_column: str = "tier_basis_aum",
    evaluated_column: str | None = "is_evaluated",
    key_columns: Sequence[str] = ("customer_id", "month_start"),
) -> pd.DataFrame:
    """Convenience wrapper: :func:`assign_tiers` on the columns of a DataFrame.

    ``evaluated_column`` None means every row is evaluated.
    """
    cust_col, month_col = key_columns
    evaluated = (
        np.ones(len(frame), dtype=bool) if evaluated_column is None else frame[evaluated_column]
    )
    return assign_tiers(frame[cust_col], frame[month_col], frame[basis_column], evaluated, ladder)
