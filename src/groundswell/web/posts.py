"""Posts as the analyst role sees them: redacted text, no author, time rounded to the hour.

This is the only place the dashboard reads post text. Every text passes through ``privacy.redact`` on its
way out (HTML escaping is the template's job: a post that *is* ``<script>`` shows as those characters), the
author column is never selected, and reference-only posts stay out as everywhere else.
"""

from __future__ import annotations

from typing import Any

from groundswell.analytics.engine import where
from groundswell.privacy.redact import redact
from groundswell.store.duckdb_store import Store

MAX_LIMIT = 200


def redacted_posts(
    store: Store, filters: dict[str, Any], *, limit: int = 50, offset: int = 0, q: str | None = None
) -> list[dict[str, Any]]:
    """A page of posts matching ``filters`` (and ``q``, case-insensitive, in the text), oldest first."""
    w, p = where(filters)
    if q:
        w += " AND contains(lower(text), lower(?))"
        p.append(q)
    rows = store.sql(
        f"""SELECT platform, kind, coalesce(lang, 'und') AS lang,
                   strftime(date_trunc('hour', created_at AT TIME ZONE 'UTC'), '%Y-%m-%d %H:00') AS hour, text
            FROM posts WHERE {w} ORDER BY created_at, platform, post_id LIMIT ? OFFSET ?""",
        [*p, int(min(max(limit, 1), MAX_LIMIT)), int(max(offset, 0))],
    ).to_pylist()
    for r in rows:
        r["text"] = redact(r["text"] or "")
    return rows
