"""Watching a live stream: posts in, one onset alarm per hashtag (or movement) against its own baseline.

:class:`groundswell.analytics.bursts.OnlineDetector` judges one series, one bin at a time. A live collection is
not a series yet: it is posts arriving in time order. :class:`LiveMonitor` cuts the stream into bins, keeps one
detector per key (each hashtag, each movement, or the whole stream) and reports an :class:`Alert` when a key's
bin closes with an onset. :func:`replay` feeds a store's posts through the same monitor in time order, which is
how the detector is tested and benchmarked on real archives: the code path is the live one.

Keys appear at any time. A hashtag first seen on day 30 has been *silent*, not unknown, for 30 days while the
collection ran, so its detector is created with that silence behind it (zeros, minus the collection's gaps).
Tracking every hashtag from its first post would cost keys × bins detector updates, most of them zeros on dead
tags; instead a key's counts are kept sparsely until some bin reaches ``min_count`` (no onset can fire below it,
see ``OnlineDetector``), and only then is its detector built and its history replayed.

A bin in which the *whole stream* received nothing, while the stream normally receives enough that this is
implausible (``exp(-rate) < GAP_PROBABILITY``), is taken as an outage: missing for every key, not zero. Outages
known from the collector's log can be declared with :meth:`LiveMonitor.declare_missing`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics.bursts import OnlineDetector
from groundswell.analytics.bursts.gaps import GAP_PROBABILITY
from groundswell.analytics.engine import Engine, where

KEYS = ("hashtag", "movement", "all")


@dataclass(frozen=True)
class Alert:
    """An onset: ``key`` started a burst in the bin beginning at ``bin_start``."""

    key: str
    bin_start: datetime
    count: float
    baseline: float
    score: float


class LiveMonitor:
    """Bins a time-ordered stream of posts and runs one online detector per key.

    ``key``: what to watch (``hashtag``: each normalized hashtag; ``movement``: each movement name; ``all``: the
    stream's total). ``only``: restrict to these keys. Detector settings (``warmup``, ``threshold``, ``drift``,
    ``min_count``, …) go to every :class:`OnlineDetector`. Posts must come in time order up to the bin: a post
    for a bin already closed is counted in ``late`` and otherwise ignored, as a live monitor must.
    """

    def __init__(
        self,
        bin: timedelta = timedelta(hours=1),
        *,
        key: str = "hashtag",
        only: Sequence[str] | None = None,
        start: datetime | None = None,
        **detector: Any,
    ) -> None:
        if key not in KEYS:
            raise ValueError(f"key must be one of {KEYS}, got {key!r}")
        self.width = bin
        self.key = key
        self.only = frozenset(only) if only is not None else None
        self.detector_args = detector
        self.min_count = float(detector.get("min_count", 5.0))
        self.start: datetime | None = start.astimezone(UTC) if start else None
        self.closed = 0  # bins closed so far
        self.late = 0
        self._current: dict[str, int] = defaultdict(int)
        self._current_total = 0
        self._history: dict[str, dict[int, int]] = defaultdict(dict)  # sparse counts of keys not yet tracked
        self._detectors: dict[str, OnlineDetector] = {}
        self._missing: set[int] = set()
        self._declared: list[tuple[datetime, datetime]] = []
        self._stream_rate = 0.0
        self.alerts: list[Alert] = []

    # -- input -------------------------------------------------------------------------------------
    def declare_missing(self, start: datetime, end: datetime) -> None:
        """The collection was down from ``start`` to ``end``: those bins are missing for every key."""
        self._declared.append((start.astimezone(UTC), end.astimezone(UTC)))

    def add(self, batch: pa.RecordBatch | pa.Table) -> list[Alert]:
        """Consume posts (``created_at`` plus ``hashtags_norm`` or ``movements``); return alerts of bins closed."""
        if batch.num_rows == 0:
            return []
        times = batch.column("created_at")
        if isinstance(times, pa.ChunkedArray):
            times = times.combine_chunks()
        us = times.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_numpy(zero_copy_only=False)
        if self.start is None:
            first = datetime.fromtimestamp(int(us.min()) // 1_000_000, tz=UTC)
            self.start = _floor(first, self.width)
        width_us = self.width // timedelta(microseconds=1)
        start_us = int((self.start - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))
        bins = (us - start_us) // width_us
        base = self.closed
        ok = bins >= base
        self.late += int((~ok).sum())  # posts for bins already closed: a live monitor cannot revise them
        if not ok.any():
            return []
        # Counts per bin and per (bin, key) are vectorized; Python only walks the distinct bins and their keys.
        totals = np.bincount(bins[ok] - base)
        per_bin: dict[int, list[tuple[str, int]]] = defaultdict(list)
        pairs = self._pairs(batch, bins, ok)
        for b, k, n in zip(*(pairs.column(c).to_pylist() for c in ("bin", "key", "n")), strict=True):
            per_bin[b].append((k, n))
        new: list[Alert] = []
        for offset in np.flatnonzero(totals).tolist():
            b = base + offset
            while b > self.closed:
                new.extend(self._close())
            self._current_total += int(totals[offset])
            for k, n in per_bin.get(b, ()):
                self._current[k] += n
        self.alerts.extend(new)
        return new

    def advance(self, until: datetime) -> list[Alert]:
        """Close every bin that ends at or before ``until`` (time passes even when nothing is posted)."""
        if self.start is None:
            return []
        new = []
        while self.start + (self.closed + 1) * self.width <= until.astimezone(UTC):
            new.extend(self._close())
        self.alerts.extend(new)
        return new

    def flush(self) -> list[Alert]:
        """Close the bin in progress (end of a replay)."""
        if self.start is None:
            return []
        new = self._close()
        self.alerts.extend(new)
        return new

    def _pairs(self, batch: pa.RecordBatch | pa.Table, bins: np.ndarray, ok: np.ndarray) -> pa.Table:
        """``bin, key, n``: posts per bin carrying each key (a post counts once per key, however often it repeats)."""
        rows = np.flatnonzero(ok)
        if self.key == "all":
            b, n = np.unique(bins[rows], return_counts=True)
            return pa.table({"bin": b, "key": pa.array(["all"] * len(b)), "n": n})
        col = batch.column("hashtags_norm" if self.key == "hashtag" else "movements")
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        col = col.take(pa.array(rows))
        flat = pc.list_flatten(col)
        post = pc.list_parent_indices(col).to_numpy(zero_copy_only=False)
        t = pa.table({"post": post, "key": flat})
        if self.only is not None:
            t = t.filter(pc.is_in(t.column("key"), pa.array(sorted(self.only), pa.string())))
        t = t.filter(pc.is_valid(t.column("key"))).group_by(["post", "key"]).aggregate([])
        t = t.append_column("bin", pa.array(bins[rows][t.column("post").to_numpy()]))
        g = t.group_by(["bin", "key"]).aggregate([("post", "count")])
        return pa.table({"bin": g.column("bin"), "key": g.column("key"), "n": g.column("post_count")})

    # -- bins --------------------------------------------------------------------------------------
    def bin_start(self, i: int) -> datetime:
        assert self.start is not None
        return self.start + i * self.width

    def _is_missing(self, i: int) -> bool:
        a = self.bin_start(i)
        b = a + self.width
        if any(s < b and e > a for s, e in self._declared):
            return True
        # the whole stream silent where silence is implausible: an outage
        return self._current_total == 0 and math.exp(-self._stream_rate) < GAP_PROBABILITY

    def _close(self) -> list[Alert]:
        i = self.closed
        missing = self._is_missing(i)
        if missing:
            self._missing.add(i)
        else:
            # the stream's own level, for outage detection: an exponential average over observed bins
            self._stream_rate += 0.1 * (self._current_total - self._stream_rate)
        alerts = []
        for k, c in self._current.items():
            if k not in self._detectors and c >= self.min_count and not missing:
                self._start_detector(k)
            elif k not in self._detectors:
                self._history[k][i] = c
        for k, det in self._detectors.items():
            onset = det.update(float(self._current.get(k, 0)), missing=missing)
            if onset is not None:
                alerts.append(Alert(k, self.bin_start(i), onset.level, onset.baseline, onset.score))
        self._current = defaultdict(int)
        self._current_total = 0
        self.closed += 1
        return alerts

    def _start_detector(self, k: str) -> None:
        """Build ``k``'s detector with its past replayed: its sparse counts, zeros elsewhere, gaps as missing."""
        det = OnlineDetector(**self.detector_args)
        past = self._history.pop(k, {})
        for j in range(self.closed):
            det.update(float(past.get(j, 0)), missing=j in self._missing)
        self._detectors[k] = det


def _floor(t: datetime, width: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return epoch + ((t - epoch) // width) * width


def replay(
    engine: Engine,
    bin: str = "hour",
    filters: dict[str, Any] | None = None,
    *,
    key: str = "hashtag",
    only: Sequence[str] | None = None,
    gaps: Sequence[tuple[datetime, datetime]] = (),
    chunk: timedelta = timedelta(days=1),
    **detector: Any,
) -> pa.Table:
    """Feed the store's posts, in time order, through a :class:`LiveMonitor`; one row per alert.

    Columns: ``key, bin_start, count, baseline, score`` (baseline is the expected count the bin was judged
    against). ``gaps`` are declared outages; outages of the whole stream are detected as they happen.
    """
    from groundswell.analytics.timeline import BIN_WIDTH

    monitor = LiveMonitor(BIN_WIDTH[bin], key=key, only=only, **detector)
    for a, b in gaps:
        monitor.declare_missing(a, b)
    for batch in _posts_in_order(engine, filters, chunk):
        monitor.add(batch)
    monitor.flush()
    rows = [
        {"key": a.key, "bin_start": a.bin_start, "count": a.count, "baseline": round(a.baseline, 3), "score": a.score}
        for a in monitor.alerts
    ]
    return pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("key", pa.string()),
                ("bin_start", pa.timestamp("us", tz="UTC")),
                ("count", pa.float64()),
                ("baseline", pa.float64()),
                ("score", pa.float64()),
            ]
        ),
    )


def _posts_in_order(engine: Engine, filters: dict[str, Any] | None, chunk: timedelta) -> Iterator[pa.Table]:
    """The filtered posts in time order, one time window per query so memory stays bounded."""
    w, p = where(filters)
    span = engine.sql(f"SELECT min(created_at) AS a, max(created_at) AS b FROM posts WHERE {w}", p).to_pylist()[0]
    if span["a"] is None:
        return
    t = span["a"]
    while t <= span["b"]:
        yield engine.sql(
            f"""SELECT created_at, hashtags_norm, movements FROM posts
                WHERE {w} AND created_at >= ? AND created_at < ? ORDER BY created_at""",
            [*p, t, t + chunk],
        )
        t += chunk
