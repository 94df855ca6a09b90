"""Ingest: files → readers → enrich → store, on every core, with every record accounted for.

The main process opens and decompresses the input, cuts it into chunks (cheap: it only finds record
boundaries) and writes to DuckDB; ``workers - 1`` worker processes parse and enrich chunks in parallel, and
the main process parses one itself whenever they already have their fill. Results come back in file order,
so provenance and "first copy wins" deduplication are deterministic. At most ``2 × (workers - 1)`` chunks
wait for the workers, and DuckDB's memory is capped while ingesting (``STORE_MEMORY_MB``), which keeps
memory flat whatever the size of the file or of the store.

Parsed chunks are stored in bounded transactions (``TX_ROWS``) together with their quarantine rows and the
running counts in ``ingests``: a crash loses at most the transaction in flight, never half of one.

Each commit also records how far the file got: the number of chunks stored and where the next chunk starts
(line and decompressed byte offset). Running the same command again after a crash, ``kill -9`` or Ctrl-C
*resumes*: the unfinished ``ingests`` row of the same file (same name, format, size and first MiB) is
continued, the chunks already stored are cut again but neither parsed, enriched nor stored (the file is
still read through, because gzip cannot seek and the content hash covers every byte), and the counts carry
on from the committed ones. Chunking is deterministic, and the position of the last skipped chunk must match
the one recorded, or the old row is closed as ``abandoned`` and the file read afresh (its stored posts then
count as duplicates). The transaction in flight at the crash rolled back, so nothing it held exists twice.

A compressed file that breaks off keeps every record before the break and is not a fatal error: the file
was readable, what it held is stored, and re-running cannot bring back bytes that are not there. The
``ingests`` row says ``truncated`` with where it stopped, ``FileResult.note`` says it, and the CLI prints it
as a warning. Fatal (``FileResult.error``, non-zero exit) is reserved for files of which nothing can be
read: missing, a directory, not a known format, a corrupt container header.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import BinaryIO

import orjson
import pyarrow as pa

from groundswell.enrich.pipeline import EnrichContext
from groundswell.enrich.work import POOL, parse_and_enrich, worker_start
from groundswell.movements.config import store_movements
from groundswell.privacy.pseudonyms import PrivacySettings
from groundswell.sources.base import Chunk, Parsed, Reader, Reject
from groundswell.sources.io import SNIFF_BYTES, InputError, open_input
from groundswell.sources.registry import UnknownFormat, detect, reader_named
from groundswell.store.duckdb_store import DEFAULT_HEADROOM_MB, IngestCounts, Resumable, Store, StoreOutOfMemory

#: below this many (compressed) bytes a file is parsed in-process: starting workers costs more than it saves
PARALLEL_MIN_BYTES = 8 << 20


@dataclass
class FileResult:
    file: str
    format: str | None
    counts: IngestCounts = field(default_factory=IngestCounts)
    error: str | None = None  # fatal: the file could not be read at all
    note: str | None = None  # not fatal: e.g. "empty file", a compressed stream that breaks off
    resumed_at: int | None = None  # line (record) an interrupted ingest of this file was resumed at
    broken: str | None = None  # the compressed stream broke off here (records before it were kept)


#: (chunks, next line, next decompressed offset): where the file stands after a chunk
Position = tuple[int, int, int]


class _Pool:
    """A lazily started process pool, shared by all files of one ingest call.

    ``workers`` counts every process that parses, the main one included: the main process parses a chunk
    itself whenever the pool already has its fill, so on 2 cores one worker process and the main process
    share the parsing (and the main process's own work, cutting chunks and writing DuckDB, fits between).
    One process fewer is a whole Python + Arrow image (~200 MB) less, and no third process competes for
    two cores.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.processes = max(1, workers - 1)
        self._ex: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self._ex is None:
            self._ex = ProcessPoolExecutor(
                self.processes, mp_context=get_context("forkserver"), initializer=worker_start
            )
        return self._ex

    def close(self) -> None:
        if self._ex is not None:
            self._ex.shutdown(cancel_futures=True)


def _results(
    reader: Reader, chunks: Iterator[Chunk], ctx: EnrichContext, pool: _Pool | None
) -> Iterator[tuple[Parsed, Chunk]]:
    """Parsed chunks in file order, each with its chunk (data dropped: only its position is needed).

    At most ``2 × processes`` chunks wait in the pool; a chunk that finds the pool full is parsed here, in
    the main process, so memory stays bounded and no core idles.
    """
    if pool is None:
        for c in chunks:
            yield parse_and_enrich(reader, c, ctx), _position_only(c)
        return
    ex = pool.get()
    limit = 2 * pool.processes
    window: deque[tuple[Future[Parsed] | Parsed, Chunk]] = deque()
    in_pool = 0
    for c in chunks:
        if in_pool < limit:
            window.append((ex.submit(parse_and_enrich, reader, c, ctx), _position_only(c)))
            in_pool += 1
        else:
            window.append((parse_and_enrich(reader, c, ctx), _position_only(c)))
        # hand on, in file order, whatever is ready; wait for the oldest when the window is full
        while window and (_ready(window[0][0]) or len(window) > limit + 1):
            item, pos = window.popleft()
            if isinstance(item, Future):
                in_pool -= 1
                item = item.result()
            yield item, pos
    while window:
        item, pos = window.popleft()
        yield item.result() if isinstance(item, Future) else item, pos


def _ready(item: Future[Parsed] | Parsed) -> bool:
    return not isinstance(item, Future) or item.done()


def _position_only(c: Chunk) -> Chunk:
    return Chunk(None, c.source, c.first_line, c.byte_offset, end_line=c.end_line, end_offset=c.end_offset)


class _CannotResume(Exception):
    pass


def _skip(chunks: Iterator[Chunk], prior: Resumable) -> Iterator[Chunk]:
    """Drop the chunks an interrupted ingest already stored, checking that they end where it recorded."""
    n = 0
    for c in chunks:
        if n < prior.chunks:
            n += 1
            if n == prior.chunks and (c.end_line, c.end_offset) != (prior.line, prior.offset):
                raise _CannotResume(
                    f"chunk {n} ends at line {c.end_line}, offset {c.end_offset}, but the interrupted ingest "
                    f"recorded line {prior.line}, offset {prior.offset}"
                )
            continue
        yield c
    if n < prior.chunks:
        raise _CannotResume(f"the file has {n} chunks now, the interrupted ingest had stored {prior.chunks}")


def expand(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Folders become the files below them (sorted, hidden files skipped): archives arrive as folders of
    mixed exports, and each file's format is detected on its own.

    A folder ``groundswell simulate`` wrote holds its ground truth beside the posts (``truth.json`` and a
    ``parents.parquet`` sidecar): they describe the posts and are not posts, so they are left out, and
    ``ingest SIMULATED_FOLDER`` stores the movement instead of reporting two unreadable files. A file named
    only by itself is always read, so ``ingest truth.json`` still says it holds no posts."""
    out: list[str] = []
    for p in paths:
        if str(p) != "-" and Path(p).is_dir():
            truth = _simulator_truth(Path(p))
            out += [
                str(f)
                for f in sorted(Path(p).rglob("*"))
                if f.is_file() and f not in truth and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
        else:
            out.append(str(p))
    return out


def _simulator_truth(folder: Path) -> set[Path]:
    """The ground-truth files of a simulated movement at the top of ``folder`` (none if it is not one)."""
    path = folder / "truth.json"
    try:
        truth = orjson.loads(path.read_bytes()) if path.is_file() and path.stat().st_size < 1 << 30 else None
    except (OSError, orjson.JSONDecodeError):
        return set()
    if not isinstance(truth, dict) or not {"movement", "seed", "onsets", "branching_ratio"} <= truth.keys():
        return set()
    sidecar = truth.get("parents_file")
    return {path} | ({folder / sidecar} if isinstance(sidecar, str) and "/" not in sidecar else set())


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    fmt: str | None = None,
    workers: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    classify: bool = False,
    max_line_bytes: int | None = None,
    tx_rows: int | None = None,
    resume: bool = True,
) -> list[FileResult]:
    """Ingest files (``-`` for stdin) into ``store``; return one result per file.

    A file that cannot be read at all is reported with ``error`` and ingest goes on with the next file;
    bad records inside a readable file are quarantined, never fatal. ``max_line_bytes`` bounds one record
    (default ``MAX_LINE_BYTES``); ``tx_rows`` the rows per transaction (default ``TX_ROWS``); with
    ``resume`` (default) an ingest of the same file that was interrupted is continued, not restarted.
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
        opts = _Options(fmt, max_line_bytes, tx_rows or TX_ROWS, resume)
        with store.memory_limit(STORE_MEMORY_MB, STORE_HEADROOM_MB), _arrow_pool(POOL):
            for path in expand(paths):
                res = _ingest_one(str(path), store, ctx, opts, pool, on_bytes)
                results.append(res)
                if on_file:
                    on_file(res)
    finally:
        if pool:
            pool.close()
    return results


@contextmanager
def _arrow_pool(pool: pa.MemoryPool) -> Iterator[None]:
    """Arrow's default allocator for a while: buffers remember their pool, so restoring it after is safe."""
    old = pa.default_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(old)


@dataclass(frozen=True)
class _Options:
    fmt: str | None
    max_line_bytes: int | None
    tx_rows: int
    resume: bool


def _ingest_one(
    path: str,
    store: Store,
    ctx: EnrichContext,
    opts: _Options,
    pool: _Pool | None,
    on_bytes: Callable[[int], None] | None,
) -> FileResult:
    try:
        opened = open_input(path, on_bytes)
    except InputError as e:
        return FileResult(path, None, error=str(e))
    name = path if path == "-" else str(Path(path))
    fmt = opts.fmt
    try:
        if not opened.head.strip() and len(opened.head) < SNIFF_BYTES:
            counts = IngestCounts()
            iid = store.begin_ingest(name, fmt or "", opened.compression, opened.size, opened.head_sha256)
            _drain(opened.stream)
            note = "empty file" + (f" ({opened.broken})" if opened.broken else "")
            store.finish_ingest(iid, counts, opened.sha256, "done", note)
            return FileResult(name, fmt, counts, note=note)
        try:
            reader_cls = reader_named(fmt) if fmt else detect(opened.head, name)
        except UnknownFormat as e:
            return FileResult(name, None, error=str(e))
        reader = reader_cls()
        if opts.max_line_bytes:
            reader.max_line_bytes = opts.max_line_bytes
        prior = store.resumable(name, reader.name, opened.size, opened.head_sha256) if opts.resume else None
        if prior:
            iid, counts = prior.ingest_id, prior.counts
        else:
            counts = IngestCounts()
            iid = store.begin_ingest(name, reader.name, opened.compression, opened.size, opened.head_sha256)
        big = opened.size is None or opened.size >= PARALLEL_MIN_BYTES
        tx = _Transaction(store, iid, counts, opts.tx_rows, prior.chunks if prior else 0)
        chunks = reader.chunks(opened.stream, name)
        if prior and prior.chunks:
            chunks = _skip(chunks, prior)
        try:
            for parsed, chunk in _results(reader, chunks, ctx, pool if big else None):
                tx.add(parsed, chunk)
            tx.flush()
        except _CannotResume as e:
            assert prior is not None
            store.abandon_ingest(prior.ingest_id, f"could not resume: {e}")
            opened.close()
            return _ingest_one(
                path, store, ctx, _Options(fmt, opts.max_line_bytes, opts.tx_rows, False), pool, on_bytes
            )
        except KeyboardInterrupt:
            store.finish_ingest(iid, counts, None, "interrupted", "interrupted (Ctrl-C): run again to resume")
            raise
        except Exception as e:  # record the failure in the log before surfacing it
            store.finish_ingest(iid, counts, None, "failed", f"{type(e).__name__}: {e}")
            raise
        _drain(opened.stream)  # so the hash covers the whole file
        resumed_at = prior.line if prior and prior.chunks else None
        if opened.broken:
            msg = f"{name}: {opened.broken}; the {counts.read:,} records before the break were read"
            store.finish_ingest(iid, counts, opened.sha256, "truncated", msg)
            return FileResult(name, reader.name, counts, note=msg, resumed_at=resumed_at, broken=opened.broken)
        note = f"resumed at line {resumed_at:,} after an interruption" if resumed_at else None
        store.finish_ingest(iid, counts, opened.sha256, "done", note or "")
        return FileResult(name, reader.name, counts, note=note, resumed_at=resumed_at)
    finally:
        opened.close()


def _drain(stream: BinaryIO) -> None:
    while stream.read(1 << 20):
        pass


#: DuckDB's memory while ingesting, in MB (see ``Store.memory_limit``; raised for a transaction that needs more)
STORE_MEMORY_MB = 128

#: what a transaction may take beyond four times its rows' size (the index it probes, mostly)
STORE_HEADROOM_MB = DEFAULT_HEADROOM_MB

#: rows per store transaction: large enough for DuckDB's bulk path, small enough to bound memory and the
#: work a crash can lose
TX_ROWS = 50_000


class _Transaction:
    """Groups parsed chunks into bounded transactions; counts and the resume position move only on commit."""

    def __init__(self, store: Store, iid: int, counts: IngestCounts, tx_rows: int, chunks_done: int = 0) -> None:
        self.store, self.iid, self.counts, self.tx_rows = store, iid, counts, tx_rows
        self.pending: list[Parsed] = []
        self.rows = 0
        self.chunks = chunks_done
        self.position: Position | None = None

    def add(self, parsed: Parsed, chunk: Chunk) -> None:
        self.pending.append(parsed)
        self.chunks += 1
        self.position = (self.chunks, chunk.end_line, chunk.end_offset)
        self.rows += parsed.posts.num_rows + len(parsed.rejects)
        if self.rows >= self.tx_rows:
            self.flush()

    def flush(self, before_commit: Callable[[Store], None] | None = None) -> None:
        """Commit the pending chunks; ``before_commit`` writes more rows (live cursors) in the same transaction."""
        if not self.pending:
            return
        while True:
            try:
                self._commit(before_commit)
                break
            except StoreOutOfMemory:
                # the store's index outgrew the memory cap: give DuckDB more and run the transaction again
                if not self.store.raise_memory_floor():
                    raise
        self.pending.clear()
        self.rows = 0

    def _commit(self, before_commit: Callable[[Store], None] | None) -> None:
        """One transaction for the pending chunks; if it fails it is rolled back and the counts are as before."""
        store, counts = self.store, self.counts
        batches = [p.posts for p in self.pending if p.posts.num_rows]
        rejects = [r for p in self.pending for r in p.rejects]
        before = (counts.read, counts.stored, counts.duplicates, counts.rejected, counts.primary, counts.replaced_utf8)
        reasons = dict(counts.reasons)
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
            counts.replaced_utf8 += sum(p.replaced_utf8 for p in self.pending)
            for r in rejects:
                reason = r.reason.split(":")[0]
                counts.reasons[reason] = counts.reasons.get(reason, 0) + 1
            store.update_ingest_counts(self.iid, counts, self.position)
            if before_commit is not None:
                before_commit(store)
            store.commit()
        except BaseException:
            store.rollback()
            # the counts say what is committed, nothing more (a KeyboardInterrupt is recorded with them)
            (counts.read, counts.stored, counts.duplicates, counts.rejected, counts.primary, counts.replaced_utf8) = (
                before
            )
            counts.reasons = reasons
            raise


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
    tx = _Transaction(store, iid, counts, TX_ROWS)
    tx.pending.extend(parsed)
    tx.flush(before_commit)


def _redacted(rejects: list[Reject]) -> list[Reject]:
    """Quarantine excerpts are raw input: strip what identifies people (mentions, e-mails, phones) first."""
    from groundswell.privacy.redact import redact

    return [Reject(r.source, r.line, r.reason, redact(r.excerpt)) for r in rejects]
