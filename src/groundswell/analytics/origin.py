"""Where a movement came from: first appearances, dormant revival, and the seed posts of a burst.

* **First appearances**: when each of a movement's hashtags (its variants counted together) first and last
  appears in the data, and how many posts and people used it. In a collection that starts mid-wave the "first"
  appearance is the first *in this data*, and the table says when the data starts so nobody reads more into it.
* **Dormant revival**: the 2017 wave "resurrected" a campaign begun in 2006. A tag is revived when it was in
  sparse use for a long time (``min_dormant_days`` from its first appearance to its surge) and then surged: its
  strongest Kleinberg burst (daily bins) runs at ``factor`` times or more its earlier daily rate. The earlier
  rate counts observed days only: collection gaps are neither dormancy nor activity.
* **Seed posts**: the posts most answered (replied to or quoted) by posts written in the first hours of a
  burst, counted from the replies and quotes *in the data* (a platform's own reply counts are totals at
  collection time, not "in the first hours"). Data that knows whom a reply answered but not which post
  (GetOldTweets scrapes) gives seed *accounts* instead: :func:`seed_accounts`.

Seed posts point at individual posts. The output carries ids, times and counts, never text, and a handle only
where the store kept it (public figures, by the privacy settings); the ``authors`` column counts the distinct
people who answered, so ``privacy.suppress`` hides seeds answered by fewer than k people.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics.bursts import kleinberg_bursts
from groundswell.analytics.engine import Engine, where
from groundswell.analytics.timeline import BIN_WIDTH, _utc, volume
from groundswell.movements.definition import Movement

TS = pa.timestamp("us", tz="UTC")


def movement_tags(movement: Movement, *, related: bool = True) -> dict[str, str]:
    """Normalized hashtag → the tag's usual spelling, for a movement's hashtags (and related ones)."""
    tags = movement.hashtags + (movement.related if related else ())
    return {k: t.tag for t in tags for k in t.keys}


def _tag_values(tags: Mapping[str, str]) -> tuple[str, list[Any]]:
    values = ", ".join("(?, ?)" for _ in tags)
    return values, [x for k, label in tags.items() for x in (k, label)]


def first_appearances(engine: Engine, tags: Mapping[str, str], filters: dict[str, Any] | None = None) -> pa.Table:
    """Per hashtag label (variants merged): ``first_at, last_at, posts, authors``; earliest first.

    ``tags`` maps normalized tags to labels (see :func:`movement_tags`). Tags never seen are left out.
    """
    if not tags:
        raise ValueError("no hashtags to look for")
    w, p = where(filters)
    values, vp = _tag_values(tags)
    return engine.sql(
        f"""WITH wanted(tag, label) AS (VALUES {values}),
            used AS (SELECT DISTINCT unnest(hashtags_norm) AS tag, platform, post_id, created_at, author_key
                     FROM posts WHERE {w})
            SELECT wanted.label AS hashtag, min(used.created_at) AS first_at, max(used.created_at) AS last_at,
                   count(DISTINCT used.platform || ':' || used.post_id) AS posts,
                   count(DISTINCT used.author_key) AS authors
            FROM used JOIN wanted ON used.tag = wanted.tag
            GROUP BY 1 ORDER BY 2, 1""",
        vp + p,
    )


def dormant_revival(
    engine: Engine,
    tags: Mapping[str, str],
    filters: dict[str, Any] | None = None,
    *,
    min_dormant_days: float = 30,
    factor: float = 10,
    bin: str = "day",
) -> pa.Table:
    """For each hashtag label: its surge (strongest burst), the quiet stretch before it, and whether that is a
    revival. Columns: ``hashtag, first_at, surge_start, surge_end, dormant_days, observed_days_before,
    posts_before, rate_before, surge_rate, ratio, revived, authors`` (all people who used the tag).
    """
    seen = first_appearances(engine, tags, filters).to_pylist()
    width = BIN_WIDTH[bin]
    days = width / timedelta(days=1)
    rows = []
    for row in seen:
        label = row["hashtag"]
        keys = [k for k, lab in tags.items() if lab == label]
        ser = volume(engine, bin, filters, hashtag=keys)
        found = kleinberg_bursts(ser.posts, missing=ser.missing) if len(ser) else []
        out: dict[str, Any] = {
            "hashtag": label,
            "first_at": row["first_at"],
            "surge_start": None,
            "surge_end": None,
            "dormant_days": None,
            "observed_days_before": None,
            "posts_before": None,
            "rate_before": None,
            "surge_rate": None,
            "ratio": None,
            "revived": False,
            "authors": row["authors"],
        }
        if found:
            top = max(found, key=lambda b: b.weight)
            first_bin = max(0, ser.index(row["first_at"]))
            before = slice(first_bin, top.start)
            observed = ~ser.missing[before]
            n_before = int(np.count_nonzero(observed))
            posts_before = int(ser.posts[before][observed].sum())
            inside = ~ser.missing[top.start : top.end + 1]
            surge_rate = float(ser.posts[top.start : top.end + 1][inside].sum()) / max(1, int(inside.sum())) / days
            rate_before = posts_before / (n_before * days) if n_before else None
            dormant = (ser.starts[top.start] - _utc(row["first_at"])) / timedelta(days=1)
            ratio = surge_rate / rate_before if rate_before else None
            out.update(
                surge_start=ser.starts[top.start],
                surge_end=ser.end_of(top.end),
                dormant_days=round(max(dormant, 0.0), 2),
                observed_days_before=round(n_before * days, 2),
                posts_before=posts_before,
                rate_before=None if rate_before is None else round(rate_before, 4),
                surge_rate=round(surge_rate, 3),
                ratio=None if ratio is None else round(ratio, 1),
                revived=bool(dormant >= min_dormant_days and (ratio is None or ratio >= factor) and posts_before > 0),
            )
        rows.append(out)
    return pa.Table.from_pylist(rows, schema=_REVIVAL)


_REVIVAL = pa.schema(
    [
        ("hashtag", pa.string()),
        ("first_at", TS),
        ("surge_start", TS),
        ("surge_end", TS),
        ("dormant_days", pa.float64()),
        ("observed_days_before", pa.float64()),
        ("posts_before", pa.int64()),
        ("rate_before", pa.float64()),
        ("surge_rate", pa.float64()),
        ("ratio", pa.float64()),
        ("revived", pa.bool_()),
        ("authors", pa.int64()),
    ]
)


def seed_posts(
    engine: Engine,
    start: datetime,
    hours: float = 3,
    filters: dict[str, Any] | None = None,
    *,
    limit: int = 10,
) -> pa.Table:
    """Posts most replied to or quoted by posts written in ``[start, start + hours)``.

    Columns: ``platform, post_id, created_at`` (null when the seed itself is not in the data), ``author_handle``
    (only where the store kept it), ``replies, quotes, answers`` (replies + quotes in the window), ``authors``
    (distinct people answering).
    """
    w, p = where(filters)
    end = start + timedelta(hours=hours)
    return engine.sql(
        f"""WITH answers AS (
                SELECT platform, coalesce(parent_id, quote_of) AS seed, parent_id IS NOT NULL AS is_reply, author_key
                FROM posts
                WHERE {w} AND created_at >= ? AND created_at < ?
                  AND (parent_id IS NOT NULL OR quote_of IS NOT NULL)),
            ranked AS (
                SELECT platform, seed, count(CASE WHEN is_reply THEN 1 END) AS replies,
                       count(CASE WHEN NOT is_reply THEN 1 END) AS quotes,
                       count(*) AS answers, count(DISTINCT author_key) AS authors
                FROM answers GROUP BY 1, 2)
            SELECT ranked.platform AS platform, ranked.seed AS post_id, s.created_at AS created_at,
                   s.author_handle AS author_handle, ranked.replies AS replies, ranked.quotes AS quotes,
                   ranked.answers AS answers, ranked.authors AS authors
            FROM ranked LEFT JOIN posts s ON s.platform = ranked.platform AND s.post_id = ranked.seed
            ORDER BY answers DESC, authors DESC, post_id LIMIT {int(limit)}""",
        [*p, start, end],
    )


def seed_accounts(
    engine: Engine,
    start: datetime,
    hours: float = 3,
    filters: dict[str, Any] | None = None,
    *,
    limit: int = 10,
) -> pa.Table:
    """Accounts most replied to by posts in ``[start, start + hours)``, for data that names the account answered
    but not the post (columns ``platform, account`` (pseudonym), ``author_handle`` (if kept), ``replies,
    authors``)."""
    w, p = where(filters)
    end = start + timedelta(hours=hours)
    return engine.sql(
        f"""WITH r AS (
                SELECT platform, parent_author_id AS account, count(*) AS replies,
                       count(DISTINCT author_key) AS authors
                FROM posts WHERE {w} AND created_at >= ? AND created_at < ? AND parent_author_id IS NOT NULL
                GROUP BY 1, 2),
            handles AS (SELECT platform, author_id, max(author_handle) AS author_handle FROM posts
                        WHERE author_handle IS NOT NULL GROUP BY 1, 2)
            SELECT r.platform AS platform, r.account AS account, handles.author_handle AS author_handle,
                   r.replies AS replies, r.authors AS authors
            FROM r LEFT JOIN handles ON handles.platform = r.platform AND handles.author_id = r.account
            ORDER BY replies DESC, authors DESC, account LIMIT {int(limit)}""",
        [*p, start, end],
    )
