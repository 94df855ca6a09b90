"""Cross-platform spread: when each platform took the movement up, how far behind the first, and how they link.

#MeToo began on Twitter and "spread to other social media platforms like Facebook". Four measures:

* **onset per platform**: the start of the first burst in the platform's own binned volume, from Kleinberg's
  automaton (:mod:`groundswell.analytics.bursts`) over a grid shared by all platforms, so onsets compare;
  collection gaps (found on the total volume) are missing bins, not silence;
* **lags**: each platform's onset minus the earliest onset, in hours;
* **share of volume** per platform per bin;
* **cross-links**: posts on one platform that link to another platform (by the link's host), the traces of
  people carrying the movement across.

SQL does the binning and the link parsing (portable core: ``date_trunc``, ``regexp_extract``, ``unnest``);
numpy densifies the small per-bin result onto the shared grid.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics.bursts import find_gaps, kleinberg_bursts
from groundswell.analytics.engine import Engine, where

_BIN_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}

#: link hosts that belong to a platform (subdomains included); Mastodon is recognised by its URL shape
PLATFORM_HOSTS = {
    "twitter": ("twitter.com", "x.com", "t.co"),
    "facebook": ("facebook.com", "fb.com", "fb.me", "fb.watch"),
    "instagram": ("instagram.com", "instagr.am"),
    "reddit": ("reddit.com", "redd.it"),
    "bluesky": ("bsky.app", "bsky.social"),
}


def platform_series(engine: Engine, filters: dict[str, Any] | None = None, bin: str = "hour") -> pa.Table:
    """Posts and authors per (bin, platform); bins with no posts are absent."""
    if bin not in _BIN_SECONDS:
        raise ValueError(f"unknown bin {bin!r}")
    w, p = where(filters)
    return engine.sql(
        f"""SELECT date_trunc('{bin}', created_at AT TIME ZONE 'UTC') AS bin, platform, count(*) AS posts,
                   count(DISTINCT author_key) AS authors
            FROM posts WHERE {w} AND created_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""",
        p,
    )


def dense_counts(series: pa.Table, bin: str = "hour") -> tuple[list[datetime], dict[str, np.ndarray]]:
    """The per-platform counts of :func:`platform_series` on one shared grid of bins (zeros filled in)."""
    if series.num_rows == 0:
        return [], {}
    step = _BIN_SECONDS[bin]
    bins = [b.replace(tzinfo=UTC) if b.tzinfo is None else b for b in series.column("bin").to_pylist()]
    t0 = min(bins)
    idx = np.array([round((b - t0).total_seconds() / step) for b in bins], dtype=np.int64)
    n = int(idx.max()) + 1
    out: dict[str, np.ndarray] = {}
    for plat, i, c in zip(series.column("platform").to_pylist(), idx, series.column("posts").to_pylist(), strict=True):
        out.setdefault(plat, np.zeros(n))[i] += c
    return [t0 + timedelta(seconds=step * k) for k in range(n)], out


def platform_onsets(
    engine: Engine, filters: dict[str, Any] | None = None, *, bin: str = "hour", s: float = 2.0, gamma: float = 1.0
) -> pa.Table:
    """Onset of each platform: start of its first Kleinberg burst, and its lag after the earliest onset.

    Columns: ``platform``, ``onset`` (bin start, UTC), ``lag_hours``, ``bursts`` (number of level-1
    bursts), ``posts``, ``authors`` (of the platform overall). A platform whose volume never bursts has
    no onset (null) — it never took off in this data.
    """
    f = {k: v for k, v in (filters or {}).items() if k != "platform"}
    series = platform_series(engine, f, bin)
    times, counts = dense_counts(series, bin)
    rows = []
    if counts:
        total = np.sum(list(counts.values()), axis=0)
        missing = find_gaps(total)
        totals = _platform_totals(engine, f)
        for plat in sorted(counts):
            bursts = [b for b in kleinberg_bursts(counts[plat], s=s, gamma=gamma, missing=missing) if b.level == 1]
            onset = times[bursts[0].start] if bursts else None
            posts, authors = totals[plat]
            rows.append({"platform": plat, "onset": onset, "bursts": len(bursts), "posts": posts, "authors": authors})
    first = min((r["onset"] for r in rows if r["onset"] is not None), default=None)
    for r in rows:
        r["lag_hours"] = (r["onset"] - first).total_seconds() / 3600 if r["onset"] is not None else None
    rows.sort(key=lambda r: (r["onset"] is None, r["onset"] or datetime.max.replace(tzinfo=UTC), r["platform"]))
    schema = pa.schema(
        [
            ("platform", pa.string()),
            ("onset", pa.timestamp("us", tz="UTC")),
            ("lag_hours", pa.float64()),
            ("bursts", pa.int64()),
            ("posts", pa.int64()),
            ("authors", pa.int64()),
        ]
    )
    return pa.Table.from_pylist([{k: r[k] for k in schema.names} for r in rows], schema=schema)


def _platform_totals(engine: Engine, filters: dict[str, Any]) -> dict[str, tuple[int, int]]:
    w, p = where(filters)
    t = engine.sql(
        f"SELECT platform, count(*) AS posts, count(DISTINCT author_key) AS authors FROM posts WHERE {w} GROUP BY 1", p
    )
    return {r["platform"]: (r["posts"], r["authors"]) for r in t.to_pylist()}


def platform_shares(engine: Engine, filters: dict[str, Any] | None = None, bin: str = "day") -> pa.Table:
    """Share of each bin's posts per platform: ``bin``, ``platform``, ``posts``, ``share``, ``authors``."""
    f = {k: v for k, v in (filters or {}).items() if k != "platform"}
    t = platform_series(engine, f, bin)
    if t.num_rows == 0:
        return t.append_column("share", pa.array([], pa.float64()))
    bins = t.column("bin").to_pylist()
    posts = np.array(t.column("posts").to_pylist(), dtype=np.float64)
    per_bin: dict[Any, float] = {}
    for b, n in zip(bins, posts, strict=True):
        per_bin[b] = per_bin.get(b, 0.0) + n
    share = posts / np.array([per_bin[b] for b in bins])
    return pa.table(
        {
            "bin": t.column("bin"),
            "platform": t.column("platform"),
            "posts": t.column("posts"),
            "share": share,
            "authors": t.column("authors"),
        }
    )


def _host_case() -> str:
    whens = []
    for plat, hosts in PLATFORM_HOSTS.items():
        conds = " OR ".join(f"host = '{h}' OR host LIKE '%.{h}'" for h in hosts)
        whens.append(f"WHEN {conds} THEN '{plat}'")
    # Mastodon lives on thousands of instances; its status URLs have one shape: /@user/<digits>
    whens.append(r"WHEN regexp_matches(path, '^/@[A-Za-z0-9_]+(@[^/]+)?/[0-9]{6,}') THEN 'mastodon'")
    return "CASE " + " ".join(whens) + " ELSE NULL END"


def cross_links(engine: Engine, filters: dict[str, Any] | None = None) -> pa.Table:
    """Posts linking from one platform to another: ``from_platform``, ``to_platform``, ``posts``, ``links``, ``authors``.

    A post counts once per target platform however many links it has; links to the post's own platform
    (a quoted tweet's URL) are not cross-links.
    """
    w, p = where(filters)
    return engine.sql(
        f"""WITH u AS (
                SELECT platform, post_id, author_key,
                       lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)) AS host,
                       regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+(/[^?#]*)', 1) AS path
                FROM (SELECT platform, post_id, author_key, unnest(urls) AS url FROM posts WHERE {w}) AS x),
            l AS (SELECT platform AS from_platform, {_host_case()} AS to_platform, post_id, author_key FROM u)
            SELECT from_platform, to_platform, count(DISTINCT post_id) AS posts, count(*) AS links,
                   count(DISTINCT author_key) AS authors
            FROM l WHERE to_platform IS NOT NULL AND to_platform <> from_platform
            GROUP BY 1, 2 ORDER BY posts DESC, 1, 2""",
        p,
    )
