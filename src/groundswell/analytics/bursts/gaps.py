"""Collection gaps: a stretch with no data is *missing*, not zero.

Archives of social media are samples with holes: a scraper that skipped days, a stream that dropped, a per-day
cap. Counted naively, a hole reads as total silence, and silence ends bursts, drags baselines down and makes the
next ordinary hour look like an outbreak. Every detector in this package takes a ``missing`` mask instead; this
module finds one.

A run of zero bins is called missing when silence that long is implausible for the series: its expected count
``mu`` (from ``expected``, or else from the level of the series around the run) makes ``P(all zero) = exp(-mu)``
smaller than ``GAP_PROBABILITY``. A quiet hashtag with a few posts a day keeps its genuine zeros; a collection that
normally sees hundreds of posts an hour and records none for a day has a gap. NaN counts are always missing.

What it cannot see: a bin that is only *partly* collected (a capped day that stops at 11:00) is not zero and
is not flagged. Detect gaps on the collection's total volume, not on one hashtag's counts, and pass that mask
to every per-hashtag series: a hashtag's zero in an hour when the collection was running is a real zero.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

GAP_PROBABILITY = 1e-6
"""A zero run is missing when a Poisson series at its expected level would be that silent less often than this."""

CONTEXT_BINS = 24
"""Minimum number of bins on each side of a zero run used to estimate the level the series had around it."""


def find_gaps(counts: ArrayLike, *, min_len: int = 1, expected: ArrayLike | float | None = None) -> np.ndarray:
    """Boolean mask of bins where the collection had no data.

    ``min_len``: zero runs shorter than this are never gaps. ``expected``: the count each bin would have under
    normal collection (a scalar or one value per bin), e.g. a known baseline rate; when omitted it is estimated
    per run as the smaller of the mean counts just before and just after the run (over ``max(run length,
    CONTEXT_BINS)`` bins each side, the conservative side: a run next to a genuinely quiet stretch is not blamed
    on the collection). A run at the edge of the series uses the one side it has; an all-zero series has no
    level to judge by and no gaps.
    """
    if min_len < 1:
        raise ValueError(f"min_len must be at least 1, got {min_len}")
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 1:
        raise ValueError("counts must be one-dimensional")
    if np.any(c < 0):
        raise ValueError("counts must be non-negative")
    nan = np.isnan(c)
    gaps = nan.copy()
    exp = None
    if expected is not None:
        exp = np.broadcast_to(np.asarray(expected, dtype=np.float64), c.shape)
    threshold = -math.log(GAP_PROBABILITY)
    # Prefix sums over observed bins give any window's mean in O(1).
    filled = np.where(nan, 0.0, c)
    total = np.concatenate(([0.0], np.cumsum(filled)))
    seen = np.concatenate(([0], np.cumsum(~nan)))
    for a, b in _zero_runs(c):
        length = b - a
        if length < min_len:
            continue
        if exp is not None:
            mu = float(exp[a:b].sum())
        else:
            rate = _context_rate(total, seen, a, b, max(length, CONTEXT_BINS))
            if rate is None:
                continue
            mu = rate * length
        if mu >= threshold:
            gaps[a:b] = True
    return gaps


def _zero_runs(c: np.ndarray) -> list[tuple[int, int]]:
    """Half-open (start, stop) of every maximal run of exact zeros."""
    zero = np.concatenate(([False], c == 0, [False])).astype(np.int8)
    edges = np.diff(zero)
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _context_rate(total: np.ndarray, seen: np.ndarray, a: int, b: int, width: int) -> float | None:
    """Smaller of the observed mean counts in ``width`` bins before ``a`` and after ``b``; None without data."""
    n = total.size - 1
    means = []
    for lo, hi in ((max(0, a - width), a), (b, min(n, b + width))):
        k = int(seen[hi] - seen[lo])
        if k:
            means.append(float(total[hi] - total[lo]) / k)
    if not means or max(means) <= 0:
        return None
    return min(means)
