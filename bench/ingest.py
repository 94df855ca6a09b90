"""Ingest benchmark: groundswell beside twarc-csv and DuckDB's read_json, on the same ≥200 MB twarc2 file.

    python bench/ingest.py [--mb 200] [--keep DIR]

Each tool runs as its own process; peak RSS is the sum over its process tree (groundswell runs worker
processes), sampled every 20 ms. posts/s counts the tweets of the collection (``data``) for every tool,
so the three rates are comparable. twarc-csv needs ``pandas<3`` and lives in its own venv under
bench/.venvs/ (created on first run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import build  # noqa: E402

VENVS = HERE / ".venvs"


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """(seconds, peak RSS bytes of the whole process tree)."""
    # stderr goes to a file, not a pipe: a tool whose progress bar fills a pipe nobody reads would block
    # (twarc-csv's tqdm did, on a slow run)
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = psutil.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env)
        peak = 0
        while p.poll() is None:
            try:
                procs = [p, *p.children(recursive=True)]
                peak = max(peak, sum(q.memory_info().rss for q in procs if q.is_running()))
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.02)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{cmd[0]} failed: {err.read().decode(errors='replace')[-2000:]}")
    return dt, peak


def twarc_csv_python() -> Path:
    py = VENVS / "twarc-csv" / "bin" / "python"
    if not py.exists():
        venv.create(py.parents[1], with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "twarc-csv", "pandas<3"], check=True)
    return py


def count_data_tweets(path: Path) -> int:
    n = 0
    with open(path, "rb") as f:
        for line in f:
            obj = json.loads(line)
            d = obj.get("data")
            n += len(d) if isinstance(d, list) else 1 if d else 1 if "text" in obj else 0
    return n


DUCKDB_SQL = """
COPY (
  SELECT d.id, d.created_at, d.author_id, d.text, list_transform(d.entities.hashtags, lambda h: h.tag) AS hashtags
  FROM (SELECT unnest(data) AS d FROM read_json('{src}', format='newline_delimited',
        maximum_object_size=100000000, ignore_errors=true) WHERE data IS NOT NULL)
) TO '{out}' (FORMAT parquet)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temporary one)")
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="gs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "corpus.jsonl"
    if not src.exists() or src.stat().st_size < a.mb << 20:
        build(src, a.mb << 20)
    n = count_data_tweets(src)
    size = src.stat().st_size
    print(f"corpus: {src} {size / 1e6:.0f} MB, {n:,} tweets in data; {os.cpu_count()} cores")

    results = {}
    db = work / "gs.duckdb"
    for f in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".key")):
        f.unlink(missing_ok=True)
    gs = shutil.which("groundswell") or str(Path(sys.executable).parent / "groundswell")
    results["groundswell ingest"] = run([gs, "ingest", str(src), "--db", str(db)])
    py = twarc_csv_python()
    twarc2 = str(py.parent / "twarc2")
    # a dummy token: twarc2 otherwise asks for one interactively, although csv never calls the API
    results["twarc2 csv --allow-duplicates"] = run(
        [twarc2, "--bearer-token", "unused", "csv", "--allow-duplicates", str(src), str(work / "out.csv")]
    )
    duck_sql = DUCKDB_SQL.format(src=src, out=work / "out.parquet")
    results["duckdb read_json → parquet"] = run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect().execute({duck_sql!r})"]
    )

    print(f"\n{'tool':34} {'seconds':>8} {'posts/s':>10} {'peak RSS MB':>12}")
    for name, (dt, rss) in results.items():
        print(f"{name:34} {dt:8.2f} {n / dt:10,.0f} {rss / 1e6:12,.0f}")
    g = results["groundswell ingest"][0]
    print(
        f"\ngroundswell vs twarc-csv: {results['twarc2 csv --allow-duplicates'][0] / g:.1f}x (target ≥ 30x); "
        f"vs duckdb read_json: {results['duckdb read_json → parquet'][0] / g:.1f}x (target ≥ 5x); "
        f"groundswell peak RSS {results['groundswell ingest'][1] / 1e6:.0f} MB (target < 500 MB)"
    )
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
