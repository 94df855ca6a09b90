"""Burst onsets in a live stream, one bin at a time, each series against its own baseline.

Kleinberg's automaton (:mod:`.kleinberg`) needs the whole series: its baseline is the series mean and its path
is chosen in hindsight. A live monitor has neither. :class:`OnlineDetector` keeps a running baseline per series
and raises an :class:`Onset` the moment the evidence for a rise crosses a threshold, and not again until the
series is back to normal.

How: each observed bin gets a standardized excess ``z = (count - expected) / sd``. ``expected`` is the baseline
rate, or the baseline *share* times the bin's total when totals are given (so a busier hour is not a burst by
itself). The variance is the Poisson (or binomial) variance times a running dispersion factor of at least 1:
real hourly counts swing with the day and are more variable than Poisson. On the hourly #MeToo 2017 sample a
Poisson-only variance fires 30 times in five weeks, on the daily ramp between 9:00 and 17:00 UTC; with the
dispersion factor it fires 4 times. A one-sided CUSUM, ``S = max(0, S + z - drift)``, accumulates sustained
excess; ``S >= threshold`` is an onset. It is the running form of Kleinberg's own recursion: a clipped sum of
per-bin evidence against a fixed cost.

The baseline learns from the first ``warmup`` observed bins, then follows the series with an exponential
average (half-life ``halflife`` bins) over every bin outside a burst. (Learning only from quiet-looking bins
would bias it low, since the bins left out are the high ones, and a low baseline fires on noise.) During a
burst the baseline is frozen, so a burst cannot drag its own baseline up and hide; the burst ends when a mirror
CUSUM of ``drift - z`` reaches ``threshold``. A rise that lasts ``relearn`` bins is the new normal: the baseline
adopts its level and detection resumes.

**Missing bins** (``missing=True``, a NaN count, or a total of 0) carry no evidence: they neither update the
baseline nor move either CUSUM, so they can neither fire nor end a burst; they only advance the bin counter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Onset:
    """A burst onset: ``bin`` is the bin whose data raised the alarm (0-based, counting missing bins).

    ``level`` and ``baseline`` are that bin's count and the expected count (or share and expected share,
    when totals are given); ``score`` is the CUSUM value that crossed the threshold.
    """

    bin: int
    level: float
    baseline: float
    score: float


class OnlineDetector:
    """Flags burst onsets in one series, one bin at a time. Keep one detector per key.

    ``threshold`` and ``drift`` are in standard deviations: the defaults fire on one bin about 7 sd above the
    baseline or two bins about 4 sd above it, and almost never on a steady series (see ``bench/bursts.py``
    for the measured false-alarm rate). ``min_count`` keeps a handful of posts on a dead hashtag from being an
    outbreak. Give a total with every bin or with none.
    """

    def __init__(
        self,
        *,
        warmup: int = 24,
        threshold: float = 6.0,
        drift: float = 1.0,
        halflife: float | None = None,
        relearn: int | None = None,
        min_count: float = 5.0,
    ) -> None:
        if warmup < 2:
            raise ValueError(f"warmup must be at least 2 bins, got {warmup}")
        if threshold <= 0 or drift < 0:
            raise ValueError("threshold must be positive and drift non-negative")
        self.warmup = warmup
        self.threshold = threshold
        self.drift = drift
        self.halflife = float(halflife if halflife is not None else warmup)
        self.relearn = relearn if relearn is not None else 4 * warmup
        self.min_count = min_count
        self._alpha = 1 - 0.5 ** (1 / self.halflife)
        self.bin = -1
        self._with_totals: bool | None = None
        self._warm: list[tuple[float, float | None]] = []
        self._rate = 0.0  # baseline mean count, or mean relevant count when totals are given
        self._volume = 0.0  # mean total (totals only)
        self._dispersion = 1.0
        self._rise = 0.0
        self._fall = 0.0
        self._in_burst = False
        self._burst_bins = 0
        self._burst_rate = 0.0
        self._burst_volume = 0.0

    @property
    def in_burst(self) -> bool:
        """True between an onset and the series' return to its baseline."""
        return self._in_burst

    @property
    def baseline(self) -> float | None:
        """The baseline rate (the share, for totals), or None during warmup."""
        if len(self._warm) < self.warmup:
            return None
        return self._share() if self._with_totals else self._rate

    def update(self, count: float, total: float | None = None, missing: bool = False) -> Onset | None:
        """Consume the next bin; return an Onset if this bin starts a burst."""
        self.bin += 1
        if missing or math.isnan(count) or (total is not None and not total > 0):
            return None
        if count < 0 or (total is not None and count > total):
            raise ValueError(f"bad bin {self.bin}: count {count}, total {total}")
        if self._with_totals is None:
            self._with_totals = total is not None
        elif self._with_totals != (total is not None):
            raise ValueError("give a total for every bin or for none")
        if len(self._warm) < self.warmup:
            self._warm.append((count, total))
            if len(self._warm) == self.warmup:
                self._learn_from_warmup()
            return None
        expected, unit = self._expected(total)
        z = (count - expected) / math.sqrt(max(self._dispersion * unit, 1.0))
        if self._in_burst:
            return self._follow_burst(count, total, z)
        self._rise = max(0.0, self._rise + z - self.drift)
        if self._rise >= self.threshold and count >= self.min_count and count > expected:
            onset = Onset(self.bin, self._level(count, total), self._level(expected, total), self._rise)
            self._in_burst, self._fall, self._burst_bins = True, 0.0, 0
            self._burst_rate, self._burst_volume = count, total or 0.0
            return onset
        self._absorb(count, total, expected, unit)
        return None

    def _learn_from_warmup(self) -> None:
        counts = np.array([c for c, _ in self._warm])
        self._rate = float(counts.mean())
        if self._with_totals:
            self._volume = float(np.mean([t for _, t in self._warm]))
        residuals = []
        for c, t in self._warm:
            expected, unit = self._expected(t)
            residuals.append((c - expected) ** 2 / max(unit, 1.0))
        self._dispersion = max(1.0, float(np.mean(residuals)))

    def _share(self) -> float:
        return self._rate / self._volume if self._volume > 0 else 0.0

    def _expected(self, total: float | None) -> tuple[float, float]:
        """Expected count and its Poisson/binomial variance for a bin with this total."""
        if total is None:
            return self._rate, self._rate
        p = self._share()
        return p * total, p * total * (1 - p)

    def _level(self, count: float, total: float | None) -> float:
        return count / total if total else count

    def _absorb(self, count: float, total: float | None, expected: float, unit: float) -> None:
        a = self._alpha
        self._dispersion += a * ((count - expected) ** 2 / max(unit, 1.0) - self._dispersion)
        self._dispersion = max(self._dispersion, 1.0)
        self._rate += a * (count - self._rate)
        if total is not None:
            self._volume += a * (total - self._volume)

    def _follow_burst(self, count: float, total: float | None, z: float) -> None:
        a = self._alpha
        self._burst_bins += 1
        self._burst_rate += a * (count - self._burst_rate)
        if total is not None:
            self._burst_volume += a * (total - self._burst_volume)
        self._fall = max(0.0, self._fall + self.drift - z)
        if self._fall >= self.threshold:
            self._in_burst, self._rise = False, 0.0
        elif self._burst_bins >= self.relearn:
            # The rise has lasted: it is the new normal.
            self._rate, self._volume = self._burst_rate, self._burst_volume
            self._in_burst, self._rise = False, 0.0
        return None


def detect_online(
    counts: ArrayLike,
    totals: ArrayLike | None = None,
    missing: ArrayLike | None = None,
    **kw: Any,
) -> list[Onset]:
    """Replay a series through a fresh :class:`OnlineDetector` (keyword arguments go to it); all onsets."""
    c = np.asarray(counts, dtype=np.float64)
    detector = OnlineDetector(**kw)
    t_iter: Iterable[float | None] = (
        np.asarray(totals, dtype=np.float64).tolist() if totals is not None else [None] * c.size
    )
    m_iter = np.asarray(missing, dtype=bool).tolist() if missing is not None else [False] * c.size
    onsets = []
    for count, total, gap in zip(c.tolist(), t_iter, m_iter, strict=True):
        onset = detector.update(count, total, gap)
        if onset is not None:
            onsets.append(onset)
    return onsets
