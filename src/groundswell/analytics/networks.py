"""Networks: which hashtags travel together, and who answers, quotes, reposts and mentions whom.

* **Co-hashtag graph**: a node per normalized hashtag, an edge per pair used in the same post, weighted by
  the number of such posts. Hashtags (and pairs) used by fewer than ``min_authors`` distinct authors are
  left out: a rare tag can be a name.
* **Interaction graph**: a node per *pseudonymous* author id (never a handle), a directed edge per
  (author, other author, type) with ``type`` one of reply, quote, repost, mention and ``weight`` the number
  of posts. Parallel edges of different types are kept (a ``MultiDiGraph`` keyed by type).

Both come out of SQL already aggregated, so the Python graph has one edge per pair, not per post.
Communities are found with the Leiden algorithm (``leidenalg`` on ``python-igraph``; modularity, fixed seed)
on the undirected, type-summed weights.

Export (:func:`write_graph`): GraphML as is; GEXF needs one change, because GEXF reserves the edge attribute
``type`` for directed / undirected / mutual. The interaction type is written as the edge ``label`` and as an
``interaction`` attribute, so the file is valid GEXF 1.2 and parallel edges stay distinguishable by label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyarrow as pa

from groundswell.analytics.engine import Engine, where

INTERACTIONS = ("reply", "quote", "repost", "mention")


def cohashtag_graph(engine: Engine, filters: dict[str, Any] | None = None, *, min_authors: int = 10) -> nx.Graph:
    """Undirected graph of hashtags; node attributes ``posts``, ``authors``; edge ``weight`` (posts), ``authors``."""
    w, p = where(filters)
    tags = f"""SELECT platform, post_id, author_key, unnest(list_distinct(hashtags_norm)) AS tag
               FROM posts WHERE {w}"""
    nodes = engine.sql(
        f"""SELECT tag, count(*) AS posts, count(DISTINCT author_key) AS authors FROM ({tags}) AS t
            GROUP BY 1 HAVING count(DISTINCT author_key) >= ? ORDER BY 1""",
        [*p, min_authors],
    )
    edges = engine.sql(
        f"""WITH t AS ({tags})
            SELECT a.tag AS source, b.tag AS target, count(*) AS posts, count(DISTINCT a.author_key) AS authors
            FROM t AS a JOIN t AS b ON a.platform = b.platform AND a.post_id = b.post_id AND a.tag < b.tag
            GROUP BY 1, 2 HAVING count(DISTINCT a.author_key) >= ? ORDER BY 1, 2""",
        [*p, min_authors],
    )
    g = nx.Graph(kind="cohashtag")
    for r in nodes.to_pylist():
        g.add_node(r["tag"], label=r["tag"], posts=r["posts"], authors=r["authors"])
    for r in edges.to_pylist():
        if r["source"] in g and r["target"] in g:
            g.add_edge(r["source"], r["target"], weight=r["posts"], authors=r["authors"])
    return g


def interaction_edges(engine: Engine, filters: dict[str, Any] | None = None) -> pa.Table:
    """``source``, ``target`` (pseudonymous author ids), ``type``, ``weight`` (posts); self-loops left out."""
    w, p = where(filters)
    ref = """SELECT m.author_id AS source, {target} AS target, '{type}' AS type
             FROM m LEFT JOIN posts AS q ON q.platform = m.platform AND q.post_id = m.{col}
             WHERE {cond}"""
    parts = [
        ref.format(
            target="coalesce(q.author_id, m.parent_author_id)",
            type="reply",
            col="parent_id",
            cond="m.parent_id IS NOT NULL OR m.parent_author_id IS NOT NULL",
        ),
        ref.format(target="q.author_id", type="quote", col="quote_of", cond="m.quote_of IS NOT NULL"),
        ref.format(target="q.author_id", type="repost", col="repost_of", cond="m.repost_of IS NOT NULL"),
        "SELECT author_id AS source, unnest(mentions) AS target, 'mention' AS type FROM m",
    ]
    return engine.sql(
        f"""WITH m AS (SELECT platform, post_id, author_id, parent_id, parent_author_id, quote_of, repost_of,
                              mentions FROM posts WHERE {w}),
                 e AS ({" UNION ALL ".join(parts)})
            SELECT source, target, type, count(*) AS weight FROM e
            WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""",
        p,
    )


def interaction_graph(engine: Engine, filters: dict[str, Any] | None = None) -> nx.MultiDiGraph:
    """Directed multigraph of authors, one edge per (source, target, type) keyed by type."""
    g = nx.MultiDiGraph(kind="interaction")
    for r in interaction_edges(engine, filters).to_pylist():
        g.add_edge(r["source"], r["target"], key=r["type"], type=r["type"], weight=r["weight"])
    return g


def communities(g: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> dict[Any, int]:
    """Leiden communities (modularity) on undirected, type-summed weights: node → community (0 = largest)."""
    import igraph as ig
    import leidenalg

    if g.number_of_nodes() == 0:
        return {}
    simple: dict[tuple[Any, Any], float] = {}
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        key = (u, v) if str(u) <= str(v) else (v, u)
        simple[key] = simple.get(key, 0.0) + float(d.get("weight", 1.0))
    names = list(g.nodes)
    index = {n: i for i, n in enumerate(names)}
    ig_graph = ig.Graph(n=len(names), edges=[(index[u], index[v]) for u, v in simple], directed=False)
    part = leidenalg.find_partition(
        ig_graph,
        leidenalg.RBConfigurationVertexPartition,
        weights=list(simple.values()) or None,
        resolution_parameter=resolution,
        seed=seed,
    )
    member = part.membership
    sizes: dict[int, int] = {}
    for c in member:
        sizes[c] = sizes.get(c, 0) + 1
    rank = {c: i for i, c in enumerate(sorted(sizes, key=lambda c: (-sizes[c], c)))}
    return {names[i]: rank[c] for i, c in enumerate(member)}


def top_communities(g: nx.Graph, membership: dict[Any, int], limit: int = 10, show: int = 5) -> pa.Table:
    """The largest communities: ``community``, ``members``, ``edges`` inside, ``weight`` inside, ``top`` members.

    ``authors``: for an interaction graph the members themselves; for a co-hashtag graph the largest
    hashtag's distinct authors (a lower bound on the community's, so suppression errs towards hiding).
    ``top`` lists hashtags by posts for a co-hashtag graph; an interaction graph's members are people, so
    none are listed.
    """
    people = g.graph.get("kind") == "interaction"
    groups: dict[int, list[Any]] = {}
    for n, c in membership.items():
        groups.setdefault(c, []).append(n)
    inside: dict[int, list[float]] = {}
    for u, v, d in g.edges(data=True):
        if membership.get(u) == membership.get(v):
            acc = inside.setdefault(membership[u], [0, 0.0])
            acc[0] += 1
            acc[1] += float(d.get("weight", 1.0))
    rows = []
    for c in sorted(groups)[:limit]:
        members = groups[c]
        if people:
            authors, top = len(members), ""
        else:
            by_posts = sorted(members, key=lambda n: (-g.nodes[n].get("posts", 0), str(n)))
            authors = max(int(g.nodes[n].get("authors", 0)) for n in members)
            top = ", ".join("#" + str(n) for n in by_posts[:show])
        e, wgt = inside.get(c, [0, 0.0])
        rows.append(
            {
                "community": c,
                "members": len(members),
                "edges": int(e),
                "weight": float(wgt),
                "top": top,
                "authors": authors,
            }
        )
    schema = pa.schema(
        [
            ("community", pa.string()),
            ("members", pa.int64()),
            ("edges", pa.int64()),
            ("weight", pa.float64()),
            ("top", pa.string()),
            ("authors", pa.int64()),
        ]
    )
    for r in rows:
        r["community"] = str(r["community"])  # a label, not a count: keeps it out of suppression's counts
    return pa.Table.from_pylist(rows, schema=schema)


def write_graph(g: nx.Graph, path: str | Path) -> Path:
    """Write ``.gexf`` or ``.graphml`` (chosen by suffix). See the module docstring for the GEXF edge type."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".graphml":
        nx.write_graphml(g, path)
    elif suffix == ".gexf":
        nx.write_gexf(_gexf_ready(g), path, version="1.2draft")
    else:
        raise ValueError(f"unknown graph format {path.suffix!r}: use .gexf or .graphml")
    return path


def _gexf_ready(g: nx.Graph) -> nx.Graph:
    """A copy whose edges carry the interaction type as ``label`` / ``interaction`` instead of ``type``."""
    h = g.copy()
    edges = h.edges(keys=True, data=True) if h.is_multigraph() else ((u, v, None, d) for u, v, d in h.edges(data=True))
    for u, v, k, d in edges:
        if "type" in d:
            d["interaction"] = d.pop("type")
            d["label"] = d["interaction"]
        if h.is_multigraph():
            d["id"] = f"{u}|{v}|{k}"
    for n, d in h.nodes(data=True):
        d.setdefault("label", str(n))
    return h
