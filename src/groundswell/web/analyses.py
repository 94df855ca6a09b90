"""The page registry: one entry per analysis, serving both its HTML page and its ``/api/v1`` endpoint.

An analysis is a function ``(store, filters, k) -> Result | NotReady``. A ``Result`` holds named tables,
every one already through ``privacy.suppress``, and the HTML fragment drawn from those same tables, so the
page and the API cannot disagree. ``NotReady`` says plainly why there is nothing to show (the enrich stage
has not run on this store, or this version of groundswell lacks the analysis) instead of showing zeros.

Adding an analysis's page is one entry in ``ANALYSES``; the app makes its page route (``/<slug>``), its API
route (``/api/v1/<slug>``, JSON or CSV), its navigation link and its role check from the entry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics import magnitude
from groundswell.analytics.bursts import find_gaps, kleinberg_bursts
from groundswell.analytics.engine import where
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.store.duckdb_store import Store
from groundswell.web.render import figure, sparkline, table


@dataclass(frozen=True)
class Result:
    tables: dict[str, pa.Table]
    html: str


@dataclass(frozen=True)
class NotReady:
    reason: str


Build = Callable[[Store, dict[str, Any], int], Result | NotReady]


@dataclass(frozen=True)
class Analysis:
    slug: str
    title: str
    role: str
    build: Build
    about: str = ""
    cacheable: bool = True
    tags: tuple[str, ...] = field(default=("analyses",))


def _library(module: str, *names: str) -> tuple[Any, ...] | None:
    """Functions from a library module that may not exist yet in this version (another room builds it)."""
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return None
    fns = tuple(getattr(mod, n, None) for n in names)
    return None if any(f is None for f in fns) else fns


def _filled(store: Store, column: str, filters: dict[str, Any], extra: str = "") -> int:
    w, p = where(filters)
    return int(store.sql(f"SELECT count(*) AS n FROM posts WHERE {w} AND {column} IS NOT NULL{extra}", p)[0][0].as_py())


# -- overview ----------------------------------------------------------------------------------------
HEADLINE_COUNTS = ["posts", "originals", "replies", "reposts", "quotes", "comments"]


def headline_table(store: Store, filters: dict[str, Any], k: int, h: magnitude.Headline | None = None) -> pa.Table:
    """The headline row, suppressed; ``h`` when the caller has it already (``magnitude.overview``)."""
    if h is None:
        h = magnitude.headline(store, filters)
    row = {
        "first": h.first.isoformat() if h.first else None,
        "last": h.last.isoformat() if h.last else None,
        **{c: getattr(h, c) for c in HEADLINE_COUNTS},
        "authors": h.authors,
    }
    schema = pa.schema(
        [
            ("first", pa.string()),
            ("last", pa.string()),
            *[(c, pa.int64()) for c in HEADLINE_COUNTS],
            ("authors", pa.int64()),
        ]
    )
    t = pa.Table.from_pylist([row], schema=schema)
    if h.posts == 0:  # nothing matched: a zero describes no one, and "<k" would suggest someone is hidden
        return t.append_column("suppressed", pa.array([False]))
    t = suppress(t, k=k, count_columns=HEADLINE_COUNTS)
    if t["suppressed"][0].as_py():  # the time span of a handful of people's posts says too much as well
        t = t.set_column(0, "first", pa.nulls(1, pa.string())).set_column(1, "last", pa.nulls(1, pa.string()))
    return t


def overview(store: Store, filters: dict[str, Any], k: int) -> Result:
    # every distinct author of the page from one pass; the page shows no participants per bin
    o = magnitude.overview(store, filters, dimensions=("platform", "lang"), bin=None)
    head = headline_table(store, filters, k, o.headline)
    tables = {
        "headline": head,
        "platforms": suppress(o.by["platform"], k=k),
        "languages": suppress(o.by["lang"].slice(0, 15), k=k),
        "hashtags": suppress(magnitude.top_hashtags(store, filters, limit=15), k=k),
        "daily": suppress(magnitude.series(store, "day", filters), k=k),
    }
    h = head.to_pylist()[0]
    if not h["suppressed"] and not h["posts"]:
        return Result(tables, '<p class="empty">No posts match these filters.</p>')
    figs = "".join(figure(name, h[name], h["suppressed"]) for name in ["posts", "authors", *HEADLINE_COUNTS[1:]])
    daily = tables["daily"]
    span = f"{h['first'][:16].replace('T', ' ')} – {h['last'][:16].replace('T', ' ')} UTC" if h["first"] else ""
    html = (
        f'<div class="figures">{figs}</div>'
        f'<p class="note">{span}. Counts are of the posts in this data set, not of the platforms as a whole.</p>'
        f"<h3>Posts per day</h3>{sparkline(daily.column('posts').to_pylist(), title='Posts per day')}"
        "<h3>Platforms</h3>"
        + table(
            tables["platforms"], "platforms", [("platform", "platform"), ("posts", "posts"), ("authors", "authors")]
        )
        + "<h3>Languages</h3>"
        + table(tables["languages"], "languages", [("lang", "language"), ("posts", "posts"), ("authors", "authors")])
        + "<h3>Top hashtags</h3>"
        + table(tables["hashtags"], "hashtags", [("hashtag", "hashtag"), ("posts", "posts"), ("authors", "authors")])
    )
    return Result(tables, html)


# -- timeline ----------------------------------------------------------------------------------------
def timeline(store: Store, filters: dict[str, Any], k: int) -> Result | NotReady:
    h = magnitude.headline(store, filters)
    if not h.first or not h.last:
        return NotReady("No posts match these filters.")
    bin_ = "hour" if h.last - h.first <= timedelta(days=14) else "day"
    step = timedelta(hours=1) if bin_ == "hour" else timedelta(days=1)
    raw = magnitude.series(store, bin_, filters)
    shown = suppress(raw, k=k)
    times = raw.column("bin").to_pylist()
    n = int((times[-1] - times[0]) / step) + 1
    counts = np.zeros(n)
    index = {t: i for i, t in enumerate(times[0] + step * j for j in range(n))}
    for t, c in zip(times, raw.column("posts").to_pylist(), strict=True):
        counts[index[t]] = c
    missing = find_gaps(counts)
    bursts = kleinberg_bursts(counts, missing=missing)
    axis = [times[0] + step * j for j in range(n)]
    values: list[float | None] = [None if missing[j] else float(counts[j]) for j in range(n)]
    for t, c in zip(times, shown.column("posts").to_pylist(), strict=True):
        values[index[t]] = None if c is None else float(c)  # suppressed bins are drawn as missing
    gaps = [(axis[j], axis[j] + step) for j in np.flatnonzero(missing)]
    spans = [(axis[b.start], axis[b.end] + step, f"burst, level {b.level}") for b in bursts]
    burst_table = pa.table(
        {
            "start": pa.array([axis[b.start].isoformat() for b in bursts], pa.string()),
            "end": pa.array([(axis[b.end] + step).isoformat() for b in bursts], pa.string()),
            "level": pa.array([b.level for b in bursts], pa.int64()),
            "peak": pa.array([axis[b.peak].isoformat() for b in bursts], pa.string()),
        }
    )
    chart = charts.time_series(axis, values, title=f"Posts per {bin_} (UTC)", spans=spans, gaps=gaps)
    html = (
        chart + f'<p class="note">Shaded red: bursts (Kleinberg); shaded sand: collection gaps, missing rather than '
        f"zero; breaks in the line: {bin_}s with fewer than {k} authors, suppressed.</p><h3>Bursts</h3>"
        + table(burst_table, "bursts", [("start", "start"), ("end", "end"), ("level", "level"), ("peak", "peak")])
    )
    return Result({"series": shown, "bursts": burst_table}, html)


# -- participation and disclosures (columns filled by the participation enrich stage) -----------------
CLASSES = ("acknowledgement", "disclosure", "support", "commentary", "opposition", "unrelated")


def _group(store: Store, column: str, filters: dict[str, Any], extra: str = "") -> pa.Table:
    w, p = where(filters)
    return store.sql(
        f"""SELECT coalesce({column}, 'unknown') AS {column}, count(*) AS posts, count(DISTINCT author_key) AS authors
            FROM posts WHERE {w}{extra} GROUP BY 1 ORDER BY posts DESC, 1""",
        p,
    )


def participation(store: Store, filters: dict[str, Any], k: int) -> Result | NotReady:
    if not _filled(store, "participation", filters):
        return NotReady(
            "Not computed for this store yet: no post has a participation class. The participation stage "
            "(acknowledgement, disclosure, support, commentary, opposition) fills it at ingest."
        )
    t = suppress(_group(store, "participation", filters), k=k)
    labels = t.column("participation").to_pylist()
    html = charts.bars(labels, t.column("posts").to_pylist(), title="Posts per participation class") + table(
        t, "participation", [("participation", "class"), ("posts", "posts"), ("authors", "authors")]
    )
    return Result({"classes": t}, html)


DISCLOSURE_COLUMNS = ("disclosure_act", "disclosure_setting", "disclosure_age", "disclosure_perpetrator")


def disclosures(store: Store, filters: dict[str, Any], k: int) -> Result | NotReady:
    extra = " AND participation = 'disclosure'"
    if not _filled(store, "participation", filters, extra):
        return NotReady(
            "Not computed for this store yet: no post is classified as a disclosure. Only aggregates are ever "
            f"shown here, and any figure describing fewer than {k} people is suppressed."
        )
    tables = {
        c.removeprefix("disclosure_"): suppress(_group(store, c, filters, extra), k=k) for c in DISCLOSURE_COLUMNS
    }
    html = '<p class="note">Aggregates only: no disclosure is ever shown on this page.</p>' + "".join(
        f"<h3>{name.capitalize()}</h3>"
        + table(t, name, [(f"disclosure_{name}", name), ("posts", "posts"), ("authors", "authors")])
        for name, t in tables.items()
    )
    return Result(tables, html)


# -- spread and cascades ------------------------------------------------------------------------------
def spread(store: Store, filters: dict[str, Any], k: int) -> Result | NotReady:
    plats = suppress(magnitude.by(store, "platform", filters), k=k)
    names = [
        p
        for p, s in zip(plats.column("platform").to_pylist(), plats.column("suppressed").to_pylist(), strict=True)
        if not s
    ]
    if len(names) < 2:
        return NotReady("Spread across platforms needs posts (from at least k people) on two platforms or more.")
    parts = []
    html = []
    for name in names:
        s = suppress(magnitude.series(store, "day", {**filters, "platform": name}), k=k)
        parts.append(s.append_column("platform", pa.array([name] * s.num_rows, pa.string())))
        html.append(f"<h3>{name}</h3>" + sparkline(s.column("posts").to_pylist(), title=f"{name}: posts per day"))
    daily = pa.concat_tables(parts).select(["platform", "bin", "posts", "authors", "suppressed"])
    return Result({"platforms": plats, "daily": daily}, "".join(html))


def cascades(store: Store, filters: dict[str, Any], k: int) -> Result | NotReady:
    fns = _library("groundswell.analytics.cascades", "build_cascades", "size_distribution")
    if fns is None:
        return NotReady("Not computed yet: this version of groundswell has no cascade analysis.")
    build_cascades, size_distribution = fns
    sizes = suppress(size_distribution(build_cascades(store, filters)), k=k)
    html = table(sizes, "sizes", [(c, c) for c in sizes.column_names if c != "suppressed"])
    return Result({"sizes": sizes}, html)


# -- sources ------------------------------------------------------------------------------------------
def sources(store: Store, filters: dict[str, Any], k: int) -> Result:
    """Ingest history and quarantine reasons. These count records and files, not people: nothing to suppress."""
    ingests = store.sql(
        "SELECT ingest_id, regexp_replace(file, '^.*/', '') AS file, format, read, stored, duplicates, rejected, "
        "status, CAST(finished AS VARCHAR) AS finished FROM ingests ORDER BY ingest_id"
    )
    reasons = store.sql("SELECT reason, count(*) AS records FROM quarantine GROUP BY 1 ORDER BY records DESC, 1")
    cols = [(c, c) for c in ("file", "format", "read", "stored", "duplicates", "rejected", "status", "finished")]
    html = (
        '<p class="note">Every record read is stored, a duplicate, or rejected (quarantined with its reason): '
        "read = stored + duplicates + rejected.</p>"
        + table(ingests, "ingests", cols)
        + "<h3>Quarantine</h3>"
        + table(reasons, "quarantine", [("reason", "reason"), ("records", "records")])
    )
    return Result({"ingests": ingests, "quarantine": reasons}, html)


ANALYSES: list[Analysis] = [
    Analysis("overview", "Overview", "viewer", overview, "Magnitude: posts, authors, platforms, languages."),
    Analysis("timeline", "Timeline", "viewer", timeline, "Volume over time with bursts and collection gaps."),
    Analysis(
        "participation", "Participation", "viewer", participation, "Who acknowledged, disclosed, supported, opposed."
    ),
    Analysis(
        "disclosures", "Disclosures", "viewer", disclosures, "What disclosures describe, as suppressed aggregates."
    ),
    Analysis("spread", "Spread", "viewer", spread, "How the movement spread across platforms."),
    Analysis("cascades", "Cascades", "viewer", cascades, "Reply, quote and repost trees."),
    Analysis("sources", "Sources", "viewer", sources, "Ingest history and quarantine."),
]
BY_SLUG = {a.slug: a for a in ANALYSES}
