"""Benchmark diffusion analytics: cascades at a million posts, and what the Hawkes fit recovers.

    .venv/bin/python bench/diffusion.py [--posts 1000000] [--anchor-posts 200000] [--sim-posts 20000]

* **cascades**: a store of ``--posts`` synthetic posts (60 % answer an earlier post chosen with a
  preference for recent and popular ones, 2 % of parents missing) is written with DuckDB's own ``range``;
  ``build_cascades`` (SQL + Arrow + numpy) is timed on it, and beside it, in the same run, the anchor: the
  same figures (root, depth, subtree sizes, Wiener index) by per-post Python dicts, on ``--anchor-posts``
  of the same posts, reported per million posts as well;
* **Hawkes**: on a simulated movement (bursty background, overdispersed offspring), the branching ratio
  from post times only (constant and 6-hour backgrounds) against the marked fit that knows which posts are
  originals, beside the simulator's realized ratio.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from groundswell.analytics.cascades import build_cascades
from groundswell.analytics.hawkes import fit_hawkes, post_hours
from groundswell.ingest import ingest
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import Store


def synthetic_store(path: Path, n: int) -> Store:
    store = Store(path)
    store.con.execute(
        f"""INSERT INTO posts (platform, post_id, created_at, author_id, kind, parent_id, is_reference)
            SELECT 'twitter', CAST(i AS VARCHAR),
                   TIMESTAMPTZ '2017-10-15 00:00:00+00' + to_microseconds(CAST(i * 250000 AS BIGINT)),
                   'u_' || CAST(hash(i) % {max(n // 3, 1)} AS VARCHAR),
                   CASE WHEN i > 0 AND hash(i * 7) % 100 < 60 THEN 'reply' ELSE 'original' END,
                   CASE WHEN i > 0 AND hash(i * 7) % 100 < 60
                        THEN CAST(CASE WHEN hash(i * 13) % 100 < 2 THEN -1 - i
                                       ELSE greatest(0, i - 1 - CAST(floor(pow(hash(i * 11) % 1000000 / 1e6, 4)
                                            * least(i, 20000)) AS BIGINT)) END AS VARCHAR)
                   END,
                   FALSE
            FROM range({n}) AS r(i)"""
    ).fetchall()
    return store


def anchor(store: Store, n: int) -> float:
    """Per-post Python: dict of parents, walk to the root, push sizes up, Wiener index per tree."""
    rows = store.con.execute(
        f"SELECT post_id, parent_id FROM posts WHERE CAST(post_id AS BIGINT) < {n} ORDER BY CAST(post_id AS BIGINT)"
    ).fetchall()
    t = time.perf_counter()
    parent: dict[str, str | None] = {}
    for pid, par in rows:
        parent[pid] = par
    for _, par in rows:
        if par is not None and par not in parent:
            parent[par] = None  # placeholder
    depth: dict[str, int] = {}
    root: dict[str, str] = {}
    for pid in parent:
        d, j = 0, pid
        while parent[j] is not None:
            j, d = parent[j], d + 1
        depth[pid], root[pid] = d, j
    size = dict.fromkeys(parent, 1)
    for pid in sorted(parent, key=lambda x: -depth[x]):
        if parent[pid] is not None:
            size[parent[pid]] += size[pid]
    count: dict[str, int] = {}
    for r in root.values():
        count[r] = count.get(r, 0) + 1
    wiener: dict[str, float] = {}
    for pid, par in parent.items():
        if par is not None:
            r = root[pid]
            wiener[r] = wiener.get(r, 0.0) + size[pid] * (count[r] - size[pid])
    return time.perf_counter() - t


def bench_cascades(posts: int, anchor_posts: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        store = synthetic_store(Path(d) / "big.duckdb", posts)
        print(f"store of {posts:,} synthetic posts written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        c = build_cascades(store)
        ours = time.perf_counter() - t
        big = c.cascades.column("posts").to_numpy().max()
        print(
            f"build_cascades: {ours:.2f} s for {posts:,} posts ({c.nodes.num_rows:,} nodes, "
            f"{c.cascades.num_rows:,} cascades, largest {big:,} posts, deepest {c.cascades.column('depth').to_numpy().max()})"
        )
        a = anchor(store, anchor_posts)
        per_m_ours, per_m_anchor = ours / posts * 1e6, a / anchor_posts * 1e6
        print(f"anchor, per-post Python dicts: {a:.2f} s for {anchor_posts:,} posts")
        print(
            f"per million posts: ours {per_m_ours:.2f} s, anchor {per_m_anchor:.2f} s "
            f"(anchor / ours = {per_m_anchor / per_m_ours:.1f}x; the anchor leaves out the SQL and the per-cascade table)"
        )
        store.close()


def bench_hawkes(sim_posts: int) -> None:
    with tempfile.TemporaryDirectory() as d:
        cfg = SimConfig(posts=sim_posts, seed=3)
        truth = simulate(cfg, Path(d) / "sim")
        with Store(Path(d) / "s.duckdb") as store:
            ingest([Path(d) / "sim" / f for fs in truth.files.values() for f in fs], store, workers=1)
            hours, answers, _ = post_hours(store)
        end = float(hours[-1])
        print(
            f"\nHawkes on a simulated movement of {truth.posts:,} posts, realized branching {truth.branching_ratio:.3f}"
        )
        for label, kw in [
            ("times only, constant background", {"background_bins": 1}),
            ("times only, 6-hour background", {"background_bins": np.append(np.arange(0, end, 6.0), end)}),
            ("marked (originals = background)", {"triggered": answers}),
        ]:
            t = time.perf_counter()
            f = fit_hawkes(hours, start=0.0, end=end, **kw)
            print(
                f"  {label:34s} branching {f.branching:.3f} ± {f.branching_se:.3f}, "
                f"mean delay {60 / f.decay:.0f} min (true {cfg.decay_hours * 60:.0f}), {time.perf_counter() - t:.2f} s"
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--anchor-posts", type=int, default=200_000)
    ap.add_argument("--sim-posts", type=int, default=20_000)
    a = ap.parse_args(argv)
    bench_cascades(a.posts, a.anchor_posts)
    bench_hawkes(a.sim_posts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
