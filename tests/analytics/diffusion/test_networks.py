"""Networks on real twarc2 pages: exported to GEXF / GraphML and parsed back with networkx."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest

from groundswell.analytics.networks import (
    cohashtag_graph,
    communities,
    interaction_graph,
    top_communities,
    write_graph,
)

from .data import TWARC2, TWARC2_FILES

GEXF_NS = "{http://www.gexf.net/1.2draft}"


@pytest.fixture(scope="module")
def interactions(twarc2_store):
    return interaction_graph(twarc2_store)


def test_gexf_round_trip_keeps_nodes_edges_and_types(interactions, tmp_path):
    path = write_graph(interactions, tmp_path / "interactions.gexf")
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == interactions.number_of_nodes() > 500
    assert back.number_of_edges() == interactions.number_of_edges()
    want = Counter(d["type"] for *_, d in interactions.edges(data=True))
    assert Counter(d["interaction"] for *_, d in back.edges(data=True)) == want
    assert Counter(d["label"] for *_, d in back.edges(data=True)) == want
    assert set(want) == {"reply", "quote", "repost", "mention"}
    weights = sorted(d["weight"] for *_, d in back.edges(data=True))
    assert weights == sorted(float(d["weight"]) for *_, d in interactions.edges(data=True))


def test_gexf_is_valid_where_gephi_is_strict(interactions, tmp_path):
    """GEXF reserves an edge's ``type`` for directedness; ids must be unique; every edge endpoint a node."""
    root = ET.parse(write_graph(interactions, tmp_path / "i.gexf")).getroot()
    graph = root.find(f"{GEXF_NS}graph")
    assert graph.get("defaultedgetype") == "directed"
    nodes = {n.get("id") for n in graph.iter(f"{GEXF_NS}node")}
    edges = list(graph.iter(f"{GEXF_NS}edge"))
    assert len({e.get("id") for e in edges}) == len(edges)
    for e in edges:
        assert e.get("type") in (None, "directed", "undirected", "mutual")
        assert e.get("source") in nodes and e.get("target") in nodes


def test_graphml_round_trip(interactions, tmp_path):
    back = nx.read_graphml(write_graph(interactions, tmp_path / "i.graphml"), force_multigraph=True)
    assert back.number_of_nodes() == interactions.number_of_nodes()
    assert Counter(d["type"] for *_, d in back.edges(data=True)) == Counter(
        d["type"] for *_, d in interactions.edges(data=True)
    )


def test_nodes_are_pseudonyms_never_handles(interactions, tmp_path):
    handles = set()
    for name in TWARC2_FILES:
        for line in (TWARC2 / name).read_text("utf-8").splitlines():
            if line.strip():
                for u in (json.loads(line).get("includes") or {}).get("users") or []:
                    handles.update({u["username"].lower(), u["id"]})
    assert len(handles) > 500
    text = write_graph(interactions, tmp_path / "i.gexf").read_text("utf-8").lower()
    assert all(n.startswith("u_") for n in interactions.nodes)
    assert not [h for h in handles if f'"{h}"' in text]


def test_reply_edges_match_the_pages(interactions, twarc2_store):
    """Each reply to a post whose author is known gives one reply edge per (author, replied-to author)."""
    pairs = (
        twarc2_store.sql(
            """SELECT count(*) AS n FROM (
             SELECT DISTINCT m.author_id, coalesce(q.author_id, m.parent_author_id) AS target
             FROM posts m LEFT JOIN posts q ON q.platform = m.platform AND q.post_id = m.parent_id
             WHERE NOT m.is_reference AND (m.parent_id IS NOT NULL OR m.parent_author_id IS NOT NULL)) AS x
           WHERE target IS NOT NULL AND target <> author_id"""
        )
        .column("n")[0]
        .as_py()
    )
    assert sum(1 for *_, t in interactions.edges(data="type") if t == "reply") == pairs


def test_cohashtag_graph_and_communities(twarc2_store, tmp_path):
    g = cohashtag_graph(twarc2_store, min_authors=2)
    assert g.number_of_nodes() > 20 and g.number_of_edges() > 20
    assert all(d["authors"] >= 2 for _, d in g.nodes(data=True))
    assert all(d["authors"] >= 2 for *_, d in g.edges(data=True))
    m = communities(g)
    assert set(m) == set(g.nodes)
    sizes = Counter(m.values())
    assert sizes[0] == max(sizes.values())
    top = top_communities(g, m, limit=3)
    assert top.column("members").to_pylist() == sorted(top.column("members").to_pylist(), reverse=True)
    assert top.column("top").to_pylist()[0].startswith("#")
    back = nx.read_gexf(write_graph(g, tmp_path / "tags.gexf"))
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    assert nx.is_isomorphic(back, g)


def test_unknown_format(interactions, tmp_path):
    with pytest.raises(ValueError):
        write_graph(interactions, tmp_path / "x.csv")
