"""Cascades: the trees of replies, quotes and reposts that grow around seed posts.

"Write 'me too' as a reply to this tweet": the movement spread as replies, quotes and reposts of a few seed
posts. Every reader already keeps the references (``repost_of``, ``parent_id``, ``quote_of``, ``root_id``), so a
cascade is rebuilt by following each post to the post it points at:

* the **parent** of a post is what it reposts, else what it replies to, else what it quotes (a reply that
  also quotes stays in its conversation; the quote still shows in the interaction network);
* a parent that is not in the data (deleted, protected, outside the collection) becomes a **placeholder**
  node, never a dropped edge: the children stay together and the depth below it stays right. A reply whose
  parent id is unknown (the platform only said "in reply to someone") hangs under an anonymous placeholder;
* with ``conversations=True`` a placeholder whose children name a conversation root (Twitter
  ``conversation_id``, Reddit ``link_id``, Bluesky reply root) is attached to that root, so fragments of one
  thread are one cascade. Depth below such a link is a lower bound (the edge type is ``conversation``);
* posts that are in the store only as context (twarc2 ``includes``, ``is_reference``) are nodes with their
  real time and author but are not counted as posts of the movement.

Per cascade: nodes, posts, authors, depth, maximum breadth (most nodes at one depth), structural virality
(mean shortest-path distance between all pairs of nodes, Goel, Anderson, Hofman & Watts 2016, "The
structural virality of online diffusion"), lifetime and time to half size.

**How it scales.** The references come out of SQL as Arrow columns, parents are matched with one hash
lookup (``pyarrow.compute.index_in``), and the tree is walked with numpy: roots and depths by pointer
jumping (``log2(depth)`` passes), subtree sizes one depth level at a time, and structural virality from
the Wiener index ``W = sum over edges of s * (n - s)`` (``s`` the size of the subtree below the edge), so
no Python loop runs per post. ``bench/cascades.py`` measures it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics.engine import Engine, where

#: node status: a post of the collection, a post present only as context, a parent missing from the data
POST, CONTEXT, PLACEHOLDER = "post", "context", "placeholder"
#: edge types, from the reference that made them
EDGE_TYPES = ("repost", "reply", "quote", "conversation")
_SEP = "\x1f"
_HOUR_US = 3_600_000_000


@dataclass(frozen=True)
class Cascades:
    """Every cascade of a selection: ``nodes`` (one row per node) and ``cascades`` (one row per tree).

    ``nodes`` columns: ``node`` (row number), ``platform``, ``post_id`` (null for an anonymous placeholder),
    ``status`` (post / context / placeholder), ``created_at``, ``author_id``, ``author_key`` (the integer
    key that counts distinct authors, ``privacy.author_key``), ``kind``, ``parent`` (node of
    the parent, -1 for a root), ``edge`` (type of the link to the parent), ``cascade`` (node of the root),
    ``depth``. ``cascades`` columns are described in :func:`build_cascades`.
    """

    nodes: pa.Table
    cascades: pa.Table


def _query(engine: Engine, filters: dict[str, Any] | None) -> pa.Table:
    """Posts of the selection plus the context posts they (or their conversations) point at.

    Context posts are found by joining the posts *outside* the selection (usually the few stored only as
    references) to the references of the posts inside it, then deduplicating the matches. On 10M posts the
    former form (distinct references of a materialized selection, joined to every post, minus the selection)
    held the whole selection twice in DuckDB: 17 s and 5.4 GB against 4 s and 1.9 GB, the cost of reading
    the columns alone.
    """
    w, p = where(filters)
    cols = (
        "platform, post_id, created_at, author_id, author_key, kind, parent_id, root_id, repost_of, quote_of, "
        "parent_author_id"
    )
    ccols = ", ".join("c." + c.strip() for c in cols.split(","))
    refs = f"""SELECT platform, coalesce(repost_of, parent_id, quote_of) AS ref FROM posts WHERE {w}
               UNION ALL SELECT platform, root_id AS ref FROM posts WHERE {w}"""
    return engine.sql(
        f"""SELECT {cols}, TRUE AS matched FROM posts WHERE {w}
            UNION ALL
            SELECT DISTINCT {ccols}, FALSE AS matched
            FROM (SELECT {cols} FROM posts WHERE NOT coalesce(({w}), FALSE)) c
            JOIN ({refs}) r ON r.platform = c.platform AND r.ref = c.post_id""",
        p * 4,
    )


def _keys(platform: pa.Array | pa.ChunkedArray, ident: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    return pc.binary_join_element_wise(platform, ident, _SEP)


def _chain(*parts: pa.Array | pa.ChunkedArray) -> pa.ChunkedArray:
    """The parts one after another, without copying them (a node column is the query's column plus a tail).

    The first part, the query's own column, sets the type (an engine may answer ``large_string``, say); the
    tails are cast to it."""
    typ = parts[0].type
    chunks = [c for part in parts for c in (part.chunks if isinstance(part, pa.ChunkedArray) else [part])]
    return pa.chunked_array([c if c.type == typ else c.cast(typ) for c in chunks if len(c)] or [], typ)


def tree_arrays(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(root, depth, subtree size) of every node of a forest given as parent indices (-1 for a root).

    Pointer jumping: each pass replaces a node's known ancestor by that ancestor's known ancestor and adds
    up the distances, so ``log2(max depth)`` vectorized passes find every root and depth. Subtree sizes
    are pushed up one depth level at a time (a ``bincount`` per level). A parent chain that loops (bad
    data: two posts each claiming the other as parent) is cut once, at its smallest node (which becomes a root),
    so every node ends in exactly one tree.
    """
    parent = np.asarray(parent, dtype=np.int64).copy()
    n = parent.size
    idx = np.arange(n, dtype=np.int64)
    parent[parent == idx] = -1
    while True:
        anc = np.where(parent >= 0, parent, idx)
        dist = (parent >= 0).astype(np.int64)
        for _ in range(max(1, int(np.ceil(np.log2(n + 1))) + 2)):
            nxt = anc[anc]
            if np.array_equal(nxt, anc):
                break
            dist = dist + dist[anc]
            anc = nxt
        loose = parent[anc] >= 0  # the far ancestor is not a root: a loop (an even one looks converged)
        if not loose.any():
            break
        # nodes on a loop or hanging below one: their far ancestors lie on a loop. Cut each loop once, at
        # its smallest node (the minimum along 2^k steps of the loop covers the whole loop)
        on_loop = np.unique(anc[loose])
        low, up = idx.copy(), np.where(parent >= 0, parent, idx)
        for _ in range(max(1, int(np.ceil(np.log2(n + 1))) + 1)):
            low = np.minimum(low, low[up])
            up = up[up]
        parent[np.unique(low[on_loop])] = -1
    depth = dist
    size = np.ones(n, dtype=np.int64)
    if n and depth.max() > 0:
        order = np.argsort(depth, kind="stable")
        bounds = np.searchsorted(depth[order], np.arange(depth.max() + 2))
        for d in range(int(depth.max()), 0, -1):
            level = order[bounds[d] : bounds[d + 1]]
            size += np.bincount(parent[level], weights=size[level], minlength=n).astype(np.int64)
    return anc, depth, size


def structural_virality(parent: np.ndarray) -> float:
    """Mean distance between all pairs of nodes of one tree (NaN for a single node).

    Equals ``W / C(n, 2)`` with the Wiener index ``W = sum over edges of s * (n - s)``: every edge lies on
    the path of exactly the pairs it separates.
    """
    parent = np.asarray(parent, dtype=np.int64)
    n = parent.size
    if n < 2:
        return float("nan")
    root, _, size = tree_arrays(parent)
    if np.unique(root).size != 1:
        raise ValueError("structural_virality needs one tree; got a forest")
    s = size[parent >= 0].astype(np.float64)
    return float((s * (n - s)).sum() / (n * (n - 1) / 2))


def _link(keys: pa.Array, wanted: pa.Array) -> np.ndarray:
    """Index of each wanted key in ``keys`` (-1 where absent or null)."""
    return pc.fill_null(pc.index_in(wanted, value_set=keys), -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _find(
    platform: pa.ChunkedArray, ids: pa.ChunkedArray, want_platform: pa.ChunkedArray, want: pa.ChunkedArray
) -> np.ndarray:
    """Row of each (want_platform, want) pair among the rows' (platform, ids); -1 where absent or null.

    Matched one platform at a time (there are a handful), so no "platform + id" string is built per post: at
    10M posts those keys and their copies were gigabytes of the cascades' peak memory.
    """
    out = np.full(len(want), -1, dtype=np.int64)
    names = pc.unique(platform).to_pylist()
    for name in names:
        rows = None if len(names) == 1 else np.flatnonzero(pc.equal(platform, name).to_numpy(zero_copy_only=False))
        wanted = pc.fill_null(pc.equal(want_platform, name), False).to_numpy(zero_copy_only=False)
        w = None if wanted.all() else np.flatnonzero(wanted)
        hit = _link(ids if rows is None else pc.take(ids, rows), want if w is None else pc.take(want, w))
        if rows is not None:
            hit = np.where(hit >= 0, rows[hit], -1)
        if w is None:
            out = hit
        else:
            out[w] = hit
    return out


def build_cascades(engine: Engine, filters: dict[str, Any] | None = None, *, conversations: bool = True) -> Cascades:
    """Rebuild every cascade touching the selected posts.

    ``cascades`` has one row per tree that holds at least one selected post: ``cascade`` (node id of the
    root), ``platform``, ``root_id`` (post id of the root, null for an anonymous placeholder),
    ``root_status``, ``started`` (earliest known time), ``nodes``, ``posts`` (selected posts), ``context``,
    ``placeholders``, ``authors`` (distinct authors of its posts), ``depth``, ``max_breadth``,
    ``virality`` (null for a single node), ``lifetime_hours`` (first to last known time) and ``half_hours``
    (first known time to the time the cascade had half of its timed nodes). Sorted by posts, largest first
    (ties: more nodes, earlier start, then platform and root id).
    """
    t = _query(engine, filters)
    n0 = t.num_rows
    col = t.column  # chunked columns, never combined: the node table below reuses their buffers
    platform, post_id, kind, root_id = col("platform"), col("post_id"), col("kind"), col("root_id")
    repost, reply, quote = col("repost_of"), col("parent_id"), col("quote_of")
    ref = pc.coalesce(repost, reply, quote)
    edge = pc.if_else(
        pc.is_valid(repost),
        "repost",
        pc.if_else(pc.is_valid(reply), "reply", pc.if_else(pc.is_valid(quote), "quote", pa.scalar(None, pa.string()))),
    )
    # "in reply to someone" without the post id: an anonymous placeholder parent, one per such reply
    anonymous = pc.fill_null(pc.and_(pc.is_null(ref), pc.is_in(kind, pa.array(["reply", "comment"]))), False)
    edge = pc.if_else(anonymous, "reply", edge)
    parent = _find(platform, post_id, platform, ref)
    has_ref = pc.is_valid(ref).to_numpy(zero_copy_only=False) | anonymous.to_numpy(zero_copy_only=False)
    missing = np.flatnonzero((parent < 0) & has_ref)

    # placeholders: one per distinct missing parent key, in order of first reference. Keys are built for
    # the posts with a missing parent only (an anonymous parent's key names its child, so it is unique)
    miss = pa.array(missing, pa.int64())
    m_platform, m_post = pc.take(platform, miss), pc.take(post_id, miss)
    miss_keys = pc.if_else(
        pc.take(anonymous, miss),
        pc.binary_join_element_wise(m_platform, pa.scalar("?"), m_post, _SEP),
        _keys(m_platform, pc.take(ref, miss)),
    )
    uniq = pc.unique(miss_keys)
    first_child = missing[_link(miss_keys, uniq)]
    parent[missing] = n0 + _link(uniq, miss_keys)
    ph_platform = pc.take(platform, pa.array(first_child, pa.int64()))
    ph_post = pc.if_else(
        pc.take(anonymous, pa.array(first_child, pa.int64())), pa.scalar(None, pa.string()), pc.take(ref, first_child)
    )
    ph_author = pc.take(col("parent_author_id"), first_child)
    ph_parent = np.full(len(uniq), -1, dtype=np.int64)
    ph_edge = pa.nulls(len(uniq), pa.string())
    extra_platform: list[str] = []
    extra_post: list[str] = []
    if conversations and len(uniq):
        # a missing parent of a *reply* sits somewhere in the reply's conversation: hang it under that root
        # (not for reposts and quotes, whose conversation is their own)
        # any reply child will do (they share the conversation); prefer one that names a usable root
        m_root = _keys(m_platform, pc.take(root_id, miss))
        cand = pc.and_(
            pc.and_(pc.equal(pc.take(edge, miss), "reply"), pc.is_valid(m_root)),
            pc.and_(pc.not_equal(m_root, miss_keys), pc.not_equal(m_root, _keys(m_platform, m_post))),
        )
        cand = pc.fill_null(cand, False).to_numpy(zero_copy_only=False)
        pref = np.argsort(~cand, kind="stable")  # usable children first, otherwise in order
        chosen = pref[_link(pc.take(miss_keys, pa.array(pref)), uniq)]
        to_root = cand[chosen]
        ph_root = pc.take(m_root, pa.array(chosen))
        ph_root_id = pc.take(root_id, pa.array(missing[chosen]))
        root_idx = _find(platform, post_id, pc.take(m_platform, pa.array(chosen)), ph_root_id)
        in_uniq = _link(uniq, ph_root)
        root_idx = np.where(root_idx >= 0, root_idx, np.where(in_uniq >= 0, n0 + in_uniq, -1))
        absent = np.flatnonzero(to_root & (root_idx < 0))
        if absent.size:
            rk = pc.take(ph_root, pa.array(absent))
            ruq = pc.unique(rk)
            root_idx[absent] = n0 + len(uniq) + _link(ruq, rk)
            first = absent[_link(rk, ruq)]
            extra_platform = pc.take(ph_platform, pa.array(first)).to_pylist()
            extra_post = pc.take(ph_root_id, pa.array(first)).to_pylist()
        ph_parent = np.where(to_root, root_idx, -1)
        ph_edge = pc.if_else(pa.array(to_root), "conversation", pa.scalar(None, pa.string()))

    n_ph, n_x = len(uniq), len(extra_post)
    n = n0 + n_ph + n_x
    parent_all = np.concatenate([parent, ph_parent, np.full(n_x, -1, dtype=np.int64)])
    root, depth, size = tree_arrays(parent_all)
    matched = col("matched").to_numpy(zero_copy_only=False)
    status = pa.DictionaryArray.from_arrays(
        pa.array(np.concatenate([np.where(matched, 0, 1), np.full(n_ph + n_x, 2)]).astype(np.int8)),
        pa.array([POST, CONTEXT, PLACEHOLDER]),
    ).cast(pa.string())
    nulls = pa.nulls(n_ph + n_x, pa.string())
    nodes = pa.table(
        {
            "node": np.arange(n, dtype=np.int64),
            "platform": _chain(platform, ph_platform, pa.array(extra_platform, pa.string())),
            "post_id": _chain(post_id, ph_post, pa.array(extra_post, pa.string())),
            "status": status,
            "created_at": _chain(col("created_at"), pa.nulls(n_ph + n_x, t.schema.field("created_at").type)),
            "author_id": _chain(col("author_id"), ph_author, pa.nulls(n_x, pa.string())),
            "author_key": _chain(col("author_key"), pa.nulls(n_ph + n_x, pa.int64())),
            "kind": _chain(kind, nulls),
            "parent": parent_all,
            "edge": _chain(
                pc.if_else(pa.array(parent >= 0), edge, pa.scalar(None, pa.string())),
                ph_edge,
                pa.nulls(n_x, pa.string()),
            ),
            "cascade": root,
            "depth": depth,
        }
    )
    return _summarize(nodes, size)


def _summarize(nodes: pa.Table, size: np.ndarray) -> Cascades:
    """Per-cascade figures from the node table, all by ``bincount`` over the root index.

    Each figure is computed in a helper of its own, so its node-length temporaries (80 MB each at 10M nodes)
    are freed before the next one starts instead of all living until the end.
    """
    n = nodes.num_rows
    root = nodes.column("cascade").to_numpy()
    status = nodes.column("status")
    is_post = pc.equal(status, POST).to_numpy(zero_copy_only=False)
    nn = np.bincount(root, minlength=n)
    posts = np.bincount(root, weights=is_post, minlength=n).astype(np.int64)
    keep = np.flatnonzero(posts > 0)  # trees of context and placeholders only are not part of the selection
    ctx = np.bincount(root, weights=pc.equal(status, CONTEXT).to_numpy(zero_copy_only=False), minlength=n)
    max_depth, breadth = _depth_breadth(root, nodes.column("depth").to_numpy(), keep)
    virality = _virality(root, nodes.column("parent").to_numpy(), size, nn, keep)
    # distinct authors of posts per cascade: unique (root, author) pairs, counted per root
    authors = np.bincount(_distinct_pairs(root, nodes.column("author_key"), is_post), minlength=n)[keep]
    del is_post
    started, lifetime, half_h = _times(root, nodes.column("created_at"), keep)

    def pick(a: Any) -> Any:
        return pc.take(a, pa.array(keep)) if isinstance(a, pa.Array | pa.ChunkedArray) else a[keep]

    tbl = pa.table(
        {
            "cascade": keep.astype(np.int64),
            "platform": pick(nodes.column("platform")),
            "root_id": pick(nodes.column("post_id")),
            "root_status": pick(status),
            "started": started,
            "nodes": nn[keep].astype(np.int64),
            "posts": posts[keep],
            "context": ctx[keep].astype(np.int64),
            "placeholders": (nn[keep] - posts[keep] - ctx[keep]).astype(np.int64),
            "authors": authors.astype(np.int64),
            "depth": max_depth,
            "max_breadth": breadth,
            "virality": pa.array(virality, pa.float64(), from_pandas=True),
            "lifetime_hours": pa.array(lifetime, pa.float64(), from_pandas=True),
            "half_hours": pa.array(half_h, pa.float64(), from_pandas=True),
        }
    )
    # ties broken by what the cascade is, not by its node number (which follows the engine's row order)
    order = [("posts", "descending"), ("nodes", "descending"), ("started", "ascending"), ("platform", "ascending")]
    tbl = tbl.sort_by([*order, ("root_id", "ascending"), ("cascade", "ascending")])
    return Cascades(nodes, tbl)


def _depth_breadth(root: np.ndarray, depth: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Deepest level and most nodes at one level, per kept root: counts of (root, depth) pairs."""
    n = len(root)
    span = int(depth.max(initial=0)) + 1
    u, c = np.unique(root * span + depth, return_counts=True)
    ur = u // span
    max_depth = np.zeros(n, dtype=np.int64)
    breadth = np.zeros(n, dtype=np.int64)
    max_depth[ur] = u % span  # pairs are sorted, so the last write per root is its deepest level
    order = np.lexsort((c, ur))
    breadth[ur[order]] = c[order]  # sorted by count within root: the last write is the largest
    return max_depth[keep], breadth[keep]


def _virality(root: np.ndarray, parent: np.ndarray, size: np.ndarray, nn: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Structural virality per kept root from the Wiener index: every edge separates s nodes below from n - s."""
    child = parent >= 0
    s = size[child].astype(np.float64)
    wiener = np.bincount(root[child], weights=s * (nn[root[child]] - s), minlength=len(root))[keep]
    m = nn[keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        virality = wiener / (m * (m - 1) / 2.0)
    virality[m < 2] = np.nan
    return virality


def _times(root: np.ndarray, ts: pa.ChunkedArray, keep: np.ndarray) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Per kept root: first known time, hours from first to last, and to the time of half the timed nodes."""
    n = len(root)
    timed = np.flatnonzero(pc.is_valid(ts).to_numpy(zero_copy_only=False))
    us = pc.cast(pc.take(ts, pa.array(timed)), pa.int64()).to_numpy(zero_copy_only=False)
    r = root[timed]
    del timed
    order = np.lexsort((us, r))
    r, us = r[order], us[order]
    del order
    ntimed = np.bincount(r, minlength=n)[keep]
    start = np.searchsorted(r, keep)
    has = ntimed > 0
    first = np.zeros(len(keep), dtype=np.int64)
    last = np.zeros(len(keep), dtype=np.int64)
    half = np.zeros(len(keep), dtype=np.int64)
    first[has] = us[start[has]]
    last[has] = us[start[has] + ntimed[has] - 1]
    half[has] = us[start[has] + (ntimed[has] + 1) // 2 - 1]
    lifetime = np.where(has, (last - first) / _HOUR_US, np.nan)
    half_h = np.where(has, (half - first) / _HOUR_US, np.nan)
    started = pa.array(np.where(has, first, 0), pa.int64()).cast(pa.timestamp("us", tz="UTC"))
    return pc.if_else(pa.array(has), started, pa.scalar(None, started.type)), lifetime, half_h


def _distinct_pairs(group: np.ndarray, key: pa.ChunkedArray, rows: np.ndarray) -> np.ndarray:
    """The group of each distinct (group, key) pair among ``rows`` with a key.

    Integers and sorts only: hashing 10M author strings held a table of gigabytes. The keys are numbered
    through one argsort (a binary search of 10M unsorted keys took 15 s; ``np.unique`` on NumPy 2.4 took 26 s
    for the 10M pairs, where sorting them takes under a second).
    """
    ok = rows & pc.is_valid(key).to_numpy(zero_copy_only=False)
    keys = pc.fill_null(key, 0).to_numpy(zero_copy_only=False)[ok]  # no nulls left: stays int64, exact
    if not keys.size:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    code = np.empty(len(keys), dtype=np.int64)
    code[order] = np.cumsum(np.concatenate(([True], ordered[1:] != ordered[:-1]))) - 1
    span = int(code[order[-1]]) + 1
    pairs = np.sort(group[ok] * span + code)
    return pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] // span


SIZE_BUCKETS = ((1, 1), (2, 2), (3, 9), (10, 99), (100, 999), (1000, None))


def size_distribution(c: Cascades) -> pa.Table:
    """Cascades, posts and distinct authors per size bucket (size in posts of the selection).

    Authors are counted across the whole bucket, so a bucket of many one-post cascades is not suppressed
    merely because each cascade has one author.
    """
    posts = c.cascades.column("posts").to_numpy()
    root = c.nodes.column("cascade").to_numpy()
    size_of = np.zeros(c.nodes.num_rows, dtype=np.int64)
    size_of[c.cascades.column("cascade").to_numpy()] = posts
    node_size = size_of[root]
    is_post = pc.equal(c.nodes.column("status"), POST).to_numpy(zero_copy_only=False)
    bucket = np.full(len(node_size), -1, dtype=np.int64)
    for i, (lo, hi) in enumerate(SIZE_BUCKETS):
        bucket[(node_size >= lo) & (node_size <= (hi if hi is not None else np.inf))] = i
    pairs = _distinct_pairs(bucket, c.nodes.column("author_key"), is_post & (bucket >= 0))
    authors = np.bincount(pairs, minlength=len(SIZE_BUCKETS))
    rows = []
    for i, (lo, hi) in enumerate(SIZE_BUCKETS):
        sel = (posts >= lo) & (posts <= (hi if hi is not None else np.inf))
        label = f"{lo}" if lo == hi else f"{lo}+" if hi is None else f"{lo}–{hi}"
        rows.append(
            {"size": label, "cascades": int(sel.sum()), "posts": int(posts[sel].sum()), "authors": int(authors[i])}
        )
    return pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("size", pa.string()), ("cascades", pa.int64()), ("posts", pa.int64()), ("authors", pa.int64())]
        ),
    )


def top_cascades(c: Cascades, limit: int = 20) -> pa.Table:
    """The largest cascades with their shape figures (call ``privacy.suppress`` on it before showing it)."""
    cols = [
        "platform",
        "root_id",
        "root_status",
        "started",
        "posts",
        "authors",
        "placeholders",
        "depth",
        "max_breadth",
        "virality",
        "lifetime_hours",
        "half_hours",
    ]
    return c.cascades.select(cols).slice(0, limit)


def hide_suppressed_ids(tbl: pa.Table, column: str = "root_id") -> pa.Table:
    """Blank ``column`` on rows ``privacy.suppress`` flagged: it blanks counts, not labels, and the id of a post
    answered by fewer than k people can point at one of them."""
    if "suppressed" not in tbl.column_names or column not in tbl.column_names:
        return tbl
    i = tbl.column_names.index(column)
    blanked = pc.if_else(tbl.column("suppressed"), pa.scalar(None, tbl.schema.field(column).type), tbl.column(column))
    return tbl.set_column(i, column, blanked)
