"""Day-count fractions and month arithmetic over whole date columns.

Conventions (docs/valuation.md#day-counts):

- ``ACT/360``: actual days / 360.
- ``ACT/365F``: actual days / 365.
- ``ACT/ACT-ICMA``: actual days / (frequency x actual days of the reference coupon period).
  It needs a reference period and a coupon frequency, so it is only meaningful for bonds.
- ``30/360``: US bond basis, as QuantLib ``Thirty360(Thirty360.BondBasis)``: a start day of 31
  becomes 30; an end day of 31 becomes 30 only when the (adjusted) start day is 30.
- ``30E/360``: Eurobond basis, as QuantLib ``Thirty360(Thirty360.European)``: any day of 31
  becomes 30.

Dates are ``numpy.datetime64[D]`` columns; nulls are ``NaT`` and give ``NaN`` fractions. The
helpers ``to_datetime64d``, ``to_float64`` and ``to_object_str`` turn numpy, pandas or Arrow
columns into the plain numpy arrays the valuation functions work on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DAY_COUNTS = ("ACT/360", "ACT/365F", "ACT/ACT-ICMA", "30/360", "30E/360")

_NAT = np.datetime64("NaT", "D")


# --------------------------------------------------------------------------------------------
# Input coercion
# --------------------------------------------------------------------------------------------
def to_numpy_1d(values) -> np.ndarray:
    """Return ``values`` (numpy, pandas, Arrow, list or scalar) as a 1-d numpy array."""
    if isinstance(values, np.ndarray):
        arr = values
    elif hasattr(values, "to_numpy") and hasattr(values, "type"):  # pyarrow (Chunked)Array
        arr = np.asarray(values.to_numpy(zero_copy_only=False))
    elif isinstance(values, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        arr = np.asarray(values.to_numpy())
    else:
        arr = np.asarray(values)
    return np.atleast_1d(arr)


def to_datetime64d(values) -> np.ndarray:
    """Coerce a date column to ``datetime64[D]``; ``None``/``NaN``/``NaT`` become ``NaT``.

    Accepts numpy datetime64 of any unit, pandas Series/Index, Arrow date/timestamp arrays,
    ISO strings and ``datetime.date`` objects. Times of day are truncated to the day.
    """
    arr = to_numpy_1d(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]")
    if arr.dtype.kind == "O" or arr.dtype.kind in "US":
        parsed = pd.to_datetime(pd.Series(arr, dtype=object), format="mixed")
        return parsed.to_numpy().astype("datetime64[D]")
    if arr.dtype.kind == "f" and np.isnan(arr).all():  # an all-null column read as floats
        return np.full(arr.shape, _NAT)
    raise TypeError(f"cannot interpret values of dtype {arr.dtype} as dates")


def to_float64(values) -> np.ndarray:
    """Coerce a numeric column to ``float64``; ``None``/``pd.NA`` become ``NaN``."""
    arr = to_numpy_1d(values)
    if arr.dtype.kind in "fiub":
        return arr.astype(np.float64)
    series = pd.Series(arr, dtype=object).astype("Float64")
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def to_object_str(values) -> np.ndarray:
    """Coerce a string column to an object array of ``str``, with ``None`` for nulls."""
    arr = to_numpy_1d(values).astype(object)
    arr[pd.isna(arr)] = None
    return arr


def check_row_columns(valuation_date: np.ndarray, *columns: np.ndarray) -> int:
    """Return the row count of a batch of coerced columns, after checking them.

    Every column must be 1-d with as many rows as ``valuation_date``, which must hold no null:
    a ``ValueError`` otherwise. Shared by the valuation modules' batch functions.
    """
    n = valuation_date.shape[0]
    if any(column.shape != (n,) for column in columns):
        raise ValueError("all arguments must be 1-d columns of the same length")
    if np.isnat(valuation_date).any():
        raise ValueError("valuation_date must not contain nulls")
    return n


# --------------------------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------------------------
def _civil_from_days(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Proleptic Gregorian (year, month 1-12, day 1-31) of int64 days since 1970-01-01.

    Pure integer arithmetic on 400-year eras (146097 days, eras starting 1 March), which is
    much faster than numpy's ``datetime64[D] -> [M]`` unit conversion.
    """
    z = days + 719468  # days since 0000-03-01
    era = z // 146097
    doe = z - era * 146097  # day of era, 0..146096
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365  # year of era, 0..399
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # day of the March-based year, 0..365
    mp = (5 * doy + 2) // 153  # March = 0 .. February = 11
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _days_from_civil(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Inverse of ``_civil_from_days``: int64 days since 1970-01-01."""
    year = year - (month <= 2)
    era = year // 400
    yoe = year - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _days_in_month(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    """Number of days of the given month (Gregorian leap years)."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return _DAYS_IN_MONTH[month - 1] + ((month == 2) & leap)


def _ymd(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split ``datetime64[D]`` (no NaT) into int64 year, month (1-12) and day (1-31)."""
    return _civil_from_days(dates.astype("datetime64[D]").view(np.int64))


def month_index(dates) -> np.ndarray:
    """Months since January 1970 of each date (int64; meaningless where the date is NaT)."""
    dates = to_datetime64d(dates)
    year, month, _ = _ymd(np.where(np.isnat(dates), np.datetime64(0, "D"), dates))
    return (year - 1970) * 12 + month - 1


def _days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Actual days from ``start`` to ``end`` as float64 (``NaN`` where either is NaT)."""
    out = (end - start).astype(np.float64)
    out[np.isnat(start) | np.isnat(end)] = np.nan
    return out


def add_months(dates, months) -> np.ndarray:
    """Shift dates by whole months, clipping the day to the end of the target month.

    This is QuantLib's ``Date + Period(n, Months)`` (no end-of-month rule, no calendar):
    31 Aug 2024 - 6 months = 29 Feb 2024 (leap year), 31 Aug 2025 - 6 months = 28 Feb 2025,
    29 Feb 2024 + 12 months = 28 Feb 2025.
    ``months`` is an int scalar or an int array broadcast against ``dates``; ``NaT`` stays
    ``NaT``.
    """
    dates = to_datetime64d(dates)
    months = np.broadcast_to(np.asarray(months, dtype=np.int64), dates.shape)
    valid = ~np.isnat(dates)
    year, month, day = _ymd(np.where(valid, dates, np.datetime64(0, "D")))
    target = year * 12 + (month - 1) + np.where(valid, months, 0)
    new_year, new_month = target // 12, target % 12 + 1
    new_day = np.minimum(day, _days_in_month(new_year, new_month))
    out = _days_from_civil(new_year, new_month, new_day).astype("datetime64[D]")
    out[~valid] = _NAT
    return out


# --------------------------------------------------------------------------------------------
# Day-count fractions
# --------------------------------------------------------------------------------------------
def _thirty_360(start: np.ndarray, end: np.ndarray, european: bool) -> np.ndarray:
    """30/360 day count (bond basis or European) in days, as float64."""
    valid = ~(np.isnat(start) | np.isnat(end))
    zero = np.datetime64(0, "D")
    y1, m1, d1 = _ymd(np.where(valid, start, zero))
    y2, m2, d2 = _ymd(np.where(valid, end, zero))
    d1 = np.where(d1 == 31, 30, d1)
    if european:
        d2 = np.where(d2 == 31, 30, d2)
    else:
        d2 = np.where((d2 == 31) & (d1 >= 30), 30, d2)
    out = (360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1)).astype(np.float64)
    out[~valid] = np.nan
    return out


def year_fraction(
    start, end, day_count: str, ref_start=None, ref_end=None, frequency=None
) -> np.ndarray:
    """Day-count fraction from ``start`` to ``end`` (element-wise, float64).

    ``start``/``end`` are equal-length date columns (``datetime64[D]``; anything
    ``to_datetime64d`` accepts); ``day_count`` is one scalar convention from ``DAY_COUNTS``:

    - ``ACT/360`` = days / 360; ``ACT/365F`` = days / 365;
    - ``30/360`` = QuantLib ``Thirty360(BondBasis)`` days / 360;
    - ``30E/360`` = QuantLib ``Thirty360(European)`` days / 360;
    - ``ACT/ACT-ICMA`` = days / (``frequency`` x days from ``ref_start`` to ``ref_end``); the
      three extra arguments are required for it (scalars or columns) and ignored otherwise.

    The result is signed (negative when ``end < start``) and ``NaN`` where a date is NaT.
    Raises ``ValueError`` for an unknown convention or a missing ICMA reference period.
    """
    start, end = to_datetime64d(start), to_datetime64d(end)
    if day_count == "ACT/360":
        return _days(start, end) / 360.0
    if day_count == "ACT/365F":
        return _days(start, end) / 365.0
    if day_count == "30/360":
        return _thirty_360(start, end, european=False) / 360.0
    if day_count == "30E/360":
        return _thirty_360(start, end, european=True) / 360.0
    if day_count == "ACT/ACT-ICMA":
        if ref_start is None or ref_end is None or frequency is None:
            raise ValueError("ACT/ACT-ICMA needs ref_start, ref_end and frequency")
        ref_start = np.broadcast_to(to_datetime64d(ref_start), start.shape)
        ref_end = np.broadcast_to(to_datetime64d(ref_end), start.shape)
        freq = np.broadcast_to(to_float64(frequency), start.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _days(start, end) / (freq * _days(ref_start, ref_end))
    raise ValueError(f"unknown day count {day_count!r}; expected one of {DAY_COUNTS}")
