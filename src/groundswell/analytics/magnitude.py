"""How big: posts, people, kinds, platforms, and volume over time.

Counts are of *this data set*. Referenced posts that arrived only as context (twarc2 ``includes``) are left
out: they were not matched by the collection, so counting them would inflate the movement.

Every table carries an ``authors`` column (distinct pseudonymous authors) so the privacy layer can suppress
cells that describe fewer than k people.

Distinct authors are counted over ``author_key``, a 64-bit integer stored beside ``author_id`` and computed from
it (``privacy/author_key.py``): over 10M posts, hashing 22-character strings cost DuckDB ~4 CPU s per pass,
the integers a fraction of that. Distinct counts over 64-bit keys are exact unless two authors collide; at 10M
authors the chance of any collision is ~3e-6. Anything that needs the author itself (networks, exports,
suppression by lists of authors) keeps ``author_id``. Time bins come from epoch microseconds
(``timeline._bin_expr``), which is cheaper than a time-zone conversion per post and the same value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics.engine import Engine, where
from groundswell.analytics.firsts import author_pass, fit, participation_pass


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


# the headline's post counts; ``headline`` adds the distinct authors, ``overview`` counts those in its own pass
_COUNTS = """count(*) AS posts, min(created_at) AS first, max(created_at) AS last,
                   count(*) FILTER (WHERE kind = 'original') AS originals,
                   count(*) FILTER (WHERE kind = 'reply') AS replies,
                   count(*) FILTER (WHERE kind = 'repost') AS reposts,
                   count(*) FILTER (WHERE kind = 'quote') AS quotes,
                   count(*) FILTER (WHERE kind = 'comment') AS comments"""


def headline(engine: Engine, filters: dict[str, Any] | None = None) -> Headline:
    w, p = where(filters)
    row = engine.sql(f"SELECT count(DISTINCT author_key) AS authors, {_COUNTS} FROM posts WHERE {w}", p).to_pylist()[0]
    return Headline(**row)


def by(engine: Engine, dimension: str, filters: dict[str, Any] | None = None, limit: int | None = None) -> pa.Table:
    """Posts and authors per value of one column (platform, lang, kind, country)."""
    if dimension not in {"platform", "lang", "kind", "country", "community"}:
        raise ValueError(f"cannot group by {dimension!r}")
    w, p = where(filters)
    lim = f" LIMIT {int(limit)}" if limit else ""
    return engine.sql(
        f"""SELECT coalesce({dimension}, 'unknown') AS {dimension}, count(*) AS posts,
                   count(DISTINCT author_key) AS authors
            FROM posts WHERE {w} GROUP BY 1 ORDER BY posts DESC, 1{lim}""",
        p,
    )


def series(engine: Engine, bin: str = "hour", filters: dict[str, Any] | None = None) -> pa.Table:
    """Posts and authors per time bin (UTC). Bins with no posts are absent here; ``timeline.volume`` gives every bin, with gaps."""
    if bin not in {"minute", "hour", "day", "week"}:
        raise ValueError(f"unknown bin {bin!r}")
    # the very query the timeline's ``volume`` runs, so an engine that remembers queries (``Memo``) answers once
    from groundswell.analytics.timeline import counts_per_bin

    return counts_per_bin(engine, bin, filters)


def top_hashtags(engine: Engine, filters: dict[str, Any] | None = None, limit: int = 20) -> pa.Table:
    w, p = where(filters)
    return engine.sql(
        f"""SELECT tag AS hashtag, count(*) AS posts, count(DISTINCT author_key) AS authors
            FROM (SELECT unnest(list_distinct(hashtags_norm)) AS tag, author_key FROM posts WHERE {w})
            GROUP BY 1 ORDER BY posts DESC, 1 LIMIT {int(limit)}""",
        p,
    )


def first_hours(
    engine: Engine, hours: float = 24, start: datetime | None = None, filters: dict[str, Any] | None = None
) -> Headline:
    """Headline figures for the ``hours`` after ``start`` (default: the first post of the filtered data).

    The seed's "half a million tweets in 24 hours" is a first-day figure measured from the takeoff; pass the
    start of the strongest burst as ``start`` to measure the same thing (the report does).
    """
    if start is None:
        start = headline(engine, filters).first
        if start is None:
            return headline(engine, filters)
    return headline(engine, _window(start, hours, filters))


def _window(start: datetime, hours: float, filters: dict[str, Any] | None) -> dict[str, Any]:
    """The filters narrowed to ``hours`` from ``start`` (never wider than they were)."""
    f = dict(filters or {})
    since = max(start, f["since"]) if f.get("since") else start
    until = start + timedelta(hours=hours)
    f["since"], f["until"] = since, min(until, f["until"]) if f.get("until") else until
    return f


#: the values of a dimension whose people ``overview`` counts in its pass over the authors: the most frequent,
#: which hold nearly all the posts. Each is a CASE branch evaluated per post, so many cost more than they save
#: (62 uniform values: 1.9 s against 1.7 s for their own distinct count on 10M posts). Rarer values, a tail of
#: few posts, get a distinct count over just their posts.
HEAD = 16

#: the breakdowns the magnitude command and report show
DIMENSIONS = ("platform", "lang", "country")


@dataclass(frozen=True)
class Overview:
    headline: Headline
    first_hours: Headline  # the ``hours`` after ``start`` (as ``first_hours``: the headline when there are no posts)
    by: dict[str, pa.Table]  # dimension -> the table ``by`` returns for it
    # as ``participants(engine, bin, filters)`` and ``time_to_participants(engine, THRESHOLDS, filters,
    # headline.first)``; None when ``overview`` was asked for no bin
    participants: pa.Table | None
    time_to_participants: pa.Table | None


def overview(
    engine: Engine,
    filters: dict[str, Any] | None = None,
    dimensions: tuple[str, ...] = DIMENSIONS,
    start: datetime | None = None,
    hours: float = 24,
    bin: str | None = "day",
) -> Overview:
    """``headline``, ``first_hours``, ``by`` each dimension, ``participants`` per ``bin`` and
    ``time_to_participants``, with every distinct-author figure from one pass.

    Each of those functions hashes the author of every post, and over 10M posts by 4.6M people a pass costs
    ~1.3 s of wall time on 2 cores; the magnitude command needed five. Here one GROUP BY author gives each author
    a bit mask per dimension (which of its frequent values they posted with) and a flag for the window, and
    counting set bits gives every figure: the same numbers as ``count(DISTINCT author_key)`` (NULL authors not
    counted), from one hash table instead of five. When the bins fit a mask (``firsts.Bits``: the days of a
    two-month collection), the same pass also finds each author's bins and first post, which the
    participants figures need; otherwise they take their own pass (``bin=None``: no participants figures).
    Post counts need no distinct and are cheap queries of their own.
    """
    if bin not in {"minute", "hour", "day", "week", None}:
        raise ValueError(f"unknown bin {bin!r}")
    for d in dimensions:
        if d not in {"platform", "lang", "kind", "country", "community"}:
            raise ValueError(f"cannot group by {d!r}")
    w, p = where(filters)
    total = engine.sql(f"SELECT {_COUNTS} FROM posts WHERE {w}", p).to_pylist()[0]
    start = start or total["first"]
    window = _window(start, hours, filters) if start is not None else None
    values = {
        d: engine.sql(
            f"""SELECT coalesce({d}, 'unknown') AS value, count(*) AS posts FROM posts WHERE {w}
                GROUP BY 1 ORDER BY posts DESC, value""",
            p,
        ).to_pylist()
        for d in dimensions
    }
    aggs: list[str] = []
    counts: list[str] = []
    params: list[Any] = []
    if window is not None:
        aggs.append("bool_or(created_at >= ? AND created_at < ?) AS in_window")
        counts.append("count(*) FILTER (WHERE author_key IS NOT NULL AND in_window) AS window_authors")
        params += [window["since"], window["until"]]
    for d in dimensions:
        head = [r["value"] for r in values[d][:HEAD]]
        if head:
            cases = " ".join(f"WHEN ? THEN {1 << i}" for i in range(len(head)))
            aggs.append(f"bit_or(CASE coalesce({d}, 'unknown') {cases} ELSE 0 END) AS m_{d}")
            counts += [
                f'count(*) FILTER (WHERE author_key IS NOT NULL AND m_{d} & {1 << i} <> 0) AS "{d}_{i}"'
                for i in range(len(head))
            ]
            params += head
    ns = list(THRESHOLDS)
    bits = fit(engine, bin, w, p) if bin is not None else None
    got = author_pass(engine, w, p, aggs, counts, params, bits, ns)
    per_author = got.slice(0, 1).to_pylist()[0]
    by_dim = {d: _breakdown(engine, d, values[d], per_author, w, p) for d in dimensions}
    overall = Headline(authors=per_author["authors"], **total)
    first = overall
    if window is not None:
        ww, wp = where(window)
        counts_w = engine.sql(f"SELECT {_COUNTS} FROM posts WHERE {ww}", wp).to_pylist()[0]
        first = Headline(authors=per_author["window_authors"], **counts_w)
    if bin is None:
        return Overview(overall, first, by_dim, None, None)
    passed = bits.table(got) if bits is not None else participation_pass(engine, bin, filters, ns)
    reached = (
        _reached(passed, ns, overall.first)
        if bin == "day"
        else time_to_participants(engine, THRESHOLDS, filters, overall.first)
    )
    return Overview(overall, first, by_dim, _per_bin(passed), reached)


def _breakdown(
    engine: Engine, d: str, values: list[dict[str, Any]], per_author: dict[str, Any], w: str, p: list[Any]
) -> pa.Table:
    """One dimension's table, as ``by`` gives it: head values' authors from the pass, the tail's by a distinct
    count over the tail's posts alone."""
    authors = {r["value"]: per_author[f"{d}_{i}"] for i, r in enumerate(values[:HEAD])}
    tail = [r["value"] for r in values[HEAD:]]
    if tail:
        marks = ", ".join("?" for _ in tail)
        rest = engine.sql(
            f"""SELECT coalesce({d}, 'unknown') AS value, count(DISTINCT author_key) AS authors FROM posts
                WHERE {w} AND coalesce({d}, 'unknown') IN ({marks}) GROUP BY 1""",
            p + tail,
        )
        authors.update(zip(rest.column("value").to_pylist(), rest.column("authors").to_pylist(), strict=True))
    return pa.table(
        {
            d: pa.array([r["value"] for r in values], pa.string()),
            "posts": pa.array([r["posts"] for r in values], pa.int64()),
            "authors": pa.array([authors[r["value"]] for r in values], pa.int64()),
        }
    )


#: the thresholds ``time_to_participants`` reports unless told otherwise (``participants`` finds them too)
THRESHOLDS = (1_000, 10_000, 100_000)


def participants(engine: Engine, bin: str = "day", filters: dict[str, Any] | None = None) -> pa.Table:
    """Per bin: ``posts``, ``authors`` (distinct authors posting in the bin) and ``new_authors`` (posting for the
    first time in this data set). Bins with no posts are absent; pass the suppressed table to ``accumulate``.
    """
    if bin not in {"minute", "hour", "day", "week"}:
        raise ValueError(f"unknown bin {bin!r}")
    return _per_bin(participation_pass(engine, bin, filters, list(THRESHOLDS)))


def _per_bin(t: pa.Table) -> pa.Table:
    """``participants`` from the pass's table: its rows with a bin."""
    return t.filter(pc.is_null(t.column("n"))).select(["bin", "posts", "authors", "new_authors"])


def accumulate(table: pa.Table, columns: tuple[str, ...] = ("posts", "new_authors")) -> pa.Table:
    """Running totals ``cum_<col>`` of a (suppressed) per-bin table: the cumulative curve.

    Run it *after* ``privacy.suppress``: a cumulative computed from unsuppressed counts would give away every
    suppressed cell as the difference of two published totals. Suppressed bins add nothing, so the curve is a
    lower bound that falls short of the true total by exactly the suppressed cells.
    """
    out = table
    for c in columns:
        running, acc = [], 0
        for v in table.column(c).to_pylist():
            acc += v or 0
            running.append(acc)
        out = out.append_column(f"cum_{c}", pa.array(running, pa.int64()))
    return out


def time_to_participants(
    engine: Engine,
    thresholds: tuple[int, ...] = THRESHOLDS,
    filters: dict[str, Any] | None = None,
    start: datetime | None = None,
) -> pa.Table:
    """When the n-th distinct participant first posted, for each threshold n, and hours since ``start``.

    ``start`` defaults to the first post of the filtered data. Thresholds the data never reaches have a null
    time: a data set of 40,000 people says nothing about when 100,000 were reached.
    """
    ns = sorted({int(n) for n in thresholds if n >= 1})
    if not ns:
        raise ValueError("thresholds must be positive")
    if start is None:
        start = headline(engine, filters).first
    return _reached(participation_pass(engine, "day", filters, ns), ns, start)


def _reached(t: pa.Table, ns: list[int], start: datetime | None) -> pa.Table:
    """``time_to_participants`` from the pass's table: its rows with an ``n``."""
    got = t.filter(pc.is_valid(t.column("n"))).select(["n", "first_at"]).to_pylist()
    reached = {r["n"]: r["first_at"] for r in got}
    rows = []
    for n in ns:
        at = reached.get(n)
        hours = None if at is None or start is None else round((at - start).total_seconds() / 3600, 2)
        rows.append({"participants": n, "reached_at": at, "hours": hours, "authors": n})
    return pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("participants", pa.int64()),
                ("reached_at", pa.timestamp("us", tz="UTC")),
                ("hours", pa.float64()),
                ("authors", pa.int64()),
            ]
        ),
    )
