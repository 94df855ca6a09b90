"""Ingest's memory cap is where DuckDB starts, not a wall: an insert that outgrows it is retried with more.

At about a million simulated posts the primary-key index outgrew the default cap and the benchmark's ingest
died with DuckDB's "Out of Memory Error" mid-file. Here the cap is set far below what one transaction needs,
so every way through the retry runs on a real file: the aborted transaction is rolled back, the counts do not
move, the cap doubles, and the same rows are stored exactly once.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from groundswell.store.duckdb_store import Store, StoreOutOfMemory
from tests.analytics import stores
from tests.conftest import TWARC2

ingest_module = importlib.import_module("groundswell.ingest")


def test_an_insert_over_the_cap_fails_cleanly_and_the_store_stays_usable(tmp_path: Path) -> None:
    with Store(stores.copy(stores.metoo2017(), "memory-cap")) as store:  # 280,733 posts: a real index
        n = store.scalar("SELECT count(*) FROM posts")
        batch = store.sql("SELECT * FROM posts LIMIT 20000")
        with store.memory_limit(8, headroom_mb=0):
            store.begin()
            with pytest.raises(StoreOutOfMemory, match=r"ran out of its \d+ MB while inserting"):
                store.add_posts(batch)
            store.rollback()
        assert store.scalar("SELECT count(*) FROM posts") == n  # nothing half-written
        store.begin()
        assert store.add_posts(batch) == 0  # usable again: every row is a duplicate
        store.commit()


def test_ingest_doubles_the_cap_until_the_transaction_fits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = TWARC2 / "withheld.jsonl"
    with Store(tmp_path / "reference.duckdb") as store:  # the same file at the default cap (each store has its own key)
        (want,) = ingest_module.ingest([big], store, workers=1)
        assert store.memory_raises == 0
        want_rows = store.sql(
            "SELECT platform, post_id, kind, created_at, is_reference FROM posts ORDER BY ALL"
        ).to_pylist()
    monkeypatch.setattr(ingest_module, "STORE_MEMORY_MB", 6)
    monkeypatch.setattr(ingest_module, "STORE_HEADROOM_MB", 0)
    with Store(tmp_path / "small-cap.duckdb") as store:
        (got,) = ingest_module.ingest([big], store, workers=1)
        assert got.error is None
        assert store.memory_raises >= 1  # 6 MB → 12 → … until the transaction fits
        assert store.memory_floor_mb == 6 * 2**store.memory_raises
        assert (
            got.counts == want.counts
            and got.counts.read == got.counts.stored + got.counts.duplicates + got.counts.rejected
        )
        assert (
            store.sql("SELECT platform, post_id, kind, created_at, is_reference FROM posts ORDER BY ALL").to_pylist()
            == want_rows
        )
        logged = store.sql("SELECT read, stored, duplicates, rejected FROM ingests").to_pylist()
        c = got.counts
        assert logged == [{"read": c.read, "stored": c.stored, "duplicates": c.duplicates, "rejected": c.rejected}]


def test_every_connection_purges_what_queries_freed(tmp_path: Path) -> None:
    """A report or the dashboard runs many queries in one process: freed memory must go back to the system."""
    path = tmp_path / "purge.duckdb"
    with Store(path) as store:
        assert store.scalar("SELECT current_setting('allocator_background_threads')") is True
    with Store(path, read_only=True) as store:
        assert store.scalar("SELECT current_setting('allocator_background_threads')") is True
        assert store.scalar("SELECT current_setting('preserve_insertion_order')") is False
