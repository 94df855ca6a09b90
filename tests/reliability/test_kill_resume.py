"""kill -9 at random points of an ingest, run it again: the store equals a clean ingest of the same files.

Compared row by row: every post (all columns, sorted), and each file's quarantine and counts, taken from
that file's latest ``ingests`` row. Right after the kill, before the re-run, the store must open and hold
no partial transaction: each ``ingests`` row's counts match the posts and quarantine rows behind it.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from groundswell.store.duckdb_store import Store
from tests.reliability.conftest import metoo_lines

CHILD = Path(__file__).resolve().with_name("ingest_child.py")
ROOT = Path(__file__).resolve().parents[2]
KEY = "5eed" * 16  # one pseudonym key for every store, so author pseudonyms compare
TX_ROWS, CHUNK_BYTES = 400, 32 << 10
SEEDS = [1, 2, 3]


def _files(d: Path) -> list[str]:
    real = metoo_lines(6000)
    a = list(real[:4000])
    a[100] = a[100][:40]  # half-written lines and an API error object: the quarantine must match too
    a[2500] = b'{"errors": [{"message": "Rate limit exceeded"}]}'
    a[3100] = a[3100][:-30]
    with gzip.open(d / "a.jsonl.gz", "wb", compresslevel=1) as f:
        f.write(b"\n".join(a) + b"\n")
    b = list(real[4000:6000]) + list(real[3500:3800])  # overlaps a: duplicates across files
    b[700] = b"\x00" * 512
    (d / "b.jsonl").write_bytes(b"\n".join(b) + b"\n")
    return [str(d / "a.jsonl.gz"), str(d / "b.jsonl")]


def _new_store(db: Path) -> None:
    db.with_name(db.name + ".key").write_text(KEY)


def _child(db: Path, files: list[str], workers: int = 1) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, str(CHILD), str(db), str(workers), str(TX_ROWS), str(CHUNK_BYTES), *files]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )


def _finish(p: subprocess.Popen[str]) -> tuple[float, int]:
    """(seconds, commits) of a child ingest run to its end."""
    out, err = p.communicate(timeout=120)
    assert p.returncode == 0, err
    done = next(line for line in out.splitlines() if line.startswith("done"))
    return float(done.split()[1]), out.count("commit\n")


def _snapshot(db: Path) -> dict:
    with Store(db, read_only=True) as s:
        posts = s.sql("SELECT * FROM posts ORDER BY platform, post_id").to_pylist()
        log = s.sql("SELECT * FROM ingests ORDER BY ingest_id").to_pylist()
        quarantine = s.sql("SELECT * FROM quarantine ORDER BY ingest_id, line").to_pylist()
    latest = {r["file"]: r for r in log}
    per_file = {
        f: {
            "read": r["read"],
            "rejected": r["rejected"],
            "stored": sum(x["stored"] for x in log if x["file"] == f),
            "status": r["status"],
            "quarantine": [
                (q["line"], q["reason"], q["excerpt"]) for q in quarantine if q["ingest_id"] == r["ingest_id"]
            ],
        }
        for f, r in latest.items()
    }
    return {"posts": posts, "files": per_file, "log": log}


def _no_partial_transaction(db: Path) -> None:
    """Every committed count has exactly its rows behind it: nothing half-stored survived the kill."""
    with Store(db, read_only=True) as s:
        log = s.sql("SELECT * FROM ingests ORDER BY ingest_id").to_pylist()
        for r in log:
            assert r["read"] == r["stored"] + r["duplicates"] + r["rejected"], r
            q = s.scalar("SELECT count(*) FROM quarantine WHERE ingest_id = ?", [r["ingest_id"]])
            assert q == r["rejected"], r
        stored = sum(r["stored"] for r in log)
        assert s.scalar("SELECT count(*) FROM posts") == stored


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], dict, int]:
    d = tmp_path_factory.mktemp("kill")
    files = _files(d)
    db = d / "clean.duckdb"
    _new_store(db)
    _, commits = _finish(_child(db, files))
    snap = _snapshot(db)
    assert all(f["status"] == "done" for f in snap["files"].values())
    assert sum(f["rejected"] for f in snap["files"].values()) == 4
    assert commits >= 10  # (4000 + 2300 records) / 400 rows per transaction, give or take a chunk
    return files, snap, commits


def _kill_and_resume(tmp_path: Path, clean: tuple[list[str], dict, int], seed: int) -> bool:
    """Kill after a random number of commits plus a random delay (anywhere: parsing, storing, committing)."""
    files, want, commits = clean
    rng = random.Random(seed)
    db = tmp_path / f"killed-{seed}.duckdb"
    _new_store(db)
    p = _child(db, files, workers=2 if seed % 2 else 1)  # with worker processes, or parsing in-process
    assert p.stdout is not None
    assert p.stdout.readline().strip() == "start"
    target, seen, t_last, gaps = rng.randint(1, commits - 1), 0, time.perf_counter(), []
    while seen < target:
        assert p.stdout.readline().strip() == "commit"
        seen += 1
        now = time.perf_counter()
        gaps.append(now - t_last)
        t_last = now
    time.sleep(rng.uniform(0, 1.5) * sorted(gaps)[len(gaps) // 2])  # up to 1.5 typical commit intervals
    os.kill(p.pid, signal.SIGKILL)  # the ingest process itself, as `kill -9 PID` does
    p.wait()
    with contextlib.suppress(ProcessLookupError):  # then its worker processes, which would otherwise linger
        os.killpg(p.pid, signal.SIGKILL)
    killed_mid_way = p.returncode == -signal.SIGKILL
    _no_partial_transaction(db)
    _finish(_child(db, files))
    got = _snapshot(db)
    assert got["posts"] == want["posts"]
    for f, w in want["files"].items():
        assert got["files"][f] == w, f
    resumed = any((r["message"] or "").startswith("resumed at line") for r in got["log"])
    return killed_mid_way and resumed


RESUMED: dict[int, bool] = {}


@pytest.mark.parametrize("seed", SEEDS)
def test_kill_at_a_random_point_then_rerun_equals_clean_ingest(tmp_path: Path, clean, seed: int) -> None:
    RESUMED[seed] = _kill_and_resume(tmp_path, clean, seed)


def test_the_kills_landed_mid_file_and_reruns_resumed() -> None:
    """The kill tests are only worth something if the re-runs resumed part-way (run after them)."""
    assert sorted(RESUMED) == SEEDS
    # a kill between one file's end and the next file's first commit leaves nothing to resume: allow one
    assert sum(RESUMED.values()) >= len(SEEDS) - 1, RESUMED
