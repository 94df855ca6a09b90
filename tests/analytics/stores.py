"""Stores the magnitude, timeline, origin, CLI and report tests share, each built once per test process.

Every store is made the way a user makes one: files written in real platform formats (by the simulator, or the
shared 2017 archive read in place), then ``groundswell.ingest``. Built lazily and cached, so a test folder that
needs the real archive pays for its ingest once, whichever folder's tests ask first.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import tempfile
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from groundswell.ingest import ingest
from groundswell.simulate import SimConfig, Truth, simulate
from groundswell.store.duckdb_store import Store

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"

_ROOT = Path(tempfile.mkdtemp(prefix="gs-magnitude-tests-"))
atexit.register(shutil.rmtree, _ROOT, ignore_errors=True)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("truth.json", "parents.parquet"))


def _ingest(files: list[Path], db: Path) -> Path:
    with Store(db) as store:
        results = ingest(files, store, workers=1)
    assert all(r.error is None and r.counts.reconciles() for r in results), results
    return db


@cache
def simulated(name: str, **config: object) -> tuple[Path, Truth]:
    """A simulated movement written to files and ingested: (store path, truth)."""
    out = _ROOT / name
    truth = simulate(SimConfig(**config), out)  # type: ignore[arg-type]
    return _ingest(_files(out), _ROOT / f"{name}.duckdb"), truth


def multi_platform() -> tuple[Path, Truth]:
    """Four thousand posts on Twitter, Reddit and Mastodon over three days, onset 20:21 UTC on 15 Oct 2017."""
    return simulated("multi", posts=4000, platforms=("twitter", "reddit", "mastodon"), seed=11)


@cache
def revival() -> tuple[Path, list[Truth]]:
    """A hashtag in sparse use for two years (2015-2017), then the 2017 wave: two simulated runs in one store."""
    sparse = simulate(
        SimConfig(posts=150, seed=21, start=datetime(2015, 10, 1, tzinfo=UTC), hours=2 * 365 * 24.0, chunk_hours=720.0),
        _ROOT / "revival-sparse",
    )
    wave = simulate(SimConfig(posts=3000, seed=22), _ROOT / "revival-wave")
    db = _ingest(_files(_ROOT / "revival-sparse") + _files(_ROOT / "revival-wave"), _ROOT / "revival.duckdb")
    return db, [sparse, wave]


@cache
def metoo2017() -> Path:
    """The real 280,733-tweet #MeToo sample, ingested once per test run.

    Under pytest-xdist every worker of one run shares the same store (the first to ask ingests it under a
    file lock, the others wait and then open it read-only): ingesting the whole archive is the suite's most
    expensive step, and doing it once per worker would double it. Tests that change a store use ``copy``.
    """
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    shared = Path(tempfile.gettempdir()) / f"gs-tests-{run}" if run else _ROOT
    shared.mkdir(parents=True, exist_ok=True)
    db = shared / "metoo2017.duckdb"
    with open(shared / "metoo2017.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (shared / "metoo2017.done").exists():
                for stale in (db, db.with_name(db.name + ".wal"), db.with_name(db.name + ".key")):
                    stale.unlink(missing_ok=True)
                with Store(db) as store:
                    results = ingest([METOO], store, workers=2)
                assert results[0].error is None and results[0].counts.stored == 280_733, results
                (shared / "metoo2017.done").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return db


def copy(db: Path, name: str) -> Path:
    """A private copy of a store (with its key) for a test that changes it."""
    dest = _ROOT / f"{name}.duckdb"
    shutil.copy(db, dest)
    shutil.copy(db.with_name(db.name + ".key"), dest.with_name(dest.name + ".key"))
    return dest
