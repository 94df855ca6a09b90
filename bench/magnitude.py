"""Time ``groundswell magnitude`` on one store: the whole command, each query it runs, and anchors from the same run.

    .venv/bin/python bench/magnitude.py /tmp/gs-rep-10m.duckdb
    .venv/bin/python bench/magnitude.py /tmp/gs-rep-10m.duckdb --before /work/main/.venv/bin/groundswell --before-db OLD.duckdb

Issue #9's target is a magnitude report under 10 s (wall) at 10M posts on a 2-core machine. The machine is
usually shared, so wall time alone says little: every figure is printed with its CPU seconds (user + sys,
DuckDB's threads included), and beside two anchors measured in the same run on the same store:

* ``count(DISTINCT author_id)``: one pass of the string distinct count the magnitude tables used to make;
* ``count(DISTINCT author_key)``: the same count over the integer key they make now.

``--before`` runs another ``groundswell`` executable (e.g. the main branch's) on ``--before-db`` (default: the
same store) in the same run, alternating with this one, so before/after is a ratio of two runs under the same
load. The command's output is compared too: the two must print the same figures.

For a 10M-post store without ingesting 10M posts, see ``bench/replicate_store.py``; ``bench/scale.py`` times the
command on real ingests of 1M and 10M posts.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from groundswell.store.duckdb_store import Store

TARGET_S = 10.0


class Timed:
    """An engine that records CPU and wall seconds of every query it passes on."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.log: list[tuple[float, float, str]] = []

    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        cpu, wall = time.process_time(), time.perf_counter()
        t = self.engine.sql(query, params)
        self.log.append((time.process_time() - cpu, time.perf_counter() - wall, " ".join(query.split())[:90]))
        return t

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


def per_query(db: Path) -> list[tuple[float, float, str]]:
    """The magnitude command in this process, with every query it sends timed (after its own Memo)."""
    from typer.testing import CliRunner

    import groundswell.cli.magnitude as command
    from groundswell.cli import app

    opened: list[Timed] = []
    original = command.open_store

    class _Open:
        def __init__(self, store: Any) -> None:
            self.store = store

        def __enter__(self) -> Timed:
            opened.append(Timed(self.store))
            return opened[-1]

        def __exit__(self, *exc: object) -> None:
            self.store.close()

    command.open_store = lambda *a, **k: _Open(original(*a, **k))  # type: ignore[assignment]
    try:
        r = CliRunner().invoke(app, ["magnitude", "--db", str(db), "--json"])
    finally:
        command.open_store = original
    if r.exit_code != 0:
        raise SystemExit(r.output)
    return opened[0].log


def anchors(db: Path) -> dict[str, tuple[float, float]]:
    out = {}
    with Store(db, read_only=True) as s:
        for name, q in {
            "count(DISTINCT author_id)": "SELECT count(DISTINCT author_id) FROM posts WHERE NOT is_reference",
            "count(DISTINCT author_key)": "SELECT count(DISTINCT author_key) FROM posts WHERE NOT is_reference",
        }.items():
            cpu, wall = time.process_time(), time.perf_counter()
            s.scalar(q)
            out[name] = (time.process_time() - cpu, time.perf_counter() - wall)
    return out


def command(exe: str, db: Path) -> tuple[float, float, float, str]:
    """(wall s, CPU s, max RSS MB, stdout) of ``exe magnitude --db db --json`` in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    p = subprocess.run([exe, "magnitude", "--db", str(db), "--json"], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, p.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--before", help="another groundswell executable to time in the same run (e.g. main's)")
    ap.add_argument("--before-db", type=Path, help="the store for --before (default: the same store)")
    a = ap.parse_args()
    exe = shutil.which("groundswell", path=str(Path(sys.executable).parent)) or "groundswell"
    with Store(a.db, read_only=True) as s:
        n = s.scalar("SELECT count(*) FROM posts")
    print(f"store {a.db}: {n:,} posts; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    anchor = anchors(a.db)
    for name, (cpu, wall) in anchor.items():
        print(f"anchor {name:28} {cpu:6.2f} CPU s {wall:6.2f} s")
    log = per_query(a.db)
    print(f"\nqueries of one magnitude command ({len(log)} sent to the store):")
    for cpu, wall, q in log:
        print(f"  {cpu:6.2f} CPU s {wall:6.2f} s  {q}")
    q_cpu = sum(c for c, _, _ in log)
    unit = anchor["count(DISTINCT author_id)"][0]
    print(f"  {q_cpu:6.2f} CPU s in queries = {q_cpu / unit:.1f}x the count(DISTINCT author_id) anchor")

    print("\nthe command, in its own process:")
    outputs = {}
    for i in range(a.runs):
        runs = [("this", exe, a.db)]
        if a.before:
            runs.append(("before", a.before, a.before_db or a.db))
        for label, x, db in runs:
            wall, cpu, rss, out = command(x, db)
            outputs[label] = out
            verdict = "met" if wall < TARGET_S else "NOT met"
            print(
                f"  {label:6} run {i + 1}: {wall:6.2f} s wall, {cpu:6.2f} CPU s ({cpu / unit:.1f}x anchor), "
                f"peak RSS (largest so far) {rss:,.0f} MB; target < {TARGET_S:.0f} s: {verdict} (load {os.getloadavg()[0]:.1f})"
            )
    if "before" in outputs:
        print(f"  same output as before: {outputs['this'] == outputs['before']}")


if __name__ == "__main__":
    main()
