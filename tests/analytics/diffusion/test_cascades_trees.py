"""Tree arithmetic against brute force: roots, depths, subtree sizes and structural virality on random forests,
and cascade parents on a simulated movement against the simulator's exact lineage."""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.analytics.cascades import (
    _chain,
    _find,
    build_cascades,
    size_distribution,
    structural_virality,
    tree_arrays,
)


@st.composite
def forests(draw, max_nodes: int = 40):
    """Random forests as parent arrays, nodes shuffled so parents need not come first."""
    n = draw(st.integers(1, max_nodes))
    parent = [-1]
    for i in range(1, n):
        parent.append(draw(st.integers(-1, i - 1)))
    perm = draw(st.permutations(range(n)))
    inv = {old: new for new, old in enumerate(perm)}
    out = [-1] * n
    for old, p in enumerate(parent):
        out[inv[old]] = -1 if p < 0 else inv[p]
    return np.array(out, dtype=np.int64)


def _brute(parent: np.ndarray):
    n = len(parent)
    root, depth = [], []
    for i in range(n):
        d, j = 0, i
        while parent[j] >= 0:
            j, d = parent[j], d + 1
        root.append(j)
        depth.append(d)
    size = [sum(1 for j in range(n) if _is_ancestor(parent, i, j)) for i in range(n)]
    return np.array(root), np.array(depth), np.array(size)


def _is_ancestor(parent, a, j):
    while j >= 0:
        if j == a:
            return True
        j = parent[j]
    return False


def _mean_distance(parent: np.ndarray) -> float:
    """All-pairs distances by Floyd–Warshall on the undirected tree."""
    n = len(parent)
    inf = 10**9
    d = np.full((n, n), inf)
    np.fill_diagonal(d, 0)
    for i, p in enumerate(parent):
        if p >= 0:
            d[i, p] = d[p, i] = 1
    for k in range(n):
        d = np.minimum(d, d[:, [k]] + d[[k], :])
    pairs = list(itertools.combinations(range(n), 2))
    return sum(d[i, j] for i, j in pairs) / len(pairs)


@settings(max_examples=150, deadline=None)
@given(forests())
def test_tree_arrays_match_brute_force(parent):
    root, depth, size = tree_arrays(parent)
    broot, bdepth, bsize = _brute(parent)
    assert root.tolist() == broot.tolist()
    assert depth.tolist() == bdepth.tolist()
    assert size.tolist() == bsize.tolist()


@settings(max_examples=150, deadline=None)
@given(forests())
def test_structural_virality_is_the_mean_pairwise_distance(parent):
    # make it one tree: hang every other root under the first
    roots = np.flatnonzero(parent < 0)
    tree = parent.copy()
    tree[roots[1:]] = roots[0]
    got = structural_virality(tree)
    if len(tree) < 2:
        assert np.isnan(got)
    else:
        assert got == pytest.approx(_mean_distance(tree), rel=1e-12)


def test_known_shapes():
    star = np.array([-1] + [0] * 9)  # one broadcast: mean distance 2 * (n - 1) / n
    assert structural_virality(star) == pytest.approx(2 * 9 / 10)
    chain = np.array([-1, 0, 1, 2, 3])  # a chain of n: (n + 1) / 3
    assert structural_virality(chain) == pytest.approx(6 / 3)
    with pytest.raises(ValueError):
        structural_virality(np.array([-1, -1]))


def test_loops_are_cut_not_followed_forever():
    parent = np.array([1, 0, 1, -1, 3])  # 0 <-> 1 loop with 2 hanging below; 3 <- 4 fine
    root, depth, _ = tree_arrays(parent)
    assert root[4] == 3 and depth[4] == 1
    assert root[2] in (0, 1) and root[0] == root[1] == root[2]


def test_simulated_cascade_parents_are_the_truth(sim_cascades):
    """Every post's parent in the rebuilt trees is the one the simulator wrote, and nothing is missing."""
    c = build_cascades(sim_cascades.store)
    nodes = c.nodes.to_pylist()
    by_id = {n["post_id"]: n for n in nodes}
    truth = sim_cascades.truth.parents
    assert len(truth) > 5_000
    for _, child, parent in truth:
        assert nodes[by_id[child]["parent"]]["post_id"] == parent
    assert sum(n["parent"] >= 0 for n in nodes) == len(truth)
    assert sum(c.cascades.column("placeholders").to_pylist()) == 0
    assert sum(c.cascades.column("posts").to_pylist()) == sim_cascades.truth.posts


def test_parents_are_the_truth_on_two_platforms(sim_two_platforms):
    """Parents are matched one platform at a time: with a second platform in the store (Facebook, whose
    CrowdTangle export carries no references) every Twitter post still finds its own parent."""
    c = build_cascades(sim_two_platforms.store)
    nodes = c.nodes.to_pylist()
    by_id = {(n["platform"], n["post_id"]): n for n in nodes}
    truth = [t for t in sim_two_platforms.truth.parents if t[0] == "twitter"]
    assert {n["platform"] for n in nodes} == {"twitter", "facebook"}
    assert len(truth) > 500
    for platform, child, parent in truth:
        got = nodes[by_id[(platform, child)]["parent"]]
        assert (got["platform"], got["post_id"]) == (platform, parent)
    assert sum(n["parent"] >= 0 for n in nodes) == len(truth)
    # distinct authors per size bucket (integer keys) against the author ids themselves
    authors = size_distribution(c).column("authors").to_pylist()
    posts = [n for n in nodes if n["status"] == "post"]
    size = {r["cascade"]: r["posts"] for r in c.cascades.to_pylist()}
    expected = []
    for lo, hi in ((1, 1), (2, 2), (3, 9), (10, 99), (100, 999), (1000, None)):
        inside = [n for n in posts if lo <= size[n["cascade"]] <= (hi or 10**9)]
        expected.append(len({n["author_id"] for n in inside}))
    assert authors == expected and sum(expected) > 0


def test_find_keeps_an_id_on_its_own_platform():
    """The same id on two platforms is two posts: a reference finds the one on its own platform."""
    platform = pa.chunked_array([["a", "b", "a", "b"], ["c"]])
    ids = pa.chunked_array([["1", "1", "2", "3"], ["1"]])
    want_platform = pa.chunked_array([["b", "a", "c", "a", None], ["b"]])
    want = pa.chunked_array([["1", "1", "1", "3", "1"], [None]])
    assert _find(platform, ids, want_platform, want).tolist() == [1, 0, 4, -1, -1, -1]
    one = pa.chunked_array([["a", "a"]])
    assert _find(one, pa.chunked_array([["x", "y"]]), one, pa.chunked_array([["y", "z"]])).tolist() == [1, -1]


def test_chain_takes_the_query_columns_type_and_copies_nothing():
    """An engine that answers large_string keeps it; the tails (placeholders) are cast to it, the head is reused."""
    head = pa.chunked_array([pa.array(["a", "b"], pa.large_string()), pa.array(["c"], pa.large_string())])
    out = _chain(head, pa.array(["p"]), pa.nulls(2, pa.string()))
    assert out.type == pa.large_string() and out.to_pylist() == ["a", "b", "c", "p", None, None]
    assert out.chunk(0).buffers()[2].address == head.chunk(0).buffers()[2].address
