"""Live watcher throughput: sustained events/s and p99 event-to-store latency from the local replay server.

The replay server (tests/live/replay_server.py) runs in its own process and sends Jetstream frames at a fixed
rate, stamping each frame's ``time_us`` with the wall clock at send time; the watcher stores them and, at each
commit, the latency of every frame is commit time − ``time_us``. So the latency includes the socket, the
queue, parse, filter, enrich and the DuckDB transaction with its cursor.

Anchors, measured in the same run on the same frames:

* ``socket``: a bare websockets client that only counts frames: what the server and the loopback can deliver.
* ``ingest``: ``groundswell.ingest`` of the same frames written to a JSON-lines file (one worker): the
  file path's rate for the same parse/enrich/store work, without sockets or cursors.

    .venv/bin/python bench/live.py [--rate 1000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from tests.live.streams import jetstream  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from groundswell.ingest import ingest  # noqa: E402
from groundswell.live import Commit, JetstreamSource, MovementFilter, WatchConfig, Watcher  # noqa: E402
from groundswell.store.duckdb_store import Store  # noqa: E402


def _serve(frames: list[bytes], rate: float, port_q: mp.Queue, stop_ev) -> None:  # type: ignore[no-untyped-def]
    from tests.live.replay_server import ReplayServer

    with ReplayServer(frames, rate=rate, live_clock=True) as srv:
        port_q.put(srv.port)
        stop_ev.wait()


class Server:
    """The replay server in a child process, so it does not share the watcher's GIL."""

    def __init__(self, frames: list[bytes], rate: float) -> None:
        ctx = mp.get_context("spawn")
        self.q, self.stop = ctx.Queue(), ctx.Event()
        self.p = ctx.Process(target=_serve, args=(frames, rate, self.q, self.stop), daemon=True)

    def __enter__(self) -> str:
        self.p.start()
        return f"ws://127.0.0.1:{self.q.get(timeout=60)}/subscribe"

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.p.join(10)


def frames_for(rate: float, seconds: float) -> list[bytes]:
    per_bin = int(rate * 60 * 0.7)  # 60-second event bins; 30% of frames are not the movement's
    bins = max(1, round(seconds / 60 * 1)) if seconds >= 60 else 1
    frames = jetstream([per_bin] * bins, bin_seconds=60, authors=5000, seed=1).frames
    return frames[: int(rate * seconds)]


async def _socket_anchor(url: str, n: int) -> float:
    t0 = time.perf_counter()
    got = 0
    async with connect(url) as ws:
        async for _ in ws:
            got += 1
            if got >= n:
                break
    return got / (time.perf_counter() - t0)


def watch(url: str, n: int, db: Path) -> tuple[float, np.ndarray, Watcher]:
    lat: list[float] = []

    def on_commit(c: Commit) -> None:
        lat.extend(c.committed_at - int(it.cursor) / 1e6 for it in c.items if it.cursor)

    store = Store(db)
    w = Watcher(store, [JetstreamSource(url)], MovementFilter.of(["MeToo"]), config=WatchConfig(), on_commit=on_commit)

    async def main() -> float:
        stop = asyncio.Event()
        task = asyncio.create_task(w.run(stop))
        t0 = time.perf_counter()
        while w.counters["bluesky"].events < n and not task.done():
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - t0
        stop.set()
        await task
        return elapsed

    elapsed = asyncio.run(main())
    return w.counters["bluesky"].events / elapsed, np.asarray(lat), w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    args = ap.parse_args()
    frames = frames_for(args.rate, args.seconds)
    n = len(frames)
    print(f"{n:,} Jetstream frames offered at {args.rate:,.0f}/s for {args.seconds:g}s")
    with tempfile.TemporaryDirectory() as tmp:
        with Server(frames, rate=1e9) as url:
            sock = asyncio.run(_socket_anchor(url, n))
        src = Path(tmp) / "frames.jsonl"
        src.write_bytes(b"".join(f + b"\n" for f in frames))
        with Store(Path(tmp) / "ingest.duckdb") as s:
            t0 = time.perf_counter()
            ingest([src], s, workers=1)
            ing = n / (time.perf_counter() - t0)
        with Server(frames, rate=args.rate) as url:
            rate, lat, w = watch(url, n, Path(tmp) / "live.duckdb")
        stored = w.store.scalar("SELECT count(*) FROM posts")
        w.store.close()
    p50, p99, mx = np.percentile(lat, [50, 99, 100])
    print(f"anchor socket  : {sock:10,.0f} frames/s (bare websocket client, server unpaced)")
    print(f"anchor ingest  : {ing:10,.0f} frames/s (same frames from a file, 1 worker)")
    print(f"watcher        : {rate:10,.0f} frames/s sustained   = {rate / args.rate:.2f} x offered, "
          f"{rate / ing:.2f} x ingest, {rate / sock:.3f} x socket")  # fmt: skip
    print(f"event-to-store : p50 {p50:.3f}s  p99 {p99:.3f}s  max {mx:.3f}s  (target p99 < 2 s: "
          f"{'met' if p99 < 2 else 'NOT met'})")  # fmt: skip
    print(f"stored {stored:,} movement posts; dropped {w.counters['bluesky'].dropped}")


if __name__ == "__main__":
    main()
