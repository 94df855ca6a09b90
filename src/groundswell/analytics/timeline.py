"""Volume over time from the store, with collection gaps, and the bursts in it.

A series here is *dense*: every bin from the collection's first to its last, so an hour without posts is a
row, not an absence. Some of those empty bins are real silence and some are holes in the collection (a scraper
that skipped a week, a stream that dropped); the difference decides whether a burst "ended" or the data did.
So every series carries a ``missing`` mask, built from

* gaps **detected** on the collection's total volume (:func:`groundswell.analytics.bursts.find_gaps`): a run of
  empty bins where the collection normally sees enough posts that such silence is implausible. Detection runs on
  the whole collection (restricted only to the platform and time filters), never on the one hashtag being
  measured: a hashtag's zero while the collection was running is a real zero;
* gaps **declared** by the user, ``(start, end)`` spans known from the collection's log.

Missing bins are ``None`` in tables and charts (never 0), are cut out of the burst automaton, and are left out of
magnitude figures by construction (no posts were counted there, and no rate is imputed).

Counts come from SQL in the portable core (``count``, ``GROUP BY``, bins from epoch microseconds); the dense
axis, masks and bursts are numpy over the small aggregated result. Distinct authors are counted over
``author_key`` (see ``analytics/magnitude.py`` on why, and on collisions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics.bursts import find_gaps, kleinberg_bursts
from groundswell.analytics.engine import Engine, where

BIN_WIDTH = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Series:
    """Dense counts per bin with a mask of bins the collection did not observe."""

    bin: str
    starts: list[datetime]
    posts: np.ndarray
    authors: np.ndarray | None  # None when asked for posts only (``volume(authors=False)``)
    totals: np.ndarray
    missing: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, when: datetime) -> int:
        """Bin holding the instant ``when``."""
        return int((_utc(when) - self.starts[0]) // BIN_WIDTH[self.bin])

    def end_of(self, i: int) -> datetime:
        """End (exclusive) of bin ``i``."""
        return self.starts[i] + BIN_WIDTH[self.bin]

    def gap_spans(self) -> list[Span]:
        """Runs of missing bins as ``(start, end)`` instants, end exclusive: what charts shade."""
        m = np.concatenate(([False], self.missing, [False])).astype(np.int8)
        edges = np.diff(m)
        return [
            (self.starts[a], self.end_of(b - 1))
            for a, b in zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True)
        ]

    def values(self) -> list[int | None]:
        """Posts per bin, ``None`` where missing."""
        return [None if m else int(v) for v, m in zip(self.posts.tolist(), self.missing.tolist(), strict=True)]

    def table(self) -> pa.Table:
        """``bin, posts, authors, missing``; counts of missing bins are null."""
        miss = self.missing.tolist()
        return pa.table(
            {
                "bin": pa.array(self.starts, pa.timestamp("us", tz="UTC")),
                "posts": pa.array([None if m else int(v) for v, m in zip(self.posts.tolist(), miss, strict=True)]),
                "authors": pa.array(
                    [None] * len(miss)
                    if self.authors is None
                    else [None if m else int(v) for v, m in zip(self.authors.tolist(), miss, strict=True)],
                    pa.int64(),
                ),
                "missing": pa.array(miss, pa.bool_()),
            }
        )


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


#: a bin's start is the largest multiple of its width at or before the post (weeks: counted from a Monday)
_EPOCH_OFFSET_US = {"minute": 0, "hour": 0, "day": 0, "week": 4 * 86_400_000_000}  # 1970-01-05 was a Monday


def _bin_expr(bin: str) -> str:
    """The UTC bin of ``created_at`` as a wall-clock timestamp: ``date_trunc(bin, created_at AT TIME ZONE 'UTC')``.

    Computed from epoch microseconds instead, with integer arithmetic: over 10M posts that costs DuckDB ~0.25
    CPU s where the time-zone conversion costs ~1.7, and it is the same value for every instant (a floor, also
    before 1970: ``((x % w) + w) % w`` is the non-negative remainder on both engines). Spark runs it as
    ``unix_micros`` / ``timestamp_micros`` (``spark/engine.py``).
    """
    if bin not in BIN_WIDTH:
        raise ValueError(f"unknown bin {bin!r}; one of {', '.join(BIN_WIDTH)}")
    w = BIN_WIDTH[bin] // timedelta(microseconds=1)
    off = _EPOCH_OFFSET_US[bin]
    x = "epoch_us(created_at)"
    shifted = f"({x} - {off})" if off else x
    return f"make_timestamp({x} - (({shifted} % {w}) + {w}) % {w})"


def _collection_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    """The filters that describe the collection itself (platform, time), not the subject measured in it."""
    f = filters or {}
    return {k: f[k] for k in ("platform", "since", "until") if f.get(k)}


def _where_tags(filters: dict[str, Any] | None, hashtag: str | Sequence[str] | None) -> tuple[str, list[Any]]:
    """The common WHERE clause, narrowed to posts carrying the hashtag (or any of several variants)."""
    w, p = where(filters)
    tags = [hashtag] if isinstance(hashtag, str) else list(hashtag or [])
    if tags:
        w += " AND (" + " OR ".join("list_contains(hashtags_norm, ?)" for _ in tags) + ")"
        p = [*p, *tags]
    return w, p


def counts_per_bin(
    engine: Engine, bin: str, filters: dict[str, Any] | None, hashtag: str | Sequence[str] | None = None
) -> pa.Table:
    """Posts and distinct authors per non-empty bin: one definition shared by ``volume`` and ``magnitude.series``."""
    w, p = _where_tags(filters, hashtag)
    return engine.sql(
        f"""SELECT {_bin_expr(bin)} AS bin, count(*) AS posts, count(DISTINCT author_key) AS authors
            FROM posts WHERE {w} GROUP BY 1 ORDER BY 1""",
        p,
    )


def posts_per_bin(
    engine: Engine, bin: str, filters: dict[str, Any] | None, hashtag: str | Sequence[str] | None = None
) -> pa.Table:
    """Posts per non-empty bin, without authors: what bursts and gaps are found on, at a fraction of the cost
    (no distinct count per bin)."""
    w, p = _where_tags(filters, hashtag)
    return engine.sql(
        f"""SELECT {_bin_expr(bin)} AS bin, count(*) AS posts FROM posts WHERE {w} GROUP BY 1 ORDER BY 1""", p
    )


def volume(
    engine: Engine,
    bin: str = "hour",
    filters: dict[str, Any] | None = None,
    *,
    hashtag: str | Sequence[str] | None = None,
    detect_gaps: bool = True,
    gaps: Sequence[Span] = (),
    authors: bool = True,
) -> Series:
    """Dense series of posts (and authors) per bin for the filtered posts, over the collection's whole span.

    ``hashtag`` (normalized, e.g. ``"howiwillchange"``, or a list of variants) narrows to posts carrying it. ``totals`` is the
    collection's volume per bin, the denominator for relative bursts. ``gaps`` are declared spans; with
    ``detect_gaps`` the collection's own silences are found too. ``authors=False``: posts only (``Series.authors``
    is None), for callers that only look for bursts: a distinct count per bin is most of the cost.
    """
    counts = counts_per_bin if authors else posts_per_bin
    whole = _collection_filters(filters)
    total = counts(engine, bin, whole, None)
    width = BIN_WIDTH[bin]
    if total.num_rows == 0:
        empty = np.zeros(0)
        return Series(bin, [], empty, empty if authors else None, empty, np.zeros(0, dtype=bool))
    t_bins = [_utc(t) for t in total.column("bin").to_pylist()]
    first, last = t_bins[0], t_bins[-1]
    n = (last - first) // width + 1
    starts = [first + i * width for i in range(n)]
    totals = np.zeros(n)
    totals[[(t - first) // width for t in t_bins]] = total.column("posts").to_numpy()
    # the subject is often the whole collection (no language, movement or hashtag filter): one scan, not two
    same = _where_tags(filters, hashtag) == _where_tags(whole, None)
    sub = total if same else counts(engine, bin, filters, hashtag)
    posts, people = np.zeros(n), np.zeros(n) if authors else None
    if sub.num_rows:
        idx = [(_utc(t) - first) // width for t in sub.column("bin").to_pylist()]
        posts[idx] = sub.column("posts").to_numpy()
        if people is not None:
            people[idx] = sub.column("authors").to_numpy()
    missing = find_gaps(totals) if detect_gaps else np.zeros(n, dtype=bool)
    missing = missing | declared_mask(starts, width, gaps)
    return Series(bin, starts, posts, people, totals, missing)


def declared_mask(starts: Sequence[datetime], width: timedelta, gaps: Sequence[Span]) -> np.ndarray:
    """Bins overlapping any declared ``(start, end)`` span (end exclusive)."""
    mask = np.zeros(len(starts), dtype=bool)
    for a, b in gaps:
        a, b = _utc(a), _utc(b)
        if b <= a:
            raise ValueError(f"gap {a} – {b} ends before it starts")
        for i, s in enumerate(starts):
            if s < b and s + width > a:
                mask[i] = True
    return mask


def bursts(
    engine: Engine,
    bin: str = "hour",
    filters: dict[str, Any] | None = None,
    *,
    hashtag: str | Sequence[str] | None = None,
    relative: bool = False,
    s: float = 2.0,
    gamma: float = 1.0,
    levels: int | None = None,
    detect_gaps: bool = True,
    gaps: Sequence[Span] = (),
    series: Series | None = None,
    people: bool = True,
) -> pa.Table:
    """Kleinberg bursts of the filtered series, one row per burst and level, strongest (by weight) first.

    ``relative``: the share of the collection's volume bursts, not the count (a busier hour is not a burst by
    itself). Columns: ``level, start, end`` (end exclusive), ``peak`` (start of the busiest bin), ``weight``
    (Kleinberg's: cost saved by the burst state), ``posts`` and ``authors`` inside the burst, ``over_gap``
    (the burst spans missing bins, which it neither started nor ended at).

    ``people=False`` leaves ``posts`` and ``authors`` null: for a caller that only needs when and how strong
    (the start of the strongest burst), one cheap pass over the posts instead of three with distinct counts.
    The bursts themselves are the same: they are found on posts per bin alone.
    """
    ser = series or volume(engine, bin, filters, hashtag=hashtag, detect_gaps=detect_gaps, gaps=gaps, authors=people)
    found = []
    if len(ser):
        totals = ser.totals if relative else None
        found = kleinberg_bursts(ser.posts, totals, s=s, gamma=gamma, levels=levels, missing=ser.missing)
    rows = [
        {
            "level": b.level,
            "start": ser.starts[b.start],
            "end": ser.end_of(b.end),
            "peak": ser.starts[b.peak],
            "weight": round(b.weight, 3),
            "over_gap": bool(ser.missing[b.start : b.end + 1].any()),
        }
        for b in found
    ]
    rows.sort(key=lambda r: (-r["weight"], r["start"], r["level"]))
    if people:
        inside = _people_in_spans(engine, filters, hashtag, [(r["start"], r["end"]) for r in rows])
        for r, (posts, authors) in zip(rows, inside, strict=True):
            r["posts"], r["authors"] = posts, authors
    ts = pa.timestamp("us", tz="UTC")
    schema = pa.schema(
        [
            ("level", pa.int64()),
            ("start", ts),
            ("end", ts),
            ("peak", ts),
            ("weight", pa.float64()),
            ("posts", pa.int64()),
            ("authors", pa.int64()),
            ("over_gap", pa.bool_()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _people_in_spans(
    engine: Engine, filters: dict[str, Any] | None, hashtag: str | Sequence[str] | None, spans: Sequence[Span]
) -> list[tuple[int, int]]:
    """Posts and distinct authors inside each span, in one query (a VALUES list joined on time)."""
    if not spans:
        return []
    w, p = _where_tags(filters, hashtag)
    values = ", ".join("(?, ?, ?)" for _ in spans)
    params: list[Any] = [x for i, (a, b) in enumerate(spans) for x in (i, a, b)]
    got = engine.sql(
        f"""WITH spans(i, s, e) AS (VALUES {values})
            SELECT spans.i AS i, count(p.created_at) AS posts, count(DISTINCT p.author_key) AS authors
            FROM spans LEFT JOIN (SELECT created_at, author_key FROM posts WHERE {w}) p
              ON p.created_at >= spans.s AND p.created_at < spans.e
            GROUP BY spans.i""",
        params + p,
    ).to_pylist()
    by_i = {r["i"]: (int(r["posts"]), int(r["authors"])) for r in got}
    return [by_i.get(i, (0, 0)) for i in range(len(spans))]


def strongest(burst_table: pa.Table, *, on: datetime | None = None) -> dict[str, Any] | None:
    """The burst with the highest weight (starting on the UTC day of ``on``, if given), as a row dict."""
    rows = burst_table.to_pylist()
    if on is not None:
        day = _utc(on).date()
        rows = [r for r in rows if _utc(r["start"]).date() == day]
    return max(rows, key=lambda r: r["weight"], default=None)
