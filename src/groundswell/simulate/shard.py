"""Dress the events of some platforms as posts and write their files: the work one process does.

The process (``process.py``) decides *when* posts happen and *who answers whom*. This module decides the
rest, in time order, post by post: the author (heavy-tailed activity), the participation class and
language (drawn from the configured shares; a repost repeats its original's, a reply often keeps its
parent's language), the text (from the phrase banks), the platform id (computed from time and
ordinal), and hands the post to its platform's writer. It tallies what was written.

A cascade never leaves its platform, so the platforms can be written by separate processes: each one
replays the same process and draws the same random numbers for *every* post of a chunk (the draws are
vectorized and cheap), then dresses and writes only the posts of its own platforms. The run-wide
ordinal of a post is its position in the chunk plus the posts of earlier chunks, whoever writes it, so
a post's id and bytes do not depend on how the platforms were grouped.

Posts that will be pointed at later (parents of replies, reposts, quotes, comments) are kept in memory
exactly until their last child is written — the process says how many children each post has before
the post is written — so memory stays bounded by the posts "in flight", not by the run's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.simulate.authors import author, draw_ranks
from groundswell.simulate.config import KINDS, SimConfig
from groundswell.simulate.ids import base36, mastodon_id, snowflake, tid
from groundswell.simulate.process import COMMENT, MS_PER_HOUR, QUOTE, REPLY, REPOST, Plan, Process, _rng, split
from groundswell.simulate.record import Post, Thread
from groundswell.simulate.texts import compose
from groundswell.simulate.truth import Tally
from groundswell.simulate.writers import WRITERS

_FACEBOOK_BASE = 10_155_000_000_000_000
_REDDIT_SUBMISSION_BASE = int("76a000", 36)
_REDDIT_COMMENT_BASE = int("doa0000", 36)
#: columns of a shard's parents file: the chunk and run-wide ordinal let shards be merged in run order
PARTS_SCHEMA = pa.schema(
    [
        ("chunk", pa.int32()),
        ("ordinal", pa.int64()),
        ("platform", pa.string()),
        ("post_id", pa.string()),
        ("parent_id", pa.string()),
    ]
)


@dataclass
class Shard:
    """What one process wrote: its platforms' tallies and files, and where each child's parent is."""

    platforms: tuple[str, ...]
    tally: Tally
    files: dict[str, list[str]]
    #: (ordinal, [platform, post_id, parent_id]) for inline runs; None when written to ``parents_path``
    parents: list[tuple[int, list[str]]] | None
    parents_path: Path | None


def post_id(platform: str, unix_ms: int, ordinal: int, kind: str) -> tuple[str, str]:
    """(post id, extra key) in the platform's own scheme: unique, time-ordered, reproducible."""
    if platform == "twitter":
        return snowflake(unix_ms, ordinal), ""
    if platform == "mastodon":
        return mastodon_id(unix_ms, ordinal), ""
    if platform == "bluesky":
        return "", tid(unix_ms * 1000 + ordinal % 1000, ordinal % 1024)
    if platform == "facebook":
        return str(_FACEBOOK_BASE + ordinal), ""
    base = _REDDIT_SUBMISSION_BASE if kind == "original" else _REDDIT_COMMENT_BASE
    return base36(base + ordinal), ""


def pools(cfg: SimConfig) -> dict[str, int]:
    """Size of each platform's author pool (how many accounts could post there)."""
    expected = split(cfg.posts, cfg.platform_probs())
    return {p: max(20, round(n * cfg.authors_per_post)) for p, n in zip(cfg.platforms, expected, strict=True)}


def write_shard(cfg: SimConfig, out: Path, the_plan: Plan, platforms: tuple[str, ...], parents_path: Path) -> Shard:
    """Write the files of ``platforms`` (a subset of ``cfg.platforms``) under ``out``.

    Children's parents are returned inline for small runs, or written to ``parents_path`` (one row group
    per chunk, with the chunk and ordinal so shards can be merged back into run order) for large ones.
    """
    out = Path(out)
    start_ms = round(cfg.start.timestamp() * 1000)
    n_bins = math.ceil(cfg.hours)
    pool = pools(cfg)
    tally = Tally(cfg.platforms, n_bins, {p: pool[p] if p in platforms else 0 for p in cfg.platforms})
    writers = {p: WRITERS[p](out, cfg) for p in platforms}
    mine = np.array([p in platforms for p in cfg.platforms], dtype=bool)
    inline = cfg.posts <= cfg.inline_parents_max
    parents: list[tuple[int, list[str]]] = []
    parents_writer = None if inline else pq.ParquetWriter(parents_path, PARTS_SCHEMA, compression="zstd")

    rng = _rng(cfg, 3)
    class_keys, class_p = cfg.class_probs()
    lang_keys, lang_p = cfg.language_probs()
    store: dict[int, Post] = {}
    refs: dict[int, int] = {}
    base = 0
    for k, (ev, born) in enumerate(Process(cfg, the_plan.immigrants).chunks()):
        ev = ev.take(np.flatnonzero(~the_plan.dropped[ev.root]))
        born = born.take(np.flatnonzero(~the_plan.dropped[born.root] & mine[born.platform]))
        for u, c in zip(*np.unique(born.parent, return_counts=True), strict=True):
            refs[int(u)] = refs.get(int(u), 0) + int(c)
        counts = _child_counts(born, ev.pid)
        n = len(ev)
        # every post's draws are taken, whoever writes it, so the streams stay aligned across shards
        cls_i = rng.choice(len(class_keys), size=n, p=class_p)
        lang_i = rng.choice(len(lang_keys), size=n, p=lang_p)
        coin = rng.random(n)
        draws = rng.integers(0, 1 << 62, size=n)
        like_u = rng.random(n)
        ranks = np.zeros(n, dtype=np.int64)
        for i, p in enumerate(cfg.platforms):
            sel = np.flatnonzero(ev.platform == i)
            ranks[sel] = draw_ranks(rng, len(sel), pool[p], cfg.activity_exponent)
        idx = np.flatnonzero(mine[ev.platform])
        chunk_parents: list[list[str]] = []
        chunk_ordinals: list[int] = []
        for j, t, plat_i, pid, parent_pid, kind_i, rank, c_i, l_i, cn, draw, lu in zip(
            idx.tolist(),
            ev.t[idx].tolist(),
            ev.platform[idx].tolist(),
            ev.pid[idx].tolist(),
            ev.parent[idx].tolist(),
            ev.kind[idx].tolist(),
            ranks[idx].tolist(),
            cls_i[idx].tolist(),
            lang_i[idx].tolist(),
            coin[idx].tolist(),
            draws[idx].tolist(),
            like_u[idx].tolist(),
            strict=True,
        ):
            plat = cfg.platforms[plat_i]
            kind = KINDS[kind_i]
            parent = store[parent_pid] if parent_pid >= 0 else None
            if kind == "repost":
                assert parent is not None
                cls, lang, text = parent.cls, parent.lang, parent.text
            else:
                cls = class_keys[c_i]
                same = parent is not None and cn < cfg.reply_same_language
                lang = parent.lang if same else lang_keys[l_i]
                text = compose(lang, cls, draw)
            unix_ms = start_ms + t
            ordinal = base + j
            pid_str, rkey = post_id(plat, unix_ms, ordinal, kind)
            replies, reposts, quotes = counts.get(pid, (0, 0, 0))
            post = Post(
                ordinal=ordinal,
                platform=plat,
                unix_ms=unix_ms,
                post_id=pid_str,
                kind=kind,
                author=author(cfg.seed, plat, rank, pool[plat]),
                text=text,
                lang=lang,
                cls=cls,
                draw=draw,
                parent=parent,
                replies=replies,
                reposts=reposts,
                quotes=quotes,
                likes=int((replies + reposts + quotes) * 3 + 1 / (lu + 0.02) - 1),
            )
            if rkey:
                post.extra["rkey"] = rkey
                post.uri = post.post_id = f"at://{post.author.id}/app.bsky.feed.post/{rkey}"
            if parent is not None and kind in ("reply", "comment"):
                post.thread = parent.thread or Thread(parent.post_id, parent.uri, parent.cid, parent.community)
            writers[plat].write(post)
            tally.add(post, t // MS_PER_HOUR)
            if parent is not None:
                chunk_parents.append([plat, post.post_id, parent.post_id])
                chunk_ordinals.append(ordinal)
                post.parent = None
                left = refs[parent_pid] - 1
                if left:
                    refs[parent_pid] = left
                else:
                    del refs[parent_pid]
                    del store[parent_pid]
            if pid in refs:
                store[pid] = post
        base += n
        if parents_writer is None:
            parents.extend(zip(chunk_ordinals, chunk_parents, strict=True))
        elif chunk_parents:
            cols = [pa.array(c, pa.string()) for c in zip(*chunk_parents, strict=True)]
            m = len(chunk_parents)
            head = [pa.array(np.full(m, k, dtype=np.int32)), pa.array(chunk_ordinals, pa.int64())]
            parents_writer.write_table(pa.table([*head, *cols], schema=PARTS_SCHEMA))
    for w in writers.values():
        w.close()
    if parents_writer is not None:
        parents_writer.close()
    if store or refs:
        raise AssertionError(f"lineage bookkeeping left {len(store)} posts waiting for children")
    files = {p: list(w.files) for p, w in writers.items()}
    return Shard(platforms, tally, files, parents if inline else None, None if inline else parents_path)


def _child_counts(born, pids: np.ndarray) -> dict[int, tuple[int, int, int]]:
    """(replies + comments, reposts, quotes) born to each of ``pids`` in this chunk."""
    sel = np.isin(born.parent, pids)
    parent, kind = born.parent[sel], born.kind[sel]
    out: dict[int, list[int]] = {}
    for p, k in zip(parent.tolist(), kind.tolist(), strict=True):
        c = out.setdefault(p, [0, 0, 0])
        c[0 if k in (REPLY, COMMENT) else 1 if k == REPOST else 2 if k == QUOTE else 0] += 1
    return {p: (c[0], c[1], c[2]) for p, c in out.items()}
