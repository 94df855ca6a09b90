"""Ingest: files → readers → enrich → store, on every core, with every record accounted for.

The main process opens and decompresses the input, cuts it into chunks (cheap: it only finds record
boundaries) and writes to DuckDB; worker processes parse and enrich chunks in parallel. Results come back in
file order, so provenance and "first copy wins" deduplication are deterministic. At most ``2 × workers``
chunks are in flight, which keeps memory flat whatever the file size.

Parsed chunks are stored in bounded transactions (``TX_ROWS``) together with their quarantine rows and the
running counts in ``ingests``: a crash loses at most the transaction in flight, never half of one.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import pyarrow as pa

from groundswell.enrich.pipeline import EnrichContext, enrich
from groundswell.movements.config import store_movements
from groundswell.privacy.pseudonyms import PrivacySettings
from groundswell.sources.base import Chunk, Parsed, Reader, Reject
from groundswell.sources.io import InputError, open_input
from groundswell.sources.registry import UnknownFormat, detect, reader_named
from groundswell.store.duckdb_store import IngestCounts, Store

#: below this many (compressed) bytes a file is parsed in-process: starting workers costs more than it saves
PARALLEL_MIN_BYTES = 8 << 20


@dataclass
class FileResult:
    file: str
    format: str | None
    counts: IngestCounts = field(default_factory=IngestCounts)
    error: str | None = None  # fatal: the file could not be read at all
    note: str | None = None  # not fatal: e.g. "empty file"


def _work(reader: Reader, chunk: Chunk, ctx: EnrichContext) -> Parsed:
    parsed = reader.parse(chunk)
    parsed.posts = enrich(parsed.posts, ctx)
    return parsed


class _Pool:
    """A lazily started process pool, shared by all files of one ingest call."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._ex: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self._ex is None:
            self._ex = ProcessPoolExecutor(self.workers, mp_context=get_context("forkserver"))
        return self._ex

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(cancel_futures=True)


def _results(reader: Reader, chunks: Iterator[Chunk], ctx: EnrichContext, pool: _Pool | None) -> Iterator[Parsed]:
    if pool is None:
        for c in chunks:
            yield _work(reader, c, ctx)
        return
    ex = pool.get()
    window: deque[Future[Parsed]] = deque()
    for c in chunks:
        window.append(ex.submit(_work, reader, c, ctx))
        if len(window) >= 2 * pool.workers:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    fmt: str | None = None,
    workers: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    classify: bool = False,
) -> list[FileResult]:
    """Ingest files (``-`` for stdin) into ``store``; return one result per file.

    A file that cannot be read at all is reported with ``error`` and ingest goes on with the next file;
    bad records inside a readable file are quarantined, never fatal.
    """
    ctx = EnrichContext(
        key=store.pseudonym_key(),
        privacy=PrivacySettings.from_dict(store.privacy_settings()),
        movements=store_movements(store),
        participation=classify,
    )
    n_workers = workers if workers is not None else max(1, os.cpu_count() or 1)
    pool = _Pool(n_workers) if n_workers > 1 else None
    results = []
    try:
        for path in paths:
            res = _ingest_one(str(path), store, ctx, fmt, pool, on_bytes)
            results.append(res)
            if on_file:
                on_file(res)
    finally:
        if pool:
            pool.close()
    return results


def _ingest_one(
    path: str,
    store: Store,
    ctx: EnrichContext,
    fmt: str | None,
    pool: _Pool | None,
    on_bytes: Callable[[int], None] | None,
) -> FileResult:
    try:
        opened = open_input(path, on_bytes)
    except InputError as e:
        return FileResult(path, None, error=str(e))
    name = path if path == "-" else str(Path(path))
    try:
        if not opened.head.strip():
            counts = IngestCounts()
            iid = store.begin_ingest(name, fmt or "", opened.compression, opened.size)
            opened.stream.read()
            store.finish_ingest(iid, counts, opened.sha256, "done", "empty file")
            return FileResult(name, fmt, counts, note="empty file")
        try:
            reader_cls = reader_named(fmt) if fmt else detect(opened.head, name)
        except UnknownFormat as e:
            return FileResult(name, None, error=str(e))
        reader = reader_cls()
        counts = IngestCounts()
        iid = store.begin_ingest(name, reader.name, opened.compression, opened.size)
        big = opened.size is None or opened.size >= PARALLEL_MIN_BYTES
        tx = _Transaction(store, iid, counts)
        try:
            for parsed in _results(reader, reader.chunks(opened.stream, name), ctx, pool if big else None):
                tx.add(parsed)
            tx.flush()
        except (OSError, EOFError) as e:
            # a truncated or corrupt compressed stream: keep what was read, say where it stopped
            tx.flush()
            msg = f"{name}: input ended early ({e}); {counts.read} records read before that"
            store.finish_ingest(iid, counts, None, "truncated", msg)
            return FileResult(name, reader.name, counts, error=msg)
        except Exception as e:  # record the failure in the log before surfacing it
            store.finish_ingest(iid, counts, None, "failed", f"{type(e).__name__}: {e}")
            raise
        opened.stream.read()  # drain, so the hash covers the whole file
        store.finish_ingest(iid, counts, opened.sha256)
        return FileResult(name, reader.name, counts)
    finally:
        opened.close()


#: rows per store transaction: large enough for DuckDB's bulk path, small enough to bound memory and the
#: work a crash can lose
TX_ROWS = 50_000


class _Transaction:
    """Groups parsed chunks into bounded transactions; counts move only when their rows commit."""

    def __init__(self, store: Store, iid: int, counts: IngestCounts) -> None:
        self.store, self.iid, self.counts = store, iid, counts
        self.pending: list[Parsed] = []
        self.rows = 0

    def add(self, parsed: Parsed) -> None:
        self.pending.append(parsed)
        self.rows += parsed.posts.num_rows + len(parsed.rejects)
        if self.rows >= TX_ROWS:
            self.flush()

    def flush(self, before_commit: Callable[[Store], None] | None = None) -> None:
        """Commit the pending chunks; ``before_commit`` writes more rows (live cursors) in the same transaction."""
        if not self.pending:
            return
        store, counts = self.store, self.counts
        batches = [p.posts for p in self.pending if p.posts.num_rows]
        rejects = [r for p in self.pending for r in p.rejects]
        store.begin()
        try:
            stored = store.add_posts(pa.Table.from_batches(batches)) if batches else 0
            store.add_rejects(self.iid, _redacted(rejects))
            n_posts = sum(b.num_rows for b in batches)
            counts.read += sum(p.n_records for p in self.pending)
            counts.stored += stored
            counts.duplicates += n_posts - stored
            counts.rejected += len(rejects)
            counts.primary += sum(p.n_primary for p in self.pending)
            for r in rejects:
                reason = r.reason.split(":")[0]
                counts.reasons[reason] = counts.reasons.get(reason, 0) + 1
            store.update_ingest_counts(self.iid, counts)
            if before_commit is not None:
                before_commit(store)
            store.commit()
        except BaseException:
            store.rollback()
            raise
        self.pending.clear()
        self.rows = 0


def store_parsed(
    store: Store,
    iid: int,
    counts: IngestCounts,
    parsed: Iterable[Parsed],
    before_commit: Callable[[Store], None] | None = None,
) -> None:
    """Store parsed (and enriched) chunks in one transaction, exactly as file ingest does.

    The live watcher feeds micro-batches through here so that a post arriving by websocket is stored, counted
    and quarantined the same way as one read from a file; ``before_commit`` lets it save its stream cursor in
    the same transaction, so a crash can never keep the posts and lose the cursor or the other way round.
    """
    tx = _Transaction(store, iid, counts)
    tx.pending.extend(parsed)
    tx.flush(before_commit)


def _redacted(rejects: list[Reject]) -> list[Reject]:
    """Quarantine excerpts are raw input: strip what identifies people before it is stored."""
    from groundswell.privacy.pseudonyms import MENTION

    return [Reject(r.source, r.line, r.reason, MENTION.sub("@[user]", r.excerpt)) for r in rejects]
