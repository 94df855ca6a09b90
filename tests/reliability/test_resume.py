"""Ctrl-C mid-ingest, in-process: the row says ``interrupted``, the re-run resumes, or restarts safely.

The kill -9 test (test_kill_resume.py) covers crashes; this one covers the other ways an ingest stops and
the case where resuming is impossible because the file no longer cuts into the same chunks.
"""

from __future__ import annotations

import contextlib
import gzip
from pathlib import Path

import pytest

from groundswell.ingest import ingest
from groundswell.sources.base import LineReader
from groundswell.store.duckdb_store import Store
from tests.reliability.conftest import metoo_lines

KEY = "c0ffee" * 10 + "c0ff"


def _archive(d: Path) -> Path:
    p = d / "part.jsonl.gz"
    lines = list(metoo_lines(3000))
    lines[1234] = lines[1234][:50]  # one reject, so the quarantine is compared too
    with gzip.open(p, "wb", compresslevel=1) as f:
        f.write(b"\n".join(lines) + b"\n")
    return p


def _store(path: Path) -> Store:
    path.with_name(path.name + ".key").write_text(KEY)
    return Store(path)


def _ctrl_c_at_commit(store: Store, n: int) -> None:
    """Ctrl-C arriving as the n-th transaction is about to commit: it must roll back, counts and all."""
    commit, calls = store.commit, 0

    def interrupted_commit() -> None:
        nonlocal calls
        calls += 1
        if calls == n:
            raise KeyboardInterrupt
        commit()

    store.commit = interrupted_commit  # type: ignore[method-assign]


def _rows(store: Store) -> tuple[list[dict], list[dict]]:
    posts = store.sql("SELECT * FROM posts ORDER BY post_id").to_pylist()
    q = store.sql("SELECT file, line, reason, excerpt FROM quarantine ORDER BY line").to_pylist()
    return posts, q


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LineReader, "chunk_bytes", 64 << 10)


def test_ctrl_c_then_rerun_resumes_and_equals_clean(tmp_path: Path, small_chunks: None) -> None:
    src = _archive(tmp_path)
    with _store(tmp_path / "clean.duckdb") as clean:
        (want,) = ingest([src], clean, workers=1, tx_rows=300)
        want_rows = _rows(clean)
    with _store(tmp_path / "s.duckdb") as store:
        _ctrl_c_at_commit(store, 5)
        with pytest.raises(KeyboardInterrupt):
            ingest([src], store, workers=1, tx_rows=300)
        (row,) = store.sql("SELECT status, read, stored, rejected, resume_line FROM ingests").to_pylist()
        assert row["status"] == "interrupted" and 0 < row["read"] < want.counts.read
        assert row["read"] == row["resume_line"] - 1  # 4 transactions, every record of their lines, no more
        assert store.scalar("SELECT count(*) FROM posts") == row["stored"]
        (got,) = ingest([src], store, workers=1, tx_rows=300)
        assert got.resumed_at == row["resume_line"] and got.note and "resumed at line" in got.note
        assert (got.counts.read, got.counts.stored, got.counts.rejected) == (
            want.counts.read,
            want.counts.stored,
            want.counts.rejected,
        )
        assert got.counts.reasons == want.counts.reasons
        assert store.sql("SELECT status FROM ingests").to_pylist() == [{"status": "done"}]
        assert _rows(store) == want_rows


def test_a_file_that_no_longer_cuts_the_same_way_is_read_afresh(
    tmp_path: Path, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _archive(tmp_path)
    with _store(tmp_path / "clean.duckdb") as clean:
        (want,) = ingest([src], clean, workers=1, tx_rows=300)
        want_posts = _rows(clean)[0]
    with _store(tmp_path / "s.duckdb") as store:
        _ctrl_c_at_commit(store, 5)
        with contextlib.suppress(KeyboardInterrupt):
            ingest([src], store, workers=1, tx_rows=300)
        stored_before = store.scalar("SELECT stored FROM ingests")
        monkeypatch.setattr(LineReader, "chunk_bytes", 40 << 10)  # e.g. a newer groundswell cuts differently
        (got,) = ingest([src], store, workers=1, tx_rows=300)
        log = store.sql("SELECT status, message FROM ingests ORDER BY ingest_id").to_pylist()
        assert log[0]["status"] == "abandoned" and log[0]["message"].startswith("could not resume")
        assert log[1]["status"] == "done" and got.resumed_at is None
        # read afresh: what the abandoned run stored now counts as duplicates, nothing is doubled
        assert got.counts.read == want.counts.read
        assert (got.counts.stored, got.counts.duplicates) == (want.counts.stored - stored_before, stored_before)
        assert _rows(store)[0] == want_posts
