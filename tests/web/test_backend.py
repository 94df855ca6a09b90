"""The server's hold on the store: one computation per figure and data version, invalidated by every write."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store
from groundswell.web.backend import Backend
from tests.web.conftest import write_xss_posts


def _backend(tmp_path: Path) -> Backend:
    db = tmp_path / "b.duckdb"
    with Store(db) as s:
        ingest([write_xss_posts(tmp_path / "p.jsonl")], s, workers=1)
    return Backend(db)


def test_concurrent_misses_share_one_computation_until_a_write(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    calls = []

    def count(s: Store) -> int:
        calls.append(1)
        time.sleep(0.3)  # long enough for every thread to arrive while it runs
        return s.scalar("SELECT count(*) FROM posts")

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(backend.cached(("n",), count))) for _ in range(12)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [2] * 12 and len(calls) == 1
        assert backend.cached(("n",), count) == 2 and len(calls) == 1
        gone = backend.forget("twitter", ["990000000000000001"])
        assert gone.posts == 1
        assert backend.cached(("n",), count) == 1 and len(calls) == 2  # the write moved the data version
    finally:
        backend.close()


def test_a_failed_computation_is_not_cached(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    try:
        for _ in range(2):
            try:
                backend.cached(("bad",), lambda s: s.scalar("SELECT no_such_column FROM posts"))
            except Exception as e:
                assert "no_such_column" in str(e)
            else:
                raise AssertionError("the failing query did not fail")
        assert backend.cached(("bad",), lambda s: 7) == 7
    finally:
        backend.close()
