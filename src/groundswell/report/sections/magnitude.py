"""Magnitude sections: the headline figures, volume over time, hashtags, languages, and the sources."""

from __future__ import annotations

from typing import Any

from groundswell.analytics import magnitude
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.report.html import Section
from groundswell.report.sections.common import figure as _figure
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store


def magnitude_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section:
    h = magnitude.headline(store, filters)
    if h.posts == 0:
        return Section("magnitude", "Magnitude", '<p class="empty">The store holds no posts yet.</p>')
    suppressed_people = h.authors < k
    figs = [
        _figure(f"{h.posts:,}", "posts"),
        _figure("&lt;k" if suppressed_people else f"{h.authors:,}", "distinct authors"),
        _figure(f"{h.originals:,}", "original posts"),
        _figure(f"{h.replies:,}", "replies"),
        _figure(f"{h.reposts:,}", "reposts"),
        _figure(f"{h.quotes:,}", "quotes"),
    ]
    if h.comments:
        figs.append(_figure(f"{h.comments:,}", "comments"))
    span = f"{h.first:%d %b %Y %H:%M} – {h.last:%d %b %Y %H:%M} UTC" if h.first and h.last else ""
    plat = suppress(magnitude.by(store, "platform", filters), k=k)
    html = (
        f'<div class="figures">{"".join(figs)}</div><p class="note">{span}. '
        "Counts are of the posts in this data set, not of the platform as a whole.</p>"
        "<h3>Per platform</h3>"
        + _table(plat, [("platform", "platform"), ("posts", "posts"), ("authors", "authors")], {"posts", "authors"})
    )
    return Section("magnitude", "Magnitude", html)


def timeline_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    s = suppress(magnitude.series(store, "hour", filters), k=k)
    if s.num_rows == 0:
        return None
    times = s.column("bin").to_pylist()
    posts = s.column("posts").to_pylist()  # hours with fewer than k authors are suppressed: drawn as missing
    svg = charts.time_series(times, posts, title="Posts per hour (UTC)")
    note = '<p class="note">Hours with posts by fewer than k people are left out of the line.</p>'
    return Section("timeline", "Posts per hour", svg + note)


def hashtags_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    t = suppress(magnitude.top_hashtags(store, filters, limit=20), k=k)
    if t.num_rows == 0:
        return None
    labels = ["#" + x for x in t.column("hashtag").to_pylist()]
    return Section("hashtags", "Top hashtags", charts.bars(labels, t.column("posts").to_pylist(), title="Top hashtags"))


def languages_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    t = suppress(magnitude.by(store, "lang", filters, limit=15), k=k)
    if t.num_rows == 0:
        return None
    return Section(
        "languages",
        "Languages",
        charts.bars(t.column("lang").to_pylist(), t.column("posts").to_pylist(), title="Posts per language"),
    )


def sources_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section:
    t = store.sql("SELECT file, format, read, stored, duplicates, rejected, status FROM ingests ORDER BY ingest_id")
    cols = [
        ("file", "file"),
        ("format", "format"),
        ("read", "read"),
        ("stored", "stored"),
        ("duplicates", "duplicates"),
        ("rejected", "rejected"),
        ("status", "status"),
    ]
    return Section(
        "sources",
        "Sources",
        '<p class="note">Every record read is stored, a duplicate, or rejected (quarantined with its reason).</p>'
        + _table(t, cols, {"read", "stored", "duplicates", "rejected"}),
    )
