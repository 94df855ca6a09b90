"""Helpers shared by the live tests: run a watcher against the replay server until a condition holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from groundswell.live import Watcher
from groundswell.store.duckdb_store import Store

KEY = "ab" * 32  # one pseudonym key for stores that are compared row for row


def open_store(path: Path) -> Store:
    key = path.with_name(path.name + ".key")
    if not key.exists():
        key.write_text(KEY)
    return Store(path)


def watch_until(watcher: Watcher, done: Callable[[], bool], timeout: float = 40.0) -> float:
    """Run ``watcher`` until ``done()`` (checked every 20 ms) or ``timeout``; return the seconds it took."""

    async def main() -> float:
        stop = asyncio.Event()
        task = asyncio.create_task(watcher.run(stop))
        t0 = time.perf_counter()
        while not done() and time.perf_counter() - t0 < timeout and not task.done():
            await asyncio.sleep(0.02)
        stop.set()
        await task
        return time.perf_counter() - t0

    return asyncio.run(main())


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "live.duckdb"
