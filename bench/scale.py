"""The scale suite: simulate, ingest and query movements of 1M and 10M posts, beside anchors run the same day.

    .venv/bin/python bench/scale.py                                  # 1M and 10M posts, anchors on the 1M file
    .venv/bin/python bench/scale.py --sizes 1000000 --keep /tmp/gs-scale
    .venv/bin/python bench/scale.py --keep DIR --reuse-store         # rerun only the queries on kept stores

For each size, one command per step, each in its own process, timed with its peak RSS summed over the
process tree (groundswell ingest runs worker processes; the sampler is bench/ingest.py's):

1. ``groundswell simulate`` all five platforms (timed, but not the subject; a kept folder with the same
   seed and size is reused, so a rerun starts at the ingest);
2. ``groundswell ingest --classify`` of every file the simulator wrote: the ingest a user who wants the
   participation figures runs (classification is part of the figure; the anchors do not classify);
3. on the largest size: ``groundswell magnitude``, ``bursts``, ``export --what participation`` (the
   participation prevalence table) and ``report``, as a user runs them.

Anchors, on the simulated Twitter file (twarc2 JSONL) of the smaller size only by default, because
twarc-csv runs ~1,300 posts/s (about 2 h at 10M; ``--anchors-at-every-size`` to run them anyway):
``twarc2 csv --allow-duplicates`` (its own venv, ``pandas<3``), DuckDB ``read_json`` to Parquet, and
``groundswell ingest`` of that same file, so the ratios compare one file. Prints one table and writes it
as JSON (``--json``, default ``scale.json`` in the work folder).

The acceptance targets (issue #9): ingest peak RSS under 1.5 GB at 10M posts, a magnitude report under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ingest as ingest_bench  # noqa: E402
from ingest import DUCKDB_SQL, count_data_tweets, twarc_csv_python  # noqa: E402

PLATFORMS = "twitter,facebook,bluesky,mastodon,reddit"
RSS_TARGET_MB = 1500
MAGNITUDE_TARGET_S = 10.0


@dataclass
class Row:
    step: str
    posts: int  # posts (or tweets, for the anchors) in the input
    input: str  # what the step ran on
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float = 0.0  # user + sys of the process tree: steadier than wall time on a shared machine

    @property
    def rate(self) -> float:
        return self.posts / self.seconds if self.seconds else 0.0


def run(cmd: list[str]) -> tuple[float, int, float]:
    """(wall seconds, peak RSS bytes of the process tree, CPU seconds of the tree) of one command.

    Written data is flushed to disk first, so that a step pays for its own I/O only: a 10M-post ingest leaves
    ~2 GB of the store in dirty pages that the kernel writes back after it exits. (The flush did not remove
    all of the first query's extra cost: the first magnitude after the last 10M ingest took 8.3 s, reruns
    6.8-8.2 s.)
    """
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    secs, rss = ingest_bench.run(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return secs, rss, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def groundswell() -> str:
    return shutil.which("groundswell") or str(Path(sys.executable).parent / "groundswell")


def simulated(work: Path, n: int, seed: int, platforms: str) -> tuple[Path, dict, Row | None]:
    """The simulated folder of ``n`` posts: reused when a kept one has the same seed, size and platforms."""
    folder = work / f"sim-{n}-seed{seed}"
    truth_path = folder / "truth.json"
    if truth_path.exists():
        truth = json.loads(truth_path.read_text("utf-8"))
        if truth["posts"] == n and truth["seed"] == seed and truth["platforms"] == platforms.split(","):
            print(f"  reusing {folder}", flush=True)
            return folder, truth, None
    shutil.rmtree(folder, ignore_errors=True)
    print("  groundswell simulate", flush=True)
    cmd = [groundswell(), "simulate", "--out", str(folder), "--posts", str(n), "--platforms", platforms]
    secs, rss, cpu = run([*cmd, "--seed", str(seed)])
    truth = json.loads(truth_path.read_text("utf-8"))
    return folder, truth, Row("simulate", n, f"{len(platforms.split(','))} platforms", secs, rss / 1e6, cpu)


def fresh_db(path: Path) -> Path:
    for f in (path, path.with_name(path.name + ".wal"), path.with_name(path.name + ".key")):
        f.unlink(missing_ok=True)
    return path


def ingest(files: list[Path], db: Path, label: str, n: int, classify: bool) -> Row:
    cmd = [groundswell(), "ingest", *map(str, files), "--db", str(fresh_db(db))]
    secs, rss, cpu = run(cmd + (["--classify"] if classify else []))
    return Row("groundswell ingest" + (" --classify" if classify else ""), n, label, secs, rss / 1e6, cpu)


def queries(db: Path, work: Path, n: int, add: Callable[[Row], None]) -> None:
    """What a user runs on a store: the figures, the participation table, the report."""
    gs, label = groundswell(), f"store of {n:,} posts"
    steps = {
        "groundswell magnitude": [gs, "magnitude", "--db", str(db), "--json"],
        "groundswell bursts": [gs, "bursts", "--db", str(db), "--json"],
        "groundswell export --what participation": [
            *[gs, "export", "--what", "participation", "--db", str(db)],
            *["--format", "csv", "--out", str(work / "participation.csv")],
        ],
        "groundswell report": [gs, "report", "--db", str(db), "--out", str(work / f"report-{n}.html")],
    }
    for step, cmd in steps.items():
        print(f"  {step}", flush=True)
        secs, rss, cpu = run(cmd)
        add(Row(step, n, label, secs, rss / 1e6, cpu))


def anchors(twitter_file: Path, work: Path, add: Callable[[Row], None]) -> None:
    """twarc-csv, DuckDB read_json and groundswell on the same twarc2 file."""
    tweets = count_data_tweets(twitter_file)
    label = f"{twitter_file.parent.parent.name}/twitter ({twitter_file.stat().st_size / 1e6:,.0f} MB)"
    print("  groundswell ingest (the Twitter file alone)", flush=True)
    add(ingest([twitter_file], work / "anchor-gs.duckdb", label, tweets, classify=False))
    print("  twarc2 csv --allow-duplicates", flush=True)
    twarc2 = str(twarc_csv_python().parent / "twarc2")
    # a dummy token: twarc2 otherwise asks for one interactively, although csv never calls the API
    cmd = [twarc2, "--bearer-token", "unused", "csv", "--allow-duplicates", str(twitter_file), str(work / "out.csv")]
    secs, rss, cpu = run(cmd)
    add(Row("anchor: twarc2 csv --allow-duplicates", tweets, label, secs, rss / 1e6, cpu))
    print("  duckdb read_json", flush=True)
    sql = DUCKDB_SQL.format(src=twitter_file, out=work / "out.parquet")
    secs, rss, cpu = run([sys.executable, "-c", f"import duckdb; duckdb.connect().execute({sql!r})"])
    add(Row("anchor: duckdb read_json → parquet", tweets, label, secs, rss / 1e6, cpu))
    for f in ("out.csv", "out.parquet"):
        (work / f).unlink(missing_ok=True)
    fresh_db(work / "anchor-gs.duckdb")


def table(rows: list[Row]) -> str:
    head = f"{'step':42} {'input':36} {'posts':>11} {'seconds':>9} {'CPU s':>8} {'posts/s':>9} {'peak RSS MB':>11}"
    lines = [head]
    for r in rows:
        lines.append(
            f"{r.step:42} {r.input:36} {r.posts:>11,} {r.seconds:>9.2f} {r.cpu_seconds:>8.1f} {r.rate:>9,.0f} "
            f"{r.peak_rss_mb:>11,.0f}"
        )
    return "\n".join(lines)


def verdicts(rows: list[Row], largest: int) -> list[str]:
    """The issue's targets and the anchor ratios, from this run's rows."""
    out = []
    by = {(r.step, r.posts): r for r in rows}
    ing = [r for r in rows if r.step.startswith("groundswell ingest --classify") and r.posts == largest]
    if ing:
        r = ing[0]
        ok = "met" if r.peak_rss_mb < RSS_TARGET_MB else "NOT met"
        out.append(f"ingest of {largest:,} posts: peak RSS {r.peak_rss_mb:,.0f} MB (target < {RSS_TARGET_MB} MB: {ok})")
    mag = by.get(("groundswell magnitude", largest))
    if mag:
        ok = "met" if mag.seconds < MAGNITUDE_TARGET_S else "NOT met"
        out.append(
            f"magnitude on {largest:,} posts: {mag.seconds:.2f} s wall, {mag.cpu_seconds:.1f} CPU s "
            f"(target < {MAGNITUDE_TARGET_S:.0f} s wall: {ok}; per query: bench/magnitude.py)"
        )
    for r in rows:
        if r.step == "groundswell ingest" and r.input:
            same = [a for a in rows if a.step.startswith("anchor:") and a.input == r.input]
            for a in same:
                out.append(
                    f"on {r.input}: groundswell ingest {r.rate:,.0f} posts/s = {r.rate / a.rate:.2f}x {a.step[8:]}"
                )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="comma-separated post counts")
    ap.add_argument("--keep", type=Path, help="work folder to keep and reuse (default: a temporary one)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--platforms", default=PLATFORMS)
    ap.add_argument("--anchors-at-every-size", action="store_true", help="run the anchors at every size")
    ap.add_argument("--no-anchors", action="store_true")
    ap.add_argument("--reuse-store", action="store_true", help="with --keep: skip an ingest whose store exists")
    ap.add_argument("--json", type=Path, help="table as JSON (default: scale.json in --keep DIR, else here)")
    a = ap.parse_args()
    sizes = sorted(int(s) for s in a.sizes.split(","))
    work = a.keep or Path(tempfile.mkdtemp(prefix="gs-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    machine = f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores, {_ram_gb():.0f} GB RAM"
    print(f"scale suite: sizes {sizes}, seed {a.seed}, work folder {work}; {machine}", flush=True)

    out_json = a.json or (work / "scale.json" if a.keep else Path("scale.json"))
    rows: list[Row] = []

    def add(row: Row) -> None:
        """Keep a row, print it, and rewrite the JSON: an interrupted suite keeps what it measured."""
        rows.append(row)
        print(f"    {row.seconds:,.1f} s, {row.cpu_seconds:,.1f} CPU s, {row.peak_rss_mb:,.0f} MB peak RSS", flush=True)
        _write(out_json, rows, sizes, machine)

    for n in sizes:
        print(f"{n:,} posts", flush=True)
        folder, truth, sim = simulated(work, n, a.seed, a.platforms)
        if sim:
            add(sim)
        files = [folder / f for fs in truth["files"].values() for f in fs]
        db = work / f"gs-{n}.duckdb"
        if a.reuse_store and db.exists():
            print(f"  reusing store {db} (not timed)", flush=True)
        else:
            print("  groundswell ingest --classify", flush=True)
            add(ingest(files, db, f"simulated folder, {len(files)} files", n, classify=True))
        if n == sizes[-1]:
            queries(db, work, n, add)
        if not a.no_anchors and (a.anchors_at_every_size or n == sizes[0]):
            twitter = [folder / f for f in truth["files"].get("twitter", [])]
            if twitter:
                anchors(twitter[0], work, add)

    print()
    print(table(rows))
    print()
    for line in verdicts(rows, sizes[-1]):
        print(line)
    print(f"table written to {out_json}")
    print(f"(suite took {time.perf_counter() - started:,.0f} s on {machine}; figures are noisy if others share it)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def _write(path: Path, rows: list[Row], sizes: list[int], machine: str) -> None:
    data = {"sizes": sizes, "machine": machine, "rows": [asdict(r) | {"posts_per_s": r.rate} for r in rows]}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _ram_gb() -> float:
    import psutil

    return psutil.virtual_memory().total / 2**30


if __name__ == "__main__":
    main()
