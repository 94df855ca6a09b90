"""Load test of the overview API: 50 concurrent clients against ``groundswell serve`` on a 1M-post store.

    .venv/bin/python bench/web_load.py                 # builds bench/out/web-1m/ once (simulate + ingest), reuses it
    .venv/bin/python bench/web_load.py --posts 200000  # a smaller store

The server runs as its own process (``python -m groundswell serve``), the clients in this one (httpx on
asyncio), on 127.0.0.1 only. Every phase is bounded in requests and in seconds, and stops by itself.

Printed, per phase: requests, errors, throughput, p50 / p99 / max latency, and ratios beside two anchors
measured in the same run on the same store:

* ``query``: the library call the overview makes (``analyses.overview``), in-process, no HTTP: the cost of
  the figures themselves;
* ``/me``: an authenticated endpoint that does no store work, at the same concurrency: the cost of HTTP,
  auth and the server's thread pool.

Phases: ``overview (cached)``, the server as deployed (figures kept until the data changes), and
``overview (no cache)``, a second server started with ``--no-cache`` so every request recomputes: 50
clients asking at once for figures that each take seconds on 1M posts, bounded to one request per client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "web-1m"


def build_store(posts: int) -> Path:
    from groundswell.ingest import ingest
    from groundswell.simulate import SimConfig, simulate
    from groundswell.store.duckdb_store import Store

    folder = OUT if posts == 1_000_000 else OUT.with_name(f"web-{posts}")
    db = folder / "store.duckdb"
    if db.exists():
        return db
    t0 = time.perf_counter()
    truth = simulate(SimConfig(posts=posts, platforms=("twitter", "facebook", "bluesky"), seed=7), folder / "sim")
    files = sorted(folder / "sim" / f for fs in truth.files.values() for f in fs)
    t1 = time.perf_counter()
    with Store(db) as store:
        results = ingest(files, store, workers=os.cpu_count() or 1)
    stored = sum(r.counts.stored for r in results)
    print(f"built {db}: simulated {posts:,} in {t1 - t0:.0f} s, stored {stored:,} in {time.perf_counter() - t1:.0f} s")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, cache: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [sys.executable, "-m", "groundswell", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen([*cmd, "--cache" if cache else "--no-cache"])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/login", timeout=2)
            return proc, url
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise SystemExit("serve exited early") from None
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("serve did not start in 120 s")


async def load(url: str, path: str, token: str, clients: int, requests: int, seconds: float) -> dict[str, float]:
    """``clients`` concurrent loops sharing a budget of ``requests`` and a deadline; latencies in ms."""
    lat: list[float] = []
    errors = 0
    budget = requests
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=900
    ) as c:

        async def client() -> None:
            nonlocal budget, errors
            while budget > 0 and time.monotonic() < deadline:
                budget -= 1
                t = time.perf_counter()
                r = await c.get(path)
                lat.append((time.perf_counter() - t) * 1000)
                errors += r.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        wall = time.perf_counter() - t0
    lat.sort()
    return {
        "n": len(lat),
        "errors": errors,
        "rps": len(lat) / wall,
        "p50": statistics.median(lat),
        "p99": lat[min(len(lat) - 1, int(0.99 * len(lat)))],
        "max": lat[-1],
    }


def anchor_query(db: Path) -> float:
    """Median ms of the overview's own library call, in-process (read-only open, while no server runs)."""
    from groundswell.store.duckdb_store import Store
    from groundswell.web.analyses import overview

    times = []
    with Store(db, read_only=True) as s:
        for _ in range(5):
            t = time.perf_counter()
            overview(s, {}, 10)
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="per phase of cheap requests")
    ap.add_argument("--uncached-requests", type=int, default=50, help="in the no-cache phase (default: one per client)")
    ap.add_argument("--seconds", type=float, default=120, help="cap per phase")
    a = ap.parse_args()

    db = build_store(a.posts)
    from groundswell.web.auth import Accounts

    accounts = Accounts(db)
    if accounts.user("bench") is None:
        accounts.add_user("bench", "bench password, local only", "viewer")
    token = accounts.new_token("bench", "web_load")
    from groundswell.store.duckdb_store import Store

    with Store(db, read_only=True) as s:
        n_posts = s.scalar("SELECT count(*) FROM posts WHERE NOT is_reference")
    query_ms = anchor_query(db)
    print(f"store: {db} ({n_posts:,} posts); {a.clients} concurrent clients; {os.cpu_count()} cores")
    print(f"anchor query: overview figures in-process, median {query_ms:.0f} ms")

    print(
        f"\n{'phase':28} {'n':>6} {'err':>4} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'p99/query':>10} {'p99//me':>8}",
        flush=True,
    )
    me_p99 = None
    for cache in (True, False):
        proc, url = start_server(db, cache)
        try:
            label = "cached" if cache else "no cache"
            httpx.get(f"{url}/api/v1/overview", headers={"Authorization": f"Bearer {token}"}, timeout=600)  # warm
            me = asyncio.run(load(url, "/api/v1/me", token, a.clients, a.requests, a.seconds))
            me_p99 = me_p99 or me["p99"]
            report(f"/me ({label} server)", me, query_ms, me_p99)
            n = a.requests if cache else a.uncached_requests
            report(
                f"overview ({label})",
                asyncio.run(load(url, "/api/v1/overview", token, a.clients, n, a.seconds)),
                query_ms,
                me_p99,
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def report(name: str, r: dict[str, float], query_ms: float, me_p99: float) -> None:
    print(
        f"{name:28} {r['n']:>6.0f} {r['errors']:>4.0f} {r['rps']:>7.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
        f"{r['max']:>8.1f} {r['p99'] / query_ms:>10.2f} {r['p99'] / me_p99:>8.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
