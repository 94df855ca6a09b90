"""Origin section: when each of the movement's hashtags first appears, which were revived after lying dormant,
and which posts (or accounts) seeded the strongest burst.

Seed posts are individual posts, so the section shows ids, times and counts of answers, never text, and a handle
only where the store kept one for a public figure; a seed answered by fewer than k people is suppressed.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics import collection, origin, timeline
from groundswell.movements.config import store_movements
from groundswell.privacy.suppress import suppress
from groundswell.report.html import Section
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store

SEED_HOURS = 3


def origin_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    parts = []
    for m in store_movements(store):
        tags = origin.movement_tags(m)
        first = suppress(origin.first_appearances(store, tags, filters), k=k, count_columns=["posts"])
        if not first.num_rows:
            continue
        parts.append(f"<h3>{escape(m.title)}: first appearances in this data</h3>")
        parts.append(
            _table(
                _times(first, ("first_at", "last_at")),
                [
                    ("hashtag", "hashtag"),
                    ("first_at", "first"),
                    ("last_at", "last"),
                    ("posts", "posts"),
                    ("authors", "authors"),
                ],
                {"posts", "authors"},
            )
        )
        revival = origin.dormant_revival(store, tags, filters)
        revived = revival.filter(revival.column("revived"))
        if revived.num_rows:
            shown = suppress(
                revived.select(["hashtag", "first_at", "surge_start", "dormant_days", "ratio", "authors"]),
                k=k,
                count_columns=["ratio"],
            )
            parts.append("<h3>Dormant, then revived</h3>")
            parts.append(
                _table(
                    _times(shown, ("first_at", "surge_start")),
                    [
                        ("hashtag", "hashtag"),
                        ("first_at", "first seen"),
                        ("surge_start", "surge"),
                        ("dormant_days", "days before"),
                        ("ratio", "surge / earlier daily rate"),
                    ],
                    {"dormant_days", "ratio"},
                )
            )
    seeds = _seeds(store, filters, k)
    if not parts and not seeds:
        return None
    note = (
        '<p class="note">"First" means first in this data set: a collection that starts mid-wave cannot see '
        "earlier use. A tag is called revived when at least 30 days separate its first appearance from its "
        "strongest burst and the burst's daily rate is at least ten times the rate before it.</p>"
    )
    return Section("origin", "Origin", note + "".join(parts) + seeds)


def _seeds(store: Store, filters: dict[str, Any] | None, k: int) -> str:
    top = timeline.strongest(timeline.bursts(store, "hour", filters, gaps=collection.declared_gaps(store)))
    if top is None:
        return ""
    start = top["start"]
    head = (
        f'<h3>Seeds of the strongest burst</h3><p class="note">Most answered (replied to or quoted) by posts '
        f"written in the first {SEED_HOURS} hours of the burst that began {start:%d %b %Y %H:%M} UTC; counted from "
        "the answers in this data set.</p>"
    )
    # a seed answered by fewer than k people is left out entirely: its id alone would point at one post
    posts = _published(suppress(origin.seed_posts(store, start, SEED_HOURS, filters), k=k, count_columns=["answers"]))
    if posts.num_rows:
        cols = [
            ("platform", "platform"),
            ("post_id", "post"),
            ("created_at", "posted"),
            ("author_handle", "public author"),
            ("answers", "answers"),
            ("authors", "people answering"),
        ]
        return head + _table(_times(posts, ("created_at",)), cols, {"answers", "authors"})
    accounts = _published(
        suppress(origin.seed_accounts(store, start, SEED_HOURS, filters), k=k, count_columns=["replies"])
    )
    if not accounts.num_rows:
        return ""
    cols = [
        ("platform", "platform"),
        ("account", "account (pseudonym)"),
        ("author_handle", "public handle"),
        ("replies", "replies"),
        ("authors", "people replying"),
    ]
    return (
        head + '<p class="note">This data names the account a reply answered but not the post, so the seeds are '
        "accounts.</p>" + _table(accounts, cols, {"replies", "authors"})
    )


def _published(t: pa.Table) -> pa.Table:
    return t.filter(pc.invert(t.column("suppressed")))


def _times(t: pa.Table, columns: tuple[str, ...]) -> pa.Table:
    out = t
    for c in columns:
        vals = [None if v is None else f"{v:%d %b %Y %H:%M}" for v in t.column(c).to_pylist()]
        out = out.set_column(out.schema.get_field_index(c), c, pa.array(vals, pa.string()))
    return out
