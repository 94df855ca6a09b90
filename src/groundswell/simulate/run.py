"""``simulate(cfg, out)``: run the process, dress every event as a post, write each platform's files.

The per-post work lives in ``shard.py``; this module decides how many processes share it, merges what
they tallied into one ``Truth`` and writes ``truth.json``. A cascade never leaves its platform, so the
platforms are split into groups of roughly equal volume and each group is written by its own process
(Twitter alone is about half of a default run). Every post's bytes are a function of the seed and its
run-wide ordinal only, so the output is byte-identical whatever the number of processes.

Randomness comes from three independent streams of one seed (process, cascade drops, post attributes),
each consumed in a fixed order; nothing depends on dict order, hashing, the clock or the machine.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.simulate.config import SimConfig
from groundswell.simulate.process import plan
from groundswell.simulate.shard import pools, post_id, write_shard
from groundswell.simulate.truth import PUBLISHED_TWEETS_FIRST_24H, Tally, Truth

__all__ = ["post_id", "simulate"]

#: below this many posts one process is faster: starting workers and replaying the process cost more
PARALLEL_MIN_POSTS = 100_000


def simulate(cfg: SimConfig, out: Path, workers: int | None = None) -> Truth:
    """Write a simulated movement under ``out`` (one folder per platform) plus ``truth.json``; return the truth.

    ``workers`` caps the processes used (default: one per core for runs of at least
    ``PARALLEL_MIN_POSTS`` posts, else one); the output does not depend on it.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = (os.cpu_count() or 1) if cfg.posts >= PARALLEL_MIN_POSTS else 1
    groups = platform_groups(cfg, workers)
    the_plan = plan(cfg)
    with tempfile.TemporaryDirectory(prefix=".parents-", dir=out) as tmp:
        paths = [Path(tmp) / f"part-{i}.parquet" for i in range(len(groups))]
        if len(groups) == 1:
            shards = [write_shard(cfg, out, the_plan, groups[0], paths[0])]
        else:
            ctx = multiprocessing.get_context("spawn")  # no fork: the parent may hold pyarrow/DuckDB threads
            with ProcessPoolExecutor(len(groups), mp_context=ctx) as ex:
                futures = [ex.submit(write_shard, cfg, out, the_plan, g, p) for g, p in zip(groups, paths, strict=True)]
                shards = [f.result() for f in futures]
        inline = cfg.posts <= cfg.inline_parents_max
        if inline:
            merged = sorted((row for s in shards for row in s.parents or []), key=lambda r: r[0])
            parents: list[list[str]] | None = [row for _, row in merged]
        else:
            _merge_parents([s.parents_path for s in shards if s.parents_path is not None], out / "parents.parquet")
            parents = None
    tally = Tally(cfg.platforms, math.ceil(cfg.hours), pools(cfg))
    files: dict[str, list[str]] = {}
    for s in shards:
        tally.take(s.tally, s.platforms)
        files.update(s.files)
    truth = _truth(cfg, tally, {p: files[p] for p in cfg.platforms}, parents, the_plan.generated)
    (out / "truth.json").write_text(truth.to_json(), encoding="utf-8")
    return truth


def platform_groups(cfg: SimConfig, workers: int) -> list[tuple[str, ...]]:
    """Split the platforms into at most ``workers`` groups of roughly equal expected volume (greedy)."""
    n = max(1, min(workers, len(cfg.platforms)))
    share = dict(zip(cfg.platforms, cfg.platform_probs(), strict=True))
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0.0] * n
    for p in sorted(cfg.platforms, key=lambda p: (-share[p], cfg.platforms.index(p))):
        i = load.index(min(load))
        groups[i].append(p)
        load[i] += share[p]
    order = {p: i for i, p in enumerate(cfg.platforms)}
    return [tuple(sorted(g, key=order.__getitem__)) for g in groups if g]


_PARENTS_SCHEMA = pa.schema([("platform", pa.string()), ("post_id", pa.string()), ("parent_id", pa.string())])


def _merge_parents(parts: list[Path], dest: Path) -> None:
    """Merge the shards' parents files into ``parents.parquet``: one row group per chunk, in run order."""
    readers = [pq.ParquetFile(p) for p in parts]
    heads: list[tuple[int, int, pa.Table] | None] = [_next_group(r, 0) for r in readers]
    with pq.ParquetWriter(dest, _PARENTS_SCHEMA, compression="zstd") as w:
        while any(h is not None for h in heads):
            chunk = min(h[0] for h in heads if h is not None)
            tables = []
            for i, h in enumerate(heads):
                while h is not None and h[0] == chunk:
                    tables.append(h[2])
                    h = _next_group(readers[i], h[1] + 1)
                heads[i] = h
            table = pa.concat_tables(tables)
            table = table.take(pa.array(np.argsort(table.column("ordinal").to_numpy(), kind="stable")))
            w.write_table(table.select(["platform", "post_id", "parent_id"]).cast(_PARENTS_SCHEMA))
    for r in readers:
        r.close()


def _next_group(reader: pq.ParquetFile, i: int) -> tuple[int, int, pa.Table] | None:
    """(chunk, row group index, table) of row group ``i``, or None past the end."""
    if i >= reader.num_row_groups:
        return None
    table = reader.read_row_group(i)
    return int(table.column("chunk")[0].as_py()), i, table


def _truth(
    cfg: SimConfig, tally: Tally, files: dict[str, list[str]], parents: list[list[str]] | None, generated: int
) -> Truth:
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
        files=files,
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
