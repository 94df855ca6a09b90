"""``simulate(cfg, out)``: run the process, dress every event as a post, write each platform's files.

The process (``process.py``) decides *when* posts happen and *who answers whom*. This module decides the
rest, in time order, post by post: the author (heavy-tailed activity), the participation class and
language (drawn from the configured shares; a repost repeats its original's, a reply often keeps its
parent's language), the text (from the phrase banks), the platform id (computed from time and
ordinal), and hands the post to its platform's writer. It tallies what was written into ``Truth``.

Posts that will be pointed at later (parents of replies, reposts, quotes, comments) are kept in memory
exactly until their last child is written — the process says how many children each post has before
the post is written — so memory stays bounded by the posts "in flight", not by the run's size.

Randomness comes from three independent streams of one seed (process, cascade drops, post attributes),
each consumed in a fixed order; nothing depends on dict order, hashing, the clock or the machine.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.simulate.authors import author, draw_ranks
from groundswell.simulate.config import KINDS, SimConfig
from groundswell.simulate.ids import base36, mastodon_id, snowflake, tid
from groundswell.simulate.process import COMMENT, MS_PER_HOUR, QUOTE, REPLY, REPOST, Process, _rng, plan, split
from groundswell.simulate.record import Post, Thread
from groundswell.simulate.texts import compose
from groundswell.simulate.truth import PUBLISHED_TWEETS_FIRST_24H, Tally, Truth
from groundswell.simulate.writers import WRITERS

_FACEBOOK_BASE = 10_155_000_000_000_000
_REDDIT_SUBMISSION_BASE = int("76a000", 36)
_REDDIT_COMMENT_BASE = int("doa0000", 36)


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


def simulate(cfg: SimConfig, out: Path) -> Truth:
    """Write a simulated movement under ``out`` (one folder per platform) plus ``truth.json``; return the truth."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    the_plan = plan(cfg)
    start_ms = round(cfg.start.timestamp() * 1000)
    n_bins = math.ceil(cfg.hours)
    expected = split(cfg.posts, cfg.platform_probs())
    pools = {p: max(20, round(n * cfg.authors_per_post)) for p, n in zip(cfg.platforms, expected, strict=True)}
    tally = Tally(cfg.platforms, n_bins, pools)
    writers = {p: WRITERS[p](out, cfg) for p in cfg.platforms}
    inline = cfg.posts <= cfg.inline_parents_max
    parents: list[list[str]] = []
    parents_writer: pq.ParquetWriter | None = None
    parents_schema = pa.schema([("platform", pa.string()), ("post_id", pa.string()), ("parent_id", pa.string())])
    if not inline:
        parents_writer = pq.ParquetWriter(out / "parents.parquet", parents_schema, compression="zstd")

    rng = _rng(cfg, 3)
    class_keys, class_p = cfg.class_probs()
    lang_keys, lang_p = cfg.language_probs()
    store: dict[int, Post] = {}
    refs: dict[int, int] = {}
    ordinal = 0
    for ev, born in Process(cfg, the_plan.immigrants).chunks():
        ev = ev.take(np.flatnonzero(~the_plan.dropped[ev.root]))
        born = born.take(np.flatnonzero(~the_plan.dropped[born.root]))
        for u, c in zip(*np.unique(born.parent, return_counts=True), strict=True):
            refs[int(u)] = refs.get(int(u), 0) + int(c)
        counts = _child_counts(born, ev.pid)
        n = len(ev)
        cls_i = rng.choice(len(class_keys), size=n, p=class_p).tolist()
        lang_i = rng.choice(len(lang_keys), size=n, p=lang_p).tolist()
        coin = rng.random(n).tolist()
        draws = rng.integers(0, 1 << 62, size=n).tolist()
        like_u = rng.random(n).tolist()
        ranks = np.zeros(n, dtype=np.int64)
        for i, p in enumerate(cfg.platforms):
            sel = np.flatnonzero(ev.platform == i)
            ranks[sel] = draw_ranks(rng, len(sel), pools[p], cfg.activity_exponent)
        chunk_parents: list[list[str]] = []
        for j, (t, plat_i, pid, parent_pid, kind_i, rank) in enumerate(
            zip(
                ev.t.tolist(),
                ev.platform.tolist(),
                ev.pid.tolist(),
                ev.parent.tolist(),
                ev.kind.tolist(),
                ranks.tolist(),
                strict=True,
            )
        ):
            plat = cfg.platforms[plat_i]
            kind = KINDS[kind_i]
            parent = store[parent_pid] if parent_pid >= 0 else None
            if kind == "repost":
                assert parent is not None
                cls, lang, text = parent.cls, parent.lang, parent.text
            else:
                cls = class_keys[cls_i[j]]
                same = parent is not None and coin[j] < cfg.reply_same_language
                lang = parent.lang if same else lang_keys[lang_i[j]]
                text = compose(lang, cls, draws[j])
            unix_ms = start_ms + t
            pid_str, rkey = post_id(plat, unix_ms, ordinal, kind)
            replies, reposts, quotes = counts.get(pid, (0, 0, 0))
            post = Post(
                ordinal=ordinal,
                platform=plat,
                unix_ms=unix_ms,
                post_id=pid_str,
                kind=kind,
                author=author(cfg.seed, plat, rank, pools[plat]),
                text=text,
                lang=lang,
                cls=cls,
                draw=draws[j],
                parent=parent,
                replies=replies,
                reposts=reposts,
                quotes=quotes,
                likes=int((replies + reposts + quotes) * 3 + 1 / (like_u[j] + 0.02) - 1),
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
                post.parent = None
                left = refs[parent_pid] - 1
                if left:
                    refs[parent_pid] = left
                else:
                    del refs[parent_pid]
                    del store[parent_pid]
            if pid in refs:
                store[pid] = post
            ordinal += 1
        if inline:
            parents.extend(chunk_parents)
        elif parents_writer is not None and chunk_parents:
            cols = list(zip(*chunk_parents, strict=True))
            parents_writer.write_table(pa.table([pa.array(c, pa.string()) for c in cols], schema=parents_schema))
    for w in writers.values():
        w.close()
    if parents_writer is not None:
        parents_writer.close()
    if store or refs:
        raise AssertionError(f"lineage bookkeeping left {len(store)} posts waiting for children")
    truth = _truth(cfg, tally, writers, parents if inline else None, the_plan.generated)
    (out / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


def _child_counts(born, pids: np.ndarray) -> dict[int, tuple[int, int, int]]:
    """(replies + comments, reposts, quotes) born to each of ``pids`` in this chunk."""
    sel = np.isin(born.parent, pids)
    parent, kind = born.parent[sel], born.kind[sel]
    out: dict[int, list[int]] = {}
    for p, k in zip(parent.tolist(), kind.tolist(), strict=True):
        c = out.setdefault(p, [0, 0, 0])
        c[0 if k in (REPLY, COMMENT) else 1 if k == REPOST else 2 if k == QUOTE else 0] += 1
    return {p: (c[0], c[1], c[2]) for p, c in out.items()}


def _truth(cfg: SimConfig, tally: Tally, writers: dict, parents: list[list[str]] | None, generated: int) -> Truth:
    from datetime import timedelta

    start = cfg.start
    end = start + timedelta(hours=cfg.hours)
    onsets = {}
    for p in cfg.platforms:
        hour = math.floor(cfg.onset(p))
        onsets[p] = {
            "hour": hour,
            "bin_start": (start + timedelta(hours=hour)).isoformat(),
            "time": (start + timedelta(hours=cfg.onset(p))).isoformat(),
            "lag_hours": cfg.lag(p),
        }
    overall, per = tally.branching()
    scale = {}
    if "twitter" in cfg.platforms:
        h0 = math.floor(cfg.onset("twitter"))
        first_day = int(tally.hourly["twitter"][h0 : h0 + 24].sum())
        scale = {
            "twitter_first_24h": first_day,
            "published_twitter_first_24h": PUBLISHED_TWEETS_FIRST_24H,
            "ratio": round(first_day / PUBLISHED_TWEETS_FIRST_24H, 8),
        }
    return Truth(
        movement=cfg.movement,
        seed=cfg.seed,
        posts=sum(tally.by_platform.values()),
        start=start.isoformat(),
        end=end.isoformat(),
        bin_hours=1.0,
        platforms=list(cfg.platforms),
        onsets=onsets,
        branching_configured=cfg.branching,
        branching_ratio=overall,
        branching_by_platform=per,
        counts=tally.counts(),
        hourly={p: v.tolist() for p, v in tally.hourly.items()},
        authors=tally.authors(),
        files={p: list(w.files) for p, w in writers.items()},
        published_scale=scale,
        config=cfg.to_json(),
        parents=parents,
        parents_file=None if parents is not None else "parents.parquet",
        notes=[
            f"the process generated {generated} posts; whole cascades were dropped at random to leave exactly "
            f"{cfg.posts}",
            "class counts include reposts under their original's class; class_authored leaves reposts out",
            "parents lists [platform, post_id, visible parent post_id]; a repost of a repost points at the original",
        ],
    )
