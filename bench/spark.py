"""Spark beside DuckDB: the same 1M-post simulated corpus ingested and analyzed by both engines.

    python bench/spark.py [--posts 1000000] [--dir DIR] [--threads 1,2]

The corpus (``groundswell simulate``, five platforms, six files) is made once and kept in DIR. Each engine
then runs as its own process: ingest into a fresh store, then the analytics the parity tests cover
(headline, hourly series, participants per day, bursts, cascades). Time is wall time per phase; peak memory
is the resident set summed over the process tree (for Spark: the Python driver, the JVM it starts and the
Python workers), sampled every 50 ms. Spark runs at ``local[1]`` and ``local[2]`` for the scaling curve;
ratios are to DuckDB in the same run (the anchor), since the machine is shared and absolute times are noisy.
Participation is not classified here (``bench/participation.py`` measures the classifier).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psutil

from groundswell.simulate import Truth

PLATFORMS = "twitter,facebook,bluesky,mastodon,reddit"


def corpus(d: Path, posts: int) -> list[str]:
    sim = d / f"sim-{posts}"
    if not (sim / "truth.json").exists():
        shutil.rmtree(sim, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "groundswell", "simulate", "--out", str(sim), "--posts", str(posts),
             "--platforms", PLATFORMS, "--seed", "1"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    # the post files the simulator wrote, as truth.json lists them (beside them lies ground truth, not posts)
    files = Truth.read(sim / "truth.json").files
    return sorted(str(sim / f) for fs in files.values() for f in fs)


def analytics(store: object) -> None:
    from groundswell.analytics import cascades, magnitude, timeline

    magnitude.headline(store)
    magnitude.series(store, "hour")
    magnitude.participants(store, "day")
    timeline.bursts(store, "hour")
    cascades.build_cascades(store)


def child(engine: str, files: list[str], store_dir: Path) -> None:
    """One engine, one process: print the phase times as JSON on the last line."""
    t0 = time.perf_counter()
    if engine == "duckdb":
        from groundswell.ingest import ingest
        from groundswell.store.duckdb_store import Store

        store = Store(store_dir / "bench.duckdb")
        t1 = time.perf_counter()
        results = ingest(files, store)
    else:
        from groundswell.spark.ingest import spark_ingest
        from groundswell.spark.session import spark_session
        from groundswell.spark.store import SparkStore

        threads = int(engine.removeprefix("spark"))
        spark = spark_session(
            f"local[{threads}]",
            conf={
                "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": str(4 * threads),
                "spark.driver.memory": "6g",
            },
        )
        store = SparkStore(store_dir / "bench.parquet", spark)
        t1 = time.perf_counter()
        results = spark_ingest(files, store)
    t2 = time.perf_counter()
    analytics(store)
    t3 = time.perf_counter()
    stored = sum(r.counts.stored for r in results)
    print(json.dumps({"start": t1 - t0, "ingest": t2 - t1, "analytics": t3 - t2, "stored": stored}))


def measure(engine: str, files: list[str], store_dir: Path) -> dict:
    shutil.rmtree(store_dir, ignore_errors=True)
    store_dir.mkdir(parents=True)
    cmd = [sys.executable, __file__, "--child", engine, "--store", str(store_dir), *files]
    t0 = time.perf_counter()
    err = open(store_dir.parent / f"{store_dir.name}.stderr", "w")  # noqa: SIM115 (closed below)
    p = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
    peak = 0
    while p.poll() is None:
        rss = 0
        with contextlib.suppress(psutil.NoSuchProcess):
            for q in [p, *p.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    rss += q.memory_info().rss
        peak = max(peak, rss)
        time.sleep(0.05)
    out = p.stdout.read().strip().splitlines() if p.stdout else []
    err.close()
    if p.returncode != 0 or not out:
        tail = Path(err.name).read_text(errors="replace").splitlines()[-15:]
        raise SystemExit(f"{engine} failed (exit {p.returncode}); its stderr ends:\n" + "\n".join(tail))
    got = json.loads(out[-1])
    got.update(engine=engine, wall=time.perf_counter() - t0, peak_mb=peak / 2**20)
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/groundswell-bench-spark"))
    ap.add_argument("--threads", default="1,2", help="Spark local[N] thread counts to run")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.files, a.store)
        return
    files = corpus(a.dir, a.posts)
    mb = sum(Path(f).stat().st_size for f in files) / 2**20
    print(
        f"corpus: {a.posts:,} simulated posts, {len(files)} files, {mb:,.0f} MB; load average {psutil.getloadavg()[0]:.1f}",
        flush=True,
    )
    rows = []
    for engine in ["duckdb", *(f"spark{n}" for n in a.threads.split(","))]:
        rows.append(measure(engine, files, a.dir / f"store-{engine}"))
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in rows[-1].items()}), flush=True)
    base = rows[0]
    head = f"{'engine':<14}{'stored':>10}{'start s':>9}{'ingest s':>10}{'analytics s':>13}{'total s':>9}{'peak MB':>9}{'× duckdb time':>15}{'× duckdb mem':>14}"
    print(head)
    for r in rows:
        name = "duckdb" if r["engine"] == "duckdb" else f"spark local[{r['engine'].removeprefix('spark')}]"
        total = r["ingest"] + r["analytics"]
        print(
            f"{name:<14}{r['stored']:>10,}{r['start']:>9.1f}{r['ingest']:>10.1f}{r['analytics']:>13.1f}{total:>9.1f}"
            f"{r['peak_mb']:>9,.0f}{total / (base['ingest'] + base['analytics']):>15.2f}{r['peak_mb'] / base['peak_mb']:>14.2f}"
        )
    print(f"load average after: {psutil.getloadavg()[0]:.1f} (2 cores; other jobs share them: times are noisy)")


if __name__ == "__main__":
    main()
