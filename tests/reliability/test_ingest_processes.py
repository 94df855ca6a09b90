"""What an ingest loads into its processes: not pandas (48 MB each) where the process only ingests, and never
a change to what the caller's own process can do.

Each case runs in a fresh interpreter: the test process itself has long since imported pandas.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.conftest import metoo_archive

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return metoo_archive(tmp_path_factory.mktemp("procs") / "part.jsonl.gz", 2000)


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_pyarrow_loads_pandas_unless_told_not_to() -> None:
    touch = "import sys, pyarrow as pa; pa.table({'a': [1, 2]}); print('pandas' in sys.modules)"
    assert _python(touch) == "True"  # the cost this avoids is real
    assert _python("from groundswell.enrich.work import worker_start; worker_start(); " + touch) == "False"


def test_the_ingest_command_runs_without_pandas(archive: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from groundswell.cli import app; "
        f"app(['ingest', {str(archive)!r}, '--db', {str(tmp_path / 'gs.duckdb')!r}, '--workers', '2', '--classify'], "
        "standalone_mode=False); "
        "from groundswell.store.duckdb_store import Store; "
        f"s = Store({str(tmp_path / 'gs.duckdb')!r}, read_only=True); "
        "print(s.scalar('SELECT count(*) FROM posts WHERE participation IS NOT NULL'), 'pandas' in sys.modules)"
    )
    assert _python(code) == "2000 False"


def test_the_library_leaves_the_callers_pandas_alone(archive: Path, tmp_path: Path) -> None:
    code = (
        "from groundswell.ingest import ingest; from groundswell.store.duckdb_store import Store; "
        f"s = Store({str(tmp_path / 'gs.duckdb')!r}); (r,) = ingest([{str(archive)!r}], s, workers=2); "
        "print(r.counts.stored, len(s.sql('SELECT post_id FROM posts').to_pandas()))"
    )
    assert _python(code) == "2000 2000"
