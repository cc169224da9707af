"""Reason codes for rows that cannot be valued, shared by the valuation modules."""

from __future__ import annotations

import numpy as np


def first_failing_check(checks, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``(code, mask)`` checks in order; each row gets the code of the first that fails.

    Returns ``(reason, pending)``: an object array of codes (``None`` where every check passed)
    and a boolean array of the rows that passed every check.
    """
    reason = np.full(n, None, dtype=object)
    pending = np.ones(n, dtype=bool)
    for code, mask in checks:
        hit = pending & mask
        reason[hit] = code
        pending &= ~hit
    return reason, pending
