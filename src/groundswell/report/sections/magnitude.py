"""Magnitude sections: the headline figures (with intervals for declared samples), the first day, growth, breakdowns,
hashtags, languages, and the sources."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from groundswell.analytics import collection, magnitude, sampling, timeline
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.report.html import Section
from groundswell.report.sections.common import figure as _figure
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store


def magnitude_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section:
    # the first 24 hours are measured from the takeoff: the start of the strongest burst, not the first stray post
    top = timeline.strongest(timeline.bursts(store, "hour", filters, gaps=collection.declared_gaps(store)))
    o = magnitude.overview(store, filters, start=top["start"] if top else None)  # all distinct authors, one pass
    h = o.headline
    if h.posts == 0:
        return Section("magnitude", "Magnitude", '<p class="empty">The store holds no posts yet.</p>')
    rate = collection.sample_rate(store)
    suppressed_people = h.authors < k
    figs = [
        _figure(_posts(h.posts, rate), "posts" if rate is None else "posts (estimated total, 95% interval)"),
        _figure("&lt;k" if suppressed_people else f"{h.authors:,}", "distinct authors"),
        _figure(f"{h.originals:,}", "original posts"),
        _figure(f"{h.replies:,}", "replies"),
        _figure(f"{h.reposts:,}", "reposts"),
        _figure(f"{h.quotes:,}", "quotes"),
    ]
    if h.comments:
        figs.append(_figure(f"{h.comments:,}", "comments"))
    span = f"{h.first:%d %b %Y %H:%M} – {h.last:%d %b %Y %H:%M} UTC" if h.first and h.last else ""
    numeric = {"posts", "authors", "posts_est", "posts_low", "posts_high"}

    def per(dim: str, limit: int | None = None) -> str:
        t = o.by[dim] if limit is None else o.by[dim].slice(0, limit)  # ordered as ``by`` orders them
        t = sampling.with_intervals(suppress(t, k=k), rate)
        cols = [(dim, dim), ("posts", "posts"), ("authors", "authors")]
        if rate is not None:
            cols += [("posts_est", "est. total"), ("posts_low", "95% low"), ("posts_high", "95% high")]
        return _table(t, cols, numeric)

    html = (
        f'<div class="figures">{"".join(figs)}</div><p class="note">{span}. {escape(sampling.label(rate))}</p>'
        + (_first_day(top["start"], o.first_hours, k, rate) if top else "")
        + _growth(o, k)
        + "<h3>Per platform</h3>"
        + per("platform")
        + "<h3>Per language</h3>"
        + per("lang", 15)
        + "<h3>Per country</h3>"
        + '<p class="note">Only posts whose data names a place have a country; most do not.</p>'
        + per("country", 15)
    )
    return Section("magnitude", "Magnitude", html)


def _posts(n: int, rate: float | None) -> str:
    if rate is None:
        return f"{n:,}"
    e = sampling.estimate(n, rate)
    return f"{e.value:,.0f}<br><small>{e.low:,.0f} – {e.high:,.0f}</small>"


def _first_day(start: datetime, d: magnitude.Headline, k: int, rate: float | None) -> str:
    """The first 24 hours from ``start``, the start of the strongest burst."""
    if d.authors < k:  # every figure of a cell with fewer than k people is suppressed, not only the head count
        return (
            f'<h3>First 24 hours</h3><p class="note">From {start:%d %b %Y %H:%M} UTC: posts by fewer than '
            f"{k} people; figures suppressed.</p>"
        )
    authors = f"{d.authors:,}"
    return (
        f'<h3>First 24 hours</h3><p class="note">From {start:%d %b %Y %H:%M} UTC, the start of the '
        "strongest burst (see Timeline).</p>"
        f'<div class="figures">{_figure(_posts(d.posts, rate), "posts")}{_figure(authors, "distinct authors")}'
        f"{_figure(f'{d.originals:,}', 'original posts')}{_figure(f'{d.replies + d.comments:,}', 'replies')}</div>"
    )


def _growth(o: magnitude.Overview, k: int) -> str:
    """Time to 1k / 10k / 100k participants (from the first post) and the cumulative curve of new participants
    per day."""
    reach = suppress(o.time_to_participants, k=k, count_columns=["hours"])
    rows = []
    for r in reach.to_pylist():
        when = "not reached in this data" if r["reached_at"] is None else f"{r['reached_at']:%d %b %Y %H:%M} UTC"
        hours = "" if r["hours"] is None else f"{r['hours']:,.1f} h after the first post"
        rows.append(f'<tr><td class="n">{r["participants"]:,}</td><td>{when}</td><td>{hours}</td></tr>')
    table = (
        '<table><thead><tr><th class="n">participants</th><th>reached</th><th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    cum = magnitude.accumulate(suppress(o.participants, k=k))
    chart = ""
    if cum.num_rows > 1:
        times = [t.replace(tzinfo=UTC) for t in cum.column("bin").to_pylist()]
        chart = charts.time_series(
            times,
            cum.column("cum_new_authors").to_pylist(),
            title="Distinct participants so far (cumulative, per day)",
            y_label="participants",
        )
    return (
        "<h3>Growth</h3>" + table + chart + '<p class="note">Suppressed days (fewer than k people) add nothing to the '
        "cumulative curve, so it is a lower bound; days missing from the collection add nothing either.</p>"
    )


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
