"""Kleinberg's burst automaton (Kleinberg 2002, "Bursty and Hierarchical Structure in Streams").

Three emission models share one solver:

* **batched binomial** (``totals`` given): bin ``t`` holds ``r_t`` relevant posts out of ``d_t`` posts.
  Level ``i`` expects the share ``p_i = p_0 * s**i`` with ``p_0 = sum(r) / sum(d)``; levels with
  ``p_i >= 1`` are impossible and dropped. This is the "enumerating bursts" variant of section 4 of the
  paper and what the PyPI package ``burst_detection`` implements (two levels only, greedily).
* **Poisson** (``totals`` omitted): counts without a denominator. Level ``i`` expects the rate
  ``lambda_i = lambda_0 * s**i`` with ``lambda_0`` the mean count of the observed bins.
* **inter-arrival** (:func:`kleinberg_offsets`): the paper's original model over event times, gaps
  exponential with rate ``s**i / mean_gap``. It is what ``pybursts`` implements; kept so the two can be
  compared like for like.

Moving up ``j - i`` levels costs ``(j - i) * gamma * ln(n)`` (``n`` observed bins); moving down is free.

**Why it is fast.** Write a state path as a stack of binary "level >= l" paths. Both the emission cost and
the transition cost split into one term per level, and each level's extra emission cost
``delta_l[t] = cost(l) - cost(l-1)`` grows with ``l`` in every bin for all three models. The level problems are
then submodular with ordered unary terms, so their minimal solutions are nested, and stacking them gives
exactly the minimal optimal path of the joint automaton (the path a textbook Viterbi returns when ties go to
the lower state). Each two-state problem is a Viterbi whose cost difference obeys
``D[t] = clip(D[t-1], 0, g) + delta[t]``. Clip-and-shift maps compose into clip-and-shift maps, so ``D`` is a
prefix scan: ``log2(n)`` numpy passes over all bins and levels at once, O(n·K) memory, no Python loop over
bins. The backtrace is a backward fill. ``tests/analytics/bursts`` checks the result against a plain
K-state Viterbi with loops.

**Missing bins** (collection gaps, see :mod:`.gaps`) carry no evidence, so they are cut out of time: the
automaton runs over the observed bins only, its state carries across a gap unchanged, and ``n`` counts observed
bins. A gap therefore neither starts nor ends a burst, and no burst is stretched into a gap by the silence
there: a burst that is still on after the gap keeps its start (no false onset), one that is over ends at its
last observed bin. :func:`kleinberg_states` reports ``MISSING`` (-1) for missing bins; a :class:`Burst` may span
a gap, but its start, end and peak are always observed bins and its weight sums observed bins only. A bin
whose total is 0, or whose count is NaN, is missing too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MISSING = -1
"""State reported for bins without data."""

_MAX_LEVELS = 64


@dataclass(frozen=True)
class Burst:
    """One burst: bins ``start..end`` (inclusive) spent at ``level`` or above.

    ``peak`` is the observed bin with the highest rate (count, or share of the total) inside the burst;
    ``weight`` is Kleinberg's: the cost saved by being at ``level`` rather than ``level - 1`` over the burst,
    summed over its observed bins. Bursts nest: a level-2 burst lies inside a level-1 burst.
    """

    level: int
    start: int
    end: int
    peak: int
    weight: float


def kleinberg_states(
    counts: ArrayLike,
    totals: ArrayLike | None = None,
    *,
    s: float = 2.0,
    gamma: float = 1.0,
    levels: int | None = None,
    missing: ArrayLike | None = None,
) -> np.ndarray:
    """Optimal automaton state per bin: 0 is the baseline, ``MISSING`` (-1) a bin without data.

    ``levels`` caps the number of burst levels above the baseline (``None``: as many as the data can reach;
    levels no bin could prefer are never entered, so ``None`` equals any larger cap).
    """
    _, delta, observed = _prepare(counts, totals, s=s, gamma=gamma, levels=levels, missing=missing)
    states = np.full(observed.size, MISSING, dtype=np.int64)
    if delta.shape[1]:
        states[observed] = _nested_viterbi(delta, _up_cost(gamma, delta.shape[1])).sum(axis=0)
    return states


def kleinberg_bursts(
    counts: ArrayLike,
    totals: ArrayLike | None = None,
    *,
    s: float = 2.0,
    gamma: float = 1.0,
    levels: int | None = None,
    missing: ArrayLike | None = None,
) -> list[Burst]:
    """Bursts of every level, ordered by start then level; indices are bins of ``counts``.

    Rank them by ``weight`` for Kleinberg's "strongest bursts" list.
    """
    rates, delta, observed = _prepare(counts, totals, s=s, gamma=gamma, levels=levels, missing=missing)
    if not delta.shape[1]:
        return []
    on = _nested_viterbi(delta, _up_cost(gamma, delta.shape[1]))
    return _enumerate(on, delta, rates[observed], np.flatnonzero(observed))


def kleinberg_offsets(
    offsets: ArrayLike,
    *,
    s: float = 2.0,
    gamma: float = 1.0,
    levels: int | None = None,
) -> list[Burst]:
    """Bursts in a stream of event times, with Kleinberg's original inter-arrival model.

    Indices are positions in the *sorted* event times: a burst covering the gaps ``i..j`` runs from event
    ``i`` to event ``j + 1``. Events at identical times have an infinite rate: bin them and use
    :func:`kleinberg_bursts` instead. ``levels=None`` uses ``ceil(log_s(span) + log_s(1 / min gap))`` levels,
    the state count ``pybursts`` uses, minus its baseline.
    """
    _check_params(s, gamma, levels)
    times = np.sort(np.asarray(offsets, dtype=np.float64).ravel())
    if times.size < 2:
        return []
    gaps = np.diff(times)
    if not np.all(gaps > 0):
        raise ValueError("events must have distinct times; bin them and use kleinberg_bursts instead")
    mean_gap = float(gaps.sum()) / gaps.size
    if levels is None:
        states = math.ceil(1 + math.log(float(gaps.sum()), s) + math.log(1 / float(gaps.min()), s))
        levels = max(1, states - 1)
    ln_s = math.log(s)
    alpha = [s**i / mean_gap for i in range(levels + 1)]
    # cost(i, x) = alpha_i * x - ln(alpha_i); delta_l = cost(l) - cost(l - 1).
    delta = np.stack([(alpha[lv] - alpha[lv - 1]) * gaps - ln_s for lv in range(1, levels + 1)])
    delta = delta[: _useful_levels(delta)]
    if not delta.shape[0]:
        return []
    on = _nested_viterbi(delta, _up_cost(gamma, gaps.size))
    bursts = _enumerate(on, delta, 1 / gaps, np.arange(gaps.size))
    # A burst over gaps i..j spans events i..j+1.
    return [Burst(b.level, b.start, b.end + 1, b.peak, b.weight) for b in bursts]


def _check_params(s: float, gamma: float, levels: int | None) -> None:
    if not s > 1:
        raise ValueError(f"s must be greater than 1, got {s}")
    if not gamma >= 0:
        raise ValueError(f"gamma must be non-negative, got {gamma}")
    if levels is not None and levels < 1:
        raise ValueError(f"levels must be at least 1, got {levels}")


def _up_cost(gamma: float, n: int) -> float:
    """Cost of moving up one level. Written ``1 * gamma * ln(n)`` like the paper's ``(j - i) * gamma * ln(n)``."""
    return 1 * gamma * math.log(n) if n > 0 else 0.0


def _prepare(
    counts: ArrayLike,
    totals: ArrayLike | None,
    *,
    s: float,
    gamma: float,
    levels: int | None,
    missing: ArrayLike | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate inputs; return (rate per bin, delta (levels x observed bins), observed mask)."""
    _check_params(s, gamma, levels)
    r = np.asarray(counts, dtype=np.float64)
    if r.ndim != 1:
        raise ValueError("counts must be one-dimensional")
    observed = ~np.isnan(r)
    if missing is not None:
        gap = np.asarray(missing, dtype=bool)
        if gap.shape != r.shape:
            raise ValueError("missing must have the same length as counts")
        observed &= ~gap
    if np.any(r[observed] < 0):
        raise ValueError("counts must be non-negative")
    cap = levels if levels is not None else _MAX_LEVELS
    ln_s = math.log(s)
    if totals is None:
        rates = r
        ro = r[observed]
        base = float(ro.mean()) if ro.size else 0.0
        if base <= 0:
            return rates, np.empty((0, ro.size)), observed
        if levels is None:
            # Level l can only be preferred where r ln(s) > lambda_{l-1} (s - 1); build no level beyond that.
            reach = float(ro.max()) * ln_s / ((s - 1) * base)
            cap = min(cap, max(1, math.floor(math.log(reach, s)) + 2 if reach > 1 else 1))
        lam = [base * s**i for i in range(cap + 1)]
        # cost(i, r) = lambda_i - r ln(lambda_i), dropping ln(r!), which is the same for every level.
        delta = np.stack([(lam[lv] - lam[lv - 1]) - ro * ln_s for lv in range(1, cap + 1)])
    else:
        d = np.asarray(totals, dtype=np.float64)
        if d.shape != r.shape:
            raise ValueError("totals must have the same length as counts")
        observed &= ~np.isnan(d) & (d > 0)
        ro, do = r[observed], d[observed]
        if np.any(ro > do):
            raise ValueError("counts cannot exceed totals")
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = r / d
        base = float(ro.sum() / do.sum()) if ro.size else 0.0
        p = [base * s**i for i in range(cap + 1)]
        cap = sum(1 for pi in p[1:] if pi < 1)
        if base <= 0 or cap == 0:
            return rates, np.empty((0, ro.size)), observed
        # cost(i, r, d) = -(r ln p_i + (d - r) ln(1 - p_i)), dropping ln C(d, r).
        lq = [math.log1p(-pi) for pi in p[: cap + 1]]
        delta = np.stack([(do - ro) * (lq[lv - 1] - lq[lv]) - ro * ln_s for lv in range(1, cap + 1)])
    if levels is None:
        delta = delta[: max(1, _useful_levels(delta))]
    return rates, delta, observed


def _useful_levels(delta: np.ndarray) -> int:
    """Levels up to the highest one that some bin prefers to the level below (no others can be entered)."""
    wanted = np.flatnonzero((delta < 0).any(axis=1))
    return int(wanted[-1]) + 1 if wanted.size else 0


def _nested_viterbi(delta: np.ndarray, g: float) -> np.ndarray:
    """Minimal optimal two-state path of every level at once: bool array (levels x bins), True = at or above.

    For one level, with C0/C1 the Viterbi costs of being below/at the level and D = C1 - C0:
    C0[t] = min(C0, C1)[t-1] and C1[t] = min(C0 + g, C1)[t-1] + delta[t], so D[t] = clip(D[t-1], 0, g) + delta[t]
    with D[-1] = g (start at the baseline). The map x -> clip(x + a, lo, hi) composes with itself:
    clip(clip(x + a1, lo1, hi1) + a2, lo2, hi2) = clip(x + a1 + a2, clip(lo1 + a2, lo2, hi2), clip(hi1 + a2, lo2, hi2)),
    so all D come from a Hillis-Steele prefix scan. Backtrace: below at t (or at the end) -> above at t-1 iff
    D[t-1] < 0; above at t -> above at t-1 iff D[t-1] < g; ties go down. So D < 0 forces "above", D >= g forces
    "below", and any other bin copies the next forced decision.
    """
    shift = delta.copy()
    lo = delta.copy()
    hi = delta + g
    n = delta.shape[1]
    k = 1
    while k < n:
        # Compose the map ending at t with the one ending at t - k (applied first).
        a2, lo2, hi2 = shift[:, k:], lo[:, k:], hi[:, k:]
        new_lo = np.minimum(np.maximum(lo[:, :-k] + a2, lo2), hi2)
        new_hi = np.minimum(np.maximum(hi[:, :-k] + a2, lo2), hi2)
        new_shift = shift[:, :-k] + a2
        lo[:, k:], hi[:, k:], shift[:, k:] = new_lo, new_hi, new_shift
        k *= 2
    d = np.minimum(np.maximum(g + shift, lo), hi)
    above = d < 0
    forced = above | (d >= g)
    forced[:, -1] = True
    index = np.where(forced, np.arange(n), n)
    next_forced = np.minimum.accumulate(index[:, ::-1], axis=1)[:, ::-1]
    return np.take_along_axis(above, next_forced, axis=1)


def _enumerate(on: np.ndarray, delta: np.ndarray, rates: np.ndarray, index: np.ndarray) -> list[Burst]:
    """Runs of each level's path as Bursts, mapped from observed positions back to bin indices."""
    bursts = []
    for lv in range(on.shape[0]):
        edges = np.diff(np.concatenate(([False], on[lv], [False])).astype(np.int8))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1) - 1
        gain = np.concatenate(([0.0], np.cumsum(-delta[lv])))
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
            peak = a + int(np.argmax(rates[a : b + 1]))
            weight = float(gain[b + 1] - gain[a])
            bursts.append(Burst(lv + 1, int(index[a]), int(index[b]), int(index[peak]), weight))
    bursts.sort(key=lambda b: (b.start, b.level))
    return bursts
