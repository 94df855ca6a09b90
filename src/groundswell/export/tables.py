"""What can be exported: a registry of named tables, each built the way the CLI shows it.

``WHAT`` maps a name (``posts``, ``magnitude``, ``bursts``, ...) to a :class:`Table` entry whose ``build``
function returns an Arrow table (or, for graphs, a networkx graph) that has *already* been through the
privacy layer: aggregates through :func:`groundswell.privacy.suppress.suppress`, posts through
:func:`groundswell.privacy.redact.redact_array` with only pseudonymous ids. The privacy step lives here, in
one place, so no format writer can forget it. ``raw=True`` (an administrator's explicit choice) skips it.

Adding an analysis to ``groundswell export`` is one entry in ``WHAT``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics import cascades as casc
from groundswell.analytics import magnitude
from groundswell.analytics.bursts import find_gaps, kleinberg_bursts
from groundswell.analytics.engine import Engine, where
from groundswell.privacy.redact import redact_array
from groundswell.privacy.suppress import suppress

if TYPE_CHECKING:  # networkx loads only when a graph is built (``networks`` below)
    import networkx as nx


class ExportError(Exception):
    """An export that cannot be made as asked (unknown table, wrong format for it, analysis not installed)."""


@dataclass(frozen=True)
class Options:
    """Everything a table builder may need; one object so the registry's signature never changes."""

    k: int = 10
    filters: dict[str, Any] | None = None
    raw: bool = False
    bin: str = "hour"


#: columns of a privacy-safe posts export: pseudonymous ids only, no handle, no precise geotag, no file paths
POST_COLUMNS = (
    "platform",
    "post_id",
    "created_at",
    "author_id",
    "lang",
    "kind",
    "parent_id",
    "parent_author_id",
    "root_id",
    "repost_of",
    "quote_of",
    "community",
    "text",
    "hashtags",
    "hashtags_norm",
    "mentions",
    "urls",
    "like_count",
    "repost_count",
    "reply_count",
    "quote_count",
    "country",
    "movements",
    "participation",
    "participation_p",
)


def posts(engine: Engine, o: Options) -> pa.Table:
    """One row per post of the collection (context-only posts left out), text redacted unless raw."""
    w, p = where(o.filters)
    cols = "*" if o.raw else ", ".join(POST_COLUMNS)
    tbl = engine.sql(f"SELECT {cols} FROM posts WHERE {w} ORDER BY platform, created_at, post_id", p)
    if not o.raw:
        i = tbl.column_names.index("text")
        tbl = tbl.set_column(i, "text", redact_array(tbl.column("text")))
    return tbl


def _suppress(tbl: pa.Table, o: Options, **kw: Any) -> pa.Table:
    return tbl if o.raw else suppress(tbl, k=o.k, **kw)


def magnitude_series(engine: Engine, o: Options) -> pa.Table:
    """Posts and distinct authors per time bin (UTC), as ``groundswell stats`` counts them."""
    return _suppress(magnitude.series(engine, o.bin, o.filters), o)


_BIN_US = {"minute": 60_000_000, "hour": 3_600_000_000, "day": 86_400_000_000, "week": 7 * 86_400_000_000}


def _utc(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)


def bursts(engine: Engine, o: Options) -> pa.Table:
    """Kleinberg bursts over the binned series, collection gaps masked as missing (never as zero).

    One row per burst: level, first and last bin (``start`` inclusive, ``end`` exclusive, UTC), peak bin,
    weight, and the posts and distinct authors inside it (counted in SQL so suppression sees real people).
    """
    s = magnitude.series(engine, o.bin, o.filters)
    schema = pa.schema(
        [
            ("level", pa.int64()),
            ("start", pa.timestamp("us", tz="UTC")),
            ("end", pa.timestamp("us", tz="UTC")),
            ("peak", pa.timestamp("us", tz="UTC")),
            ("weight", pa.float64()),
            ("posts", pa.int64()),
            ("authors", pa.int64()),
        ]
    )
    if s.num_rows == 0:
        return _suppress(schema.empty_table(), o, count_columns=["weight", "posts"])
    step = _BIN_US[o.bin]
    t = pc.cast(s.column("bin"), pa.timestamp("us")).to_numpy().astype("datetime64[us]").astype(np.int64)
    idx = (t - t[0]) // step
    counts = np.zeros(int(idx[-1]) + 1)
    counts[idx] = s.column("posts").to_numpy()
    found = kleinberg_bursts(counts, missing=find_gaps(counts))
    w, p = where(o.filters)
    rows = []
    for b in found:
        start, end = int(t[0] + b.start * step), int(t[0] + (b.end + 1) * step)
        got = engine.sql(
            f"""SELECT count(*) AS posts, count(DISTINCT author_key) AS authors FROM posts
                WHERE {w} AND created_at >= ? AND created_at < ?""",
            [*p, _utc(start), _utc(end)],
        ).to_pylist()[0]
        rows.append(
            {
                "level": b.level,
                "start": start,
                "end": end,
                "peak": int(t[0] + b.peak * step),
                "weight": float(b.weight),
                **got,
            }
        )
    tbl = pa.Table.from_pylist(rows, schema=schema)
    return _suppress(tbl, o, count_columns=["weight", "posts"])


def cascades(engine: Engine, o: Options) -> pa.Table:
    """Every cascade with its shape figures; a suppressed cascade also loses its root post id."""
    c = casc.build_cascades(engine, o.filters)
    tbl = casc.top_cascades(c, limit=c.cascades.num_rows)
    return tbl if o.raw else casc.hide_suppressed_ids(suppress(tbl, k=o.k))


def cohashtag_network(engine: Engine, o: Options) -> nx.Graph:
    """Co-hashtag graph; hashtags and pairs used by fewer than k authors are left out (not in raw mode)."""
    from groundswell.analytics import networks

    return networks.cohashtag_graph(engine, o.filters, min_authors=1 if o.raw else o.k)


def interaction_network(engine: Engine, o: Options) -> nx.Graph:
    """Who answers, quotes, reposts and mentions whom, between pseudonymous author ids."""
    from groundswell.analytics import networks

    return networks.interaction_graph(engine, o.filters)


def participation(engine: Engine, o: Options) -> pa.Table:
    """Posts and distinct authors per participation class as stored by the classifier, with each class's share.

    These are the stored labels counted ("classify and count", ``method = 'cc'``): the classifier's
    confusion-corrected prevalence with intervals is ``groundswell.participation.prevalence``, which needs the
    model; this export is what the store itself can say. Posts not yet classified are left out, and a store
    with no labels at all is an error rather than an empty table that reads as "nobody took part".
    """
    w, p = where(o.filters)
    tbl = engine.sql(
        f"""SELECT participation AS class, count(*) AS posts, count(DISTINCT author_key) AS authors
            FROM posts WHERE {w} AND participation IS NOT NULL GROUP BY 1 ORDER BY posts DESC, 1""",
        p,
    )
    if tbl.num_rows == 0:
        raise ExportError("no participation labels in the store: run the participation classifier first")
    total = sum(tbl.column("posts").to_pylist())
    share = pa.array([n / total for n in tbl.column("posts").to_pylist()], pa.float64())
    tbl = tbl.append_column("share", share).append_column("method", pa.array(["cc"] * tbl.num_rows))
    return _suppress(tbl, o)


@dataclass(frozen=True)
class Table:
    """A registry entry: how to build it, and whether it is a graph (GEXF-able) or a table."""

    build: Callable[[Engine, Options], Any]
    graph: bool = False
    doc: str = ""


WHAT: dict[str, Table] = {
    "posts": Table(posts, doc="one row per post, text redacted, pseudonymous ids"),
    "magnitude": Table(magnitude_series, doc="posts and authors per time bin (--bin)"),
    "bursts": Table(bursts, doc="Kleinberg bursts over the binned series, gaps masked"),
    "participation": Table(participation, doc="posts, authors and share per stored participation class"),
    "cascades": Table(cascades, doc="one row per cascade: size, depth, breadth, virality"),
    "network": Table(cohashtag_network, graph=True, doc="co-hashtag graph (nodes: hashtags)"),
    "interactions": Table(interaction_network, graph=True, doc="reply/quote/repost/mention graph between pseudonyms"),
}


def graph_edges(g: nx.Graph) -> pa.Table:
    """A graph as an edge list (source, target, every edge attribute), for the table formats."""
    rows = []
    multi = g.is_multigraph()
    for e in g.edges(keys=True, data=True) if multi else g.edges(data=True):
        u, v, d = (e[0], e[1], e[3]) if multi else e
        rows.append({"source": str(u), "target": str(v), **d})
    if not rows:
        return pa.table({"source": pa.array([], pa.string()), "target": pa.array([], pa.string())})
    return pa.Table.from_pylist(rows)
