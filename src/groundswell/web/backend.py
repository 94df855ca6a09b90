"""The server's hold on the store: one DuckDB writer, cursors for readers, one thread for writes.

DuckDB lets one *process* write a database file. So the web server is that process: it opens the store
read-write once, and everything that changes data (a browser upload, ``forget``, a live watch) is queued to
a single writer thread that works through its own cursor. Every request reads through a fresh cursor of the
same connection: DuckDB's MVCC gives each cursor a consistent snapshot, so pages keep answering from the last
committed data while an ingest is writing (ingest commits in bounded transactions, so figures grow as it goes).

A consequence, stated in the docs: while ``serve`` runs, ``groundswell ingest`` on the same store from another
process fails with the store's "open for writing by another process" message. Upload through the server, or
stop it first.

Aggregates are cached per data version: the version moves only when the writer commits, so a cached figure is
never staler than the data. While a write is running the cache is bypassed (the data is moving under it).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from groundswell.ingest import FileResult, ingest
from groundswell.store.duckdb_store import Store

T = TypeVar("T")
CACHE_ENTRIES = 256


@dataclass(frozen=True)
class Forgotten:
    """What a ``forget`` removed."""

    posts: int
    platform: str
    requested: int


class Backend:
    """Owns one store for the life of the server."""

    def __init__(self, db: str | os.PathLike[str], *, cache: bool = True) -> None:
        self.path = Path(db)
        self.store = Store(self.path)
        self.cache_enabled = cache
        self.version = 0
        self._writing = 0
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._flights: dict[tuple[Any, ...], Future[Any]] = {}
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="groundswell-writer")

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self.store.close()

    # -- reading -----------------------------------------------------------------------------------
    @contextmanager
    def reader(self) -> Iterator[Store]:
        s = self.store.on_new_cursor()
        try:
            yield s
        finally:
            s.con.close()

    def cached(self, key: tuple[Any, ...], compute: Callable[[Store], T]) -> T:
        """``compute(store)`` for ``key`` at the current data version, computed once per version.

        Concurrent requests for a figure not yet cached wait for the one computation already running
        ("single flight") instead of each starting their own: 50 dashboards opened after an ingest cost one
        query, not fifty.
        """
        with self._lock:
            use = self.cache_enabled and not self._writing
            full = (self.version, *key)
            if use and full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
            flight = self._flights.get(full) if use else None
            owner = use and flight is None
            if owner:
                flight = self._flights[full] = Future()
        if flight is not None and not owner:
            return flight.result()
        try:
            with self.reader() as s:
                value = compute(s)
        except BaseException as e:
            if flight is not None:
                flight.set_exception(e)
            raise
        finally:
            if owner:
                with self._lock:
                    self._flights.pop(full, None)
        if flight is not None:
            flight.set_result(value)
            with self._lock:
                if self.version == full[0] and not self._writing:
                    self._cache[full] = value
                    while len(self._cache) > CACHE_ENTRIES:
                        self._cache.popitem(last=False)
        return value

    # -- writing -----------------------------------------------------------------------------------
    def _write(self, job: Callable[[Store], T]) -> T:
        def run() -> T:
            with self._lock:
                self._writing += 1
            s = self.store.on_new_cursor()
            try:
                return job(s)
            finally:
                s.con.close()
                with self._lock:
                    self._writing -= 1
                    self.version += 1
                    self._cache.clear()

        return self._writer.submit(run).result()

    def ingest(self, paths: Sequence[str | os.PathLike[str]], *, fmt: str | None = None) -> list[FileResult]:
        """Ingest files through the server's writer (the same readers and reconciliation as the CLI)."""
        return self._write(lambda s: ingest(paths, s, fmt=fmt, workers=1))

    def forget(self, platform: str, post_ids: Sequence[str]) -> Forgotten:
        """Delete posts by platform and id (a takedown or a compliance request) in one transaction."""
        ids = sorted({p.strip() for p in post_ids if p.strip()})

        def job(s: Store) -> Forgotten:
            if not ids:
                return Forgotten(0, platform, 0)
            s.begin()
            try:
                n = 0
                for i in range(0, len(ids), 1000):
                    part = ids[i : i + 1000]
                    marks = ", ".join("?" * len(part))
                    row = s.con.execute(
                        f"DELETE FROM posts WHERE platform = ? AND post_id IN ({marks})", [platform, *part]
                    ).fetchone()
                    n += int(row[0]) if row else 0
                s.commit()
            except BaseException:
                s.rollback()
                raise
            return Forgotten(n, platform, len(ids))

        return self._write(job)

    @property
    def writing(self) -> bool:
        return self._writing > 0
