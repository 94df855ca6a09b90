"""How big: posts, people, kinds, platforms, and volume over time.

Counts are of *this data set*. Referenced posts that arrived only as context (twarc2 ``includes``) are left
out: they were not matched by the collection, so counting them would inflate the movement.

Every table carries an ``authors`` column (distinct pseudonymous authors) so the privacy layer can suppress
cells that describe fewer than k people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from groundswell.analytics.engine import Engine, where


@dataclass(frozen=True)
class Headline:
    posts: int
    authors: int
    first: datetime | None
    last: datetime | None
    originals: int
    replies: int
    reposts: int
    quotes: int
    comments: int


def headline(engine: Engine, filters: dict[str, Any] | None = None) -> Headline:
    w, p = where(filters)
    row = engine.sql(
        f"""SELECT count(*) AS posts, count(DISTINCT author_id) AS authors,
                   min(created_at) AS first, max(created_at) AS last,
                   count(*) FILTER (WHERE kind = 'original') AS originals,
                   count(*) FILTER (WHERE kind = 'reply') AS replies,
                   count(*) FILTER (WHERE kind = 'repost') AS reposts,
                   count(*) FILTER (WHERE kind = 'quote') AS quotes,
                   count(*) FILTER (WHERE kind = 'comment') AS comments
            FROM posts WHERE {w}""",
        p,
    ).to_pylist()[0]
    return Headline(**row)


def by(engine: Engine, dimension: str, filters: dict[str, Any] | None = None, limit: int | None = None) -> pa.Table:
    """Posts and authors per value of one column (platform, lang, kind, country)."""
    if dimension not in {"platform", "lang", "kind", "country", "community"}:
        raise ValueError(f"cannot group by {dimension!r}")
    w, p = where(filters)
    lim = f" LIMIT {int(limit)}" if limit else ""
    return engine.sql(
        f"""SELECT coalesce({dimension}, 'unknown') AS {dimension}, count(*) AS posts,
                   count(DISTINCT author_id) AS authors
            FROM posts WHERE {w} GROUP BY 1 ORDER BY posts DESC, 1{lim}""",
        p,
    )


def series(engine: Engine, bin: str = "hour", filters: dict[str, Any] | None = None) -> pa.Table:
    """Posts and authors per time bin (UTC). Bins with no posts are absent here; see ``dense_series``."""
    if bin not in {"minute", "hour", "day", "week"}:
        raise ValueError(f"unknown bin {bin!r}")
    w, p = where(filters)
    return engine.sql(
        f"""SELECT date_trunc('{bin}', created_at AT TIME ZONE 'UTC') AS bin, count(*) AS posts,
                   count(DISTINCT author_id) AS authors
            FROM posts WHERE {w} GROUP BY 1 ORDER BY 1""",
        p,
    )


def top_hashtags(engine: Engine, filters: dict[str, Any] | None = None, limit: int = 20) -> pa.Table:
    w, p = where(filters)
    return engine.sql(
        f"""SELECT tag AS hashtag, count(*) AS posts, count(DISTINCT author_id) AS authors
            FROM (SELECT unnest(list_distinct(hashtags_norm)) AS tag, author_id FROM posts WHERE {w})
            GROUP BY 1 ORDER BY posts DESC, 1 LIMIT {int(limit)}""",
        p,
    )
