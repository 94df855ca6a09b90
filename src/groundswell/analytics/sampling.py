"""Counts from a sample of known rate, with 95% intervals; otherwise, counts of this data set and nothing more.

A 1% stream or a scrape that kept one post in fifty does not say how many posts there were; it says how many
were *drawn*. When the user declares the rate, a post count ``n`` becomes an estimate ``n / rate`` of the
whole, with an interval for the sampling error alone. When nobody declares a rate, figures are labeled as counts
of this data set: groundswell never scales a count by a rate it guessed.

**The interval.** Each of the ``N`` true posts is in the sample with probability ``p``, so ``n ~ Binomial(N, p)``.
The 95% interval for ``N`` is the set of ``N`` for which ``n`` is not surprising: ``(n - Np)^2 <= z^2 N p (1 - p)``,
a quadratic in ``N`` solved in closed form. This is Wilson's score interval turned from a proportion to a total;
it stays sensible at small ``n`` (``n = 0`` gives ``[0, z^2 (1-p)/p]``) where ``n/p ± z·sd`` goes negative.

**What it does not cover.** Only the randomness of the draw. A capped scrape (the first 1,000 posts of each
day) is not a random draw: its error is bias, which no interval measures; declare its rate only if the cap
kept a fair cross-section. And *distinct people* do not scale with the rate: someone who posted a hundred
times is almost surely in a 1% sample, someone who posted once almost surely not, so author counts of a sample
are reported as seen in the sample, never multiplied up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float


def check_rate(rate: float) -> float:
    if not 0 < rate <= 1:
        raise ValueError(f"sample rate must be in (0, 1], got {rate}")
    return float(rate)


def estimate(count: float, rate: float, z: float = Z95) -> Estimate:
    """Total behind ``count`` posts drawn at ``rate``, with its score interval (see module doc)."""
    p = check_rate(rate)
    n = float(count)
    if n < 0:
        raise ValueError("count must be non-negative")
    if p == 1:
        return Estimate(n, n, n)
    b = 2 * n * p + z * z * p * (1 - p)
    root = math.sqrt(max(b * b - 4 * p * p * n * n, 0.0))
    low, high = (b - root) / (2 * p * p), (b + root) / (2 * p * p)
    return Estimate(n / p, max(low, n), high)


def with_intervals(table: pa.Table, rate: float | None, columns: Sequence[str] = ("posts",)) -> pa.Table:
    """``table`` plus ``<col>_est``, ``<col>_low``, ``<col>_high`` for each count column, when a rate is known.

    Without a rate the table is returned unchanged: its counts are counts of this data set. Null counts (rows
    suppressed for privacy, bins missing from the collection) stay null.
    """
    if rate is None:
        return table
    check_rate(rate)
    for c in columns:
        vals = table.column(c).to_pylist()
        ests = [None if v is None else estimate(v, rate) for v in vals]
        for suffix, attr in (("est", "value"), ("low", "low"), ("high", "high")):
            arr = pa.array([None if e is None else round(getattr(e, attr), 1) for e in ests], pa.float64())
            table = table.append_column(f"{c}_{suffix}", arr)
    return table


def label(rate: float | None) -> str:
    """One sentence saying what the figures are: estimates of a sample, or counts of this data set."""
    if rate is None:
        return "Counts are of the posts in this data set, not of the platform as a whole (no sample rate declared)."
    pct = f"{rate * 100:.4g}%"
    return (
        f"The data set is declared a {pct} sample: post counts are scaled by 1/{rate:g} with 95% intervals for "
        "the sampling error only; author counts are people seen in the sample and are not scaled."
    )
