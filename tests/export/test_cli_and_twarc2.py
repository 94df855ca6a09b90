"""The commands people type: ``groundswell export`` and ``twarc2 groundswell ingest``, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from groundswell.privacy.forget import forget
from groundswell.store.duckdb_store import Store

from .conftest import FIXTURES, TWARC2

BIN = Path(sys.executable).parent
TWARC2_FILES = [TWARC2 / "brexit.jsonl", TWARC2 / "2sets.jsonl", TWARC2 / "mentions_tweet.jsonl"]


def run(*args: str | Path, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a command; twarc2 writes ``twarc.log`` into its working directory, so tests pass a temporary one."""
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )


def matched_tweet_ids(files: list[Path]) -> set[str]:
    """Ids of the tweets each page matched (``data``, not ``includes``), read with json alone."""
    ids = set()
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            if line.strip():
                ids.update(t["id"] for t in json.loads(line).get("data", []))
    return ids


def test_twarc2_discovers_the_plugin(tmp_path: Path) -> None:
    r = run(BIN / "twarc2", "--help", cwd=tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    assert "groundswell" in r.stdout.decode()


def test_twarc2_groundswell_ingest_reads_real_twarc2_files(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    r = run(
        BIN / "twarc2", "--bearer-token", "unused", "groundswell", "ingest", *TWARC2_FILES, "--db", db, cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr.decode()
    with Store(db, read_only=True) as store:
        got = set(store.sql("SELECT post_id FROM posts WHERE NOT is_reference").column(0).to_pylist())
    assert got == matched_tweet_ids(TWARC2_FILES)


def test_twarc2_output_piped_into_groundswell_ingest_stdin(tmp_path: Path) -> None:
    """``twarc2 search "#metoo" | groundswell ingest -``: the same pages, arriving on standard input."""
    db = tmp_path / "pipe.duckdb"
    page = b"".join(f.read_bytes() for f in TWARC2_FILES[:2])
    r = run(BIN / "groundswell", "ingest", "-", "--db", db, stdin=page)
    assert r.returncode == 0, r.stderr.decode()
    with Store(db, read_only=True) as store:
        got = set(store.sql("SELECT post_id FROM posts WHERE NOT is_reference").column(0).to_pylist())
    assert got == matched_tweet_ids(TWARC2_FILES[:2])


def test_cli_export_to_stdout_and_file_registers_the_file_for_forget(tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    fixture = FIXTURES / "formula_injection_twarc2.jsonl"
    assert run(BIN / "groundswell", "ingest", fixture, "--db", db).returncode == 0
    r = run(BIN / "groundswell", "export", "--what", "posts", "--db", db)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().count("\r\n") == 6  # header + 5 posts
    out = tmp_path / "posts.parquet"
    r = run(BIN / "groundswell", "export", "--what", "posts", "--format", "parquet", "--out", out, "--db", db)
    assert r.returncode == 0, r.stderr.decode()
    assert len(pd.read_parquet(out)) == 5
    with Store(db) as store:
        assert store.sql("SELECT path FROM exports").column(0).to_pylist() == [str(out.resolve())]
        forget(store, posts=["919659438700670976"])
    assert not out.exists()  # forget removed the export that still held the forgotten post


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five-post formula-injection fixture, ingested once by the real command (read-only tests)."""
    db = tmp_path_factory.mktemp("cli") / "f.duckdb"
    assert run(BIN / "groundswell", "ingest", FIXTURES / "formula_injection_twarc2.jsonl", "--db", db).returncode == 0
    return db


def test_cli_raw_export_says_so_on_stderr(fixture_db: Path) -> None:
    db = fixture_db
    safe = run(BIN / "groundswell", "export", "--what", "magnitude", "--db", db, "--k", "10")
    raw = run(BIN / "groundswell", "export", "--what", "magnitude", "--db", db, "--raw")
    assert "RAW EXPORT" not in safe.stderr.decode()
    assert "RAW EXPORT" in raw.stderr.decode()
    # five authors in one hour: suppressed at k=10, shown raw
    assert '"2017-10-15T20:00:00Z","","","true"' in safe.stdout.decode()
    assert '"2017-10-15T20:00:00Z",5,5\r\n' in raw.stdout.decode()


def test_cli_export_rejects_a_bad_request_with_a_message(fixture_db: Path, tmp_path: Path) -> None:
    db = fixture_db
    r = run(
        BIN / "groundswell",
        "export",
        "--what",
        "magnitude",
        "--format",
        "gexf",
        "--out",
        tmp_path / "x.gexf",
        "--db",
        db,
    )
    assert r.returncode == 2
    assert "gexf is for graphs" in r.stderr.decode()
