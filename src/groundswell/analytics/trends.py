"""Trending hashtags in the store: which tags rise fastest against their own recent past.

The score is :func:`groundswell.analytics.bursts.trending`'s (doublings of the tag's rate, last ``window`` bins
against the ``baseline`` bins before them). This module only fetches the counts: one SQL query for every
hashtag's posts per bin in the two windows, and the collection's gaps from :mod:`.timeline`, which become NaN so
that a hole in the baseline is not read as a quiet past that makes the present look like a surge.

Used inside a movement (``filters={"movement": "metoo"}``) it answers "what is rising within #MeToo", e.g.
#HowIWillChange the day after Milano's tweet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics.bursts import trending
from groundswell.analytics.engine import Engine, where
from groundswell.analytics.timeline import BIN_WIDTH, Span, _bin_expr, _utc, volume


def trending_hashtags(
    engine: Engine,
    bin: str = "hour",
    filters: dict[str, Any] | None = None,
    *,
    window: int = 24,
    baseline: int = 168,
    at: datetime | None = None,
    min_count: int = 10,
    limit: int = 20,
    exclude: Sequence[str] = (),
    related: Sequence[str] = (),
    detect_gaps: bool = True,
    gaps: Sequence[Span] = (),
) -> pa.Table:
    """Hashtags ranked by rise, as of ``at`` (default: the end of the data): the last ``window`` bins before ``at``
    against the ``baseline`` bins before those.

    ``exclude``: normalized tags to leave out (inside #MeToo, #metoo itself rises with everything). ``related``:
    normalized tags flagged ``related`` in the output (a movement's related campaigns). Columns: ``hashtag,
    score, recent_posts, baseline_posts, recent_bins, baseline_bins, authors`` (distinct authors in the recent
    window), ``related``.
    """
    width = BIN_WIDTH[bin]
    ser = volume(engine, bin, filters, detect_gaps=detect_gaps, gaps=gaps)
    if not len(ser):
        return _empty()
    end = _utc(at) if at is not None else ser.end_of(len(ser) - 1)
    first = end - (window + baseline) * width
    axis = [first + i * width for i in range(window + baseline)]
    missing = np.ones(len(axis), dtype=bool)
    for i, t in enumerate(axis):
        j = ser.index(t) if t >= ser.starts[0] else -1
        if 0 <= j < len(ser):
            missing[i] = bool(ser.missing[j])
    w, p = where(filters)
    got = engine.sql(
        f"""SELECT tag, {_bin_expr(bin)} AS bin, count(*) AS posts
            FROM (SELECT unnest(list_distinct(hashtags_norm)) AS tag, created_at FROM posts
                  WHERE {w} AND created_at >= ? AND created_at < ?)
            GROUP BY 1, 2""",
        [*p, first, end],
    )
    skip = set(exclude)
    counts: dict[str, np.ndarray] = {}
    for r in got.to_pylist():
        if r["tag"] in skip:
            continue
        arr = counts.setdefault(r["tag"], np.zeros(len(axis)))
        arr[(_utc(r["bin"]) - first) // width] += r["posts"]
    for arr in counts.values():
        arr[missing] = np.nan
    ranked = trending(counts, window=window, baseline=baseline, min_count=min_count)[:limit]
    if not ranked:
        return _empty()
    authors = _recent_authors(engine, filters, [k for k, _ in ranked], end - window * width, end)
    rel = set(related)
    rows = []
    for tag, score in ranked:
        c = counts[tag]
        rows.append(
            {
                "hashtag": tag,
                "score": round(score, 3),
                "recent_posts": int(np.nansum(c[baseline:])),
                "baseline_posts": int(np.nansum(c[:baseline])),
                "recent_bins": int(np.count_nonzero(~missing[baseline:])),
                "baseline_bins": int(np.count_nonzero(~missing[:baseline])),
                "authors": authors.get(tag, 0),
                "related": tag in rel,
            }
        )
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


def _recent_authors(
    engine: Engine, filters: dict[str, Any] | None, tags: list[str], since: datetime, until: datetime
) -> dict[str, int]:
    w, p = where(filters)
    marks = ", ".join("?" for _ in tags)
    got = engine.sql(
        f"""SELECT tag, count(DISTINCT author_key) AS authors
            FROM (SELECT unnest(list_distinct(hashtags_norm)) AS tag, author_key FROM posts
                  WHERE {w} AND created_at >= ? AND created_at < ?)
            WHERE tag IN ({marks}) GROUP BY 1""",
        [*p, since, until, *tags],
    )
    return {r["tag"]: int(r["authors"]) for r in got.to_pylist()}


_SCHEMA = pa.schema(
    [
        ("hashtag", pa.string()),
        ("score", pa.float64()),
        ("recent_posts", pa.int64()),
        ("baseline_posts", pa.int64()),
        ("recent_bins", pa.int64()),
        ("baseline_bins", pa.int64()),
        ("authors", pa.int64()),
        ("related", pa.bool_()),
    ]
)


def _empty() -> pa.Table:
    return _SCHEMA.empty_table()
