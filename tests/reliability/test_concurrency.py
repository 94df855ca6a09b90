"""Two processes, one store: DuckDB allows one writer and, while it writes, no readers. Never corruption.

* a second ingest fails at once with a clear message naming the store and the holder's PID; the first
  completes and the store is intact;
* with ``--wait`` the second ingest queues behind the first instead and then completes;
* a reader (stats, report, dashboard) cannot open the store while an ingest writes: clear message;
* an ingest cannot start while a reader holds the store open: clear message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from groundswell.store.duckdb_store import Store, StoreError
from tests.reliability.conftest import metoo_archive

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().with_name("ingest_child.py")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return metoo_archive(tmp_path_factory.mktemp("conc") / "part.jsonl.gz", 3000)


def _slow_ingest(db: Path, archive: Path) -> subprocess.Popen[str]:
    """An ingest with many small transactions, started and known to hold the store when this returns."""
    cmd = [sys.executable, str(CHILD), str(db), "1", "100", str(16 << 10), str(archive)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    assert p.stdout is not None and p.stdout.readline().strip() == "start"
    return p


def _gs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "groundswell", *args], capture_output=True, text=True, env=_env(), timeout=180
    )


def _finished(p: subprocess.Popen[str]) -> str:
    out, err = p.communicate(timeout=180)
    assert p.returncode == 0, err
    return out


def test_second_ingest_fails_cleanly_first_completes(tmp_path: Path, archive: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = _slow_ingest(db, archive)
    second = _gs("ingest", str(archive), "--db", str(db))
    assert second.returncode == 2
    assert str(db) in second.stderr and "open for writing by another process" in second.stderr
    assert f"PID {first.pid}" in second.stderr.replace("\n", " ")
    out = _finished(first)
    assert "file" in out
    with Store(db, read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM posts") == 3000
        assert s.sql("SELECT status, read, stored FROM ingests").to_pylist() == [
            {"status": "done", "read": 3000, "stored": 3000}
        ]


def test_second_ingest_with_wait_queues_behind_the_first(tmp_path: Path, archive: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = _slow_ingest(db, archive)
    second = _gs("ingest", str(archive), "--db", str(db), "--wait", "150", "--workers", "1")
    _finished(first)
    assert second.returncode == 0, second.stderr
    assert "read 3000 = stored 0 + duplicates 3000 + rejected 0" in second.stdout.replace(",", "")


def test_reader_cannot_open_while_an_ingest_writes(tmp_path: Path, archive: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = _slow_ingest(db, archive)
    try:
        with pytest.raises(StoreError) as e:
            Store(db, read_only=True)
        assert "being written by another process" in str(e.value) and f"PID {first.pid}" in str(e.value)
        stats = _gs("stats", "--db", str(db))
        assert stats.returncode != 0 and "being written by another process" in stats.stderr.replace("\n", " ")
    finally:
        _finished(first)
    with Store(db, read_only=True) as s:  # and once the writer is done, reading works
        assert s.scalar("SELECT count(*) FROM posts") == 3000


def test_ingest_cannot_start_while_a_reader_holds_the_store(tmp_path: Path, archive: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as s:
        s.pseudonym_key()
    code = "import sys,time\nfrom groundswell.store.duckdb_store import Store\ns = Store(sys.argv[1], read_only=True)\nprint('open', flush=True)\ntime.sleep(60)\n"
    reader = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True, env=_env())
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
        t0 = time.perf_counter()
        p = _gs("ingest", str(archive), "--db", str(db))
        assert p.returncode == 2 and time.perf_counter() - t0 < 60
        assert "open read-only by another process" in p.stderr.replace("\n", " ")
    finally:
        reader.kill()
        reader.wait()
    with Store(db, read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM posts") == 0
