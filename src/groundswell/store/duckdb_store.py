"""The default store: one DuckDB file, embedded, nothing to set up.

Tables:

* ``posts``: one row per (platform, post_id), columns of ``POST_SCHEMA``. The primary key is what makes
  re-ingesting a file add nothing. ``author_key`` (an integer per author, for cheap distinct counts) is filled
  by enrich, by ``add_posts`` for a batch without it, and for a store made before it existed, on the first
  writable open (``_add_author_key``); a read-only open of such a store counts over a temporary view.
* ``ingests``: one row per file ingested (size, content hash, read / stored / duplicate / rejected, times,
  status), so every count in a report can be traced to the files behind it. Each commit also records how
  far the file got (``resume_chunks`` / ``resume_line`` / ``resume_offset``) and the file's identity
  (name, size, ``head_sha256`` of its first MiB), so an interrupted ingest resumes instead of restarting.
  ``replaced_utf8`` counts records kept with U+FFFD in place of invalid UTF-8.
* ``quarantine``: every rejected record with file, line, reason and a redacted excerpt.
* ``meta``: key/value facts about the store (schema version, creation time, privacy settings).

The pseudonym key is deliberately *not* in the database: it sits beside it in ``<db>.key`` (mode 0600), so
a copy of the database shared with a colleague cannot be used to re-identify authors. It is written to a
temporary file and linked into place, so a crash can never leave an empty or half-written key behind.

Concurrency: DuckDB lets one process open the file for writing, and while it does, no other process can
open it at all, not even read-only. ``Store`` turns DuckDB's lock error into a ``StoreError`` that says who
holds the store (PID) and what to do; ``wait=`` retries for a while first, which makes a second ingest
queue behind the first instead of failing.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from groundswell.privacy import author_key
from groundswell.schema import POST_SCHEMA
from groundswell.sources.base import Reject

SCHEMA_VERSION = 1
DEFAULT_DB = "groundswell.duckdb"


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_string(t):
        return "VARCHAR"
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_float64(t):
        return "DOUBLE"
    if pa.types.is_float32(t):
        return "FLOAT"
    if pa.types.is_boolean(t):
        return "BOOLEAN"
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ"
    if pa.types.is_list(t):
        return _duck_type(t.value_type) + "[]"
    raise TypeError(f"no DuckDB type for {t}")


POSTS_DDL = (
    "CREATE TABLE IF NOT EXISTS posts (\n  "
    + ",\n  ".join(f"{f.name} {_duck_type(f.type)}" for f in POST_SCHEMA)
    + ",\n  PRIMARY KEY (platform, post_id)\n)"
)

_POST_COLUMNS = ", ".join(POST_SCHEMA.names)
# what add_posts selects from an incoming batch: a batch made without the enrich step (a hand-built one) still
# gets its author keys, so the store never holds an author without one
_INSERT_COLUMNS = ", ".join(
    f"coalesce(author_key, {author_key.DUCKDB_SQL}) AS author_key" if n == "author_key" else n
    for n in POST_SCHEMA.names
)

DDL = [
    POSTS_DDL,
    """CREATE SEQUENCE IF NOT EXISTS ingest_seq START 1""",
    """CREATE TABLE IF NOT EXISTS ingests (
        ingest_id BIGINT PRIMARY KEY DEFAULT nextval('ingest_seq'),
        file VARCHAR, format VARCHAR, compression VARCHAR, size BIGINT, sha256 VARCHAR,
        read BIGINT DEFAULT 0, stored BIGINT DEFAULT 0, duplicates BIGINT DEFAULT 0, rejected BIGINT DEFAULT 0,
        primary_posts BIGINT DEFAULT 0,
        started TIMESTAMPTZ, finished TIMESTAMPTZ, status VARCHAR, message VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        ingest_id BIGINT, file VARCHAR, line BIGINT, reason VARCHAR, excerpt VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    # what was done to the store's content (forget, expire): counts only, never content
    """CREATE TABLE IF NOT EXISTS audit (happened TIMESTAMPTZ, action VARCHAR, detail VARCHAR)""",
    # files written by `groundswell export` that the store manages (forget removes them)
    """CREATE TABLE IF NOT EXISTS exports (path VARCHAR PRIMARY KEY, what VARCHAR, format VARCHAR, written TIMESTAMPTZ)""",
    # resume and input-defense bookkeeping (added to stores made before them, too)
    "ALTER TABLE ingests ADD COLUMN IF NOT EXISTS head_sha256 VARCHAR",
    "ALTER TABLE ingests ADD COLUMN IF NOT EXISTS resume_chunks BIGINT DEFAULT 0",
    "ALTER TABLE ingests ADD COLUMN IF NOT EXISTS resume_line BIGINT",
    "ALTER TABLE ingests ADD COLUMN IF NOT EXISTS resume_offset BIGINT",
    "ALTER TABLE ingests ADD COLUMN IF NOT EXISTS replaced_utf8 BIGINT DEFAULT 0",
]

#: tables whose name starts with this are caches derived from ``posts``: forget drops them
DERIVED_PREFIX = "derived_"


def _first(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """First row of a result, reading it to the end: DuckDB 2 refuses new work while a result is unfinished."""
    rows = result.fetchall()
    return rows[0] if rows else None


#: ``allocator_background_threads``: DuckDB's allocator keeps what a query freed until something purges it. A
#: report or the dashboard runs query after query in one process, and without the purge each keeps the memory
#: of the largest so far: the 1M-post report's cascades query left 530 MB behind (646 MB RSS, 3 s later
#: still 642; with the purge 296), and the report's peak fell from 1,476 to 1,131 MB.
_CONFIG = {"preserve_insertion_order": False, "allocator_background_threads": True}

#: what an insert inside ``Store.memory_limit`` may take beyond four times its rows' size (the index it probes)
DEFAULT_HEADROOM_MB = 64

#: the most ``Store.raise_memory_floor`` lets DuckDB use while ingesting: half the machine's memory
_MEMORY_CEILING_MB = (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 20) // 2


class StoreError(Exception):
    pass


class StoreOutOfMemory(StoreError):
    """An insert needed more than the memory cap; its transaction is aborted and must be rolled back."""


@dataclass
class IngestCounts:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    primary: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    replaced_utf8: int = 0  # records kept with U+FFFD for invalid UTF-8 (stored or rejected like any other)

    def reconciles(self) -> bool:
        return self.read == self.stored + self.duplicates + self.rejected


@dataclass
class Resumable:
    """An ingest of the same file that stopped part-way (process killed, Ctrl-C) and where it stopped."""

    ingest_id: int
    counts: IngestCounts
    chunks: int  # chunks committed
    line: int | None  # line / record number the next chunk starts at
    offset: int | None  # decompressed byte offset the next chunk starts at (line formats)


def _lock_message(path: Path, error: str, read_only: bool) -> str:
    m = re.search(r"PID (\d+)", error)
    who = f"another process (PID {m.group(1)})" if m else "another process"
    if "read-only mode" in error:  # the holder is a reader: only writers are refused
        return (
            f"{path} is open read-only by {who} (a report, stats or dashboard); DuckDB lets nothing write "
            "while any other process has the file open: close it, or retry with --wait SECONDS"
        )
    if read_only:
        return (
            f"{path} is being written by {who} (an ingest?); DuckDB lets no other process open it, not even "
            "to read, until the writer finishes: try again then"
        )
    return (
        f"{path} is open for writing by {who} (DuckDB allows one writer); wait for it to finish "
        "(or retry with --wait SECONDS), or stop it: an ingest stopped part-way resumes when run again"
    )


class Store:
    """A groundswell store in one DuckDB file.

    ``wait``: seconds to keep retrying while another process holds the file (0: fail at once).
    """

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, *, read_only: bool = False, wait: float = 0) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._floor_mb: int | None = None  # set by memory_limit()
        self._limit_mb: int | None = None
        self._headroom_mb = DEFAULT_HEADROOM_MB
        #: times an ingest's memory cap was doubled because an insert did not fit (``raise_memory_floor``), and
        #: the cap it reached
        self.memory_raises = 0
        self.memory_floor_mb = 0
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (ingest something first)")
        deadline = time.monotonic() + wait
        while True:
            try:
                self.con = duckdb.connect(str(self.path), read_only=read_only, config=_CONFIG)
                break
            except duckdb.IOException as e:
                if "lock" not in str(e).lower():
                    raise StoreError(f"{self.path}: cannot open store: {e}") from e
                if time.monotonic() >= deadline:
                    raise StoreError(_lock_message(self.path, str(e), read_only)) from e
                time.sleep(0.25)
        self._legacy_view: str | None = None  # read-only store made before author_key: the view that adds it
        if not read_only:
            for stmt in DDL:
                self.con.execute(stmt)
            self._init_meta()
            self._add_author_key()
        elif not self._has_column("posts", "author_key") and self._has_column("posts", "author_id"):
            self._legacy_view = self._author_key_view()
            self.con.execute(self._legacy_view).fetchall()

    # -- lifecycle ---------------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_meta(self) -> None:
        if self.get_meta("schema_version") is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
            self.set_meta("created_at", datetime.now(UTC).isoformat())
            self.set_meta("store_id", secrets.token_hex(8))

    def _has_column(self, table: str, column: str) -> bool:
        return bool(
            self.con.execute(
                "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = 'main' AND table_name = ? AND column_name = ?",
                [table, column],
            ).fetchall()[0][0]
        )

    def _add_author_key(self) -> None:
        """Give a store made before ``author_key`` existed the column, filled in SQL with the very keys enrich
        computes (``privacy.author_key``): one pass, ~12 s on 10M posts, once per store."""
        if self._has_column("posts", "author_key"):
            return
        self.begin()
        try:
            self.con.execute("ALTER TABLE posts ADD COLUMN author_key BIGINT").fetchall()
            self.con.execute(
                f"UPDATE posts SET author_key = {author_key.DUCKDB_SQL} WHERE author_id IS NOT NULL"
            ).fetchall()
            self.commit()
        except BaseException:
            self.rollback()
            raise

    def _author_key_view(self) -> str:
        """Opened read-only, an old store cannot gain the column: a temporary view ``posts`` (this connection
        only, nothing written) adds one per query instead. There it is DuckDB's own 64-bit ``hash(author_id)``,
        not the stored definition: the analytics only count distinct keys, for which any 64-bit hash is as good
        (same collision odds), and it costs a quarter of computing the stored key per row. Open the store
        writable once (any ingest) to store the real keys."""
        db = self.con.execute("SELECT current_database()").fetchall()[0][0].replace('"', '""')
        key = "CASE WHEN author_id IS NOT NULL THEN CAST(CAST(hash(author_id) AS HUGEINT) - 9223372036854775808 AS BIGINT) END"
        return f'CREATE OR REPLACE TEMP VIEW posts AS SELECT *, {key} AS author_key FROM "{db}".main.posts'

    def get_meta(self, key: str) -> str | None:
        row = _first(self.con.execute("SELECT value FROM meta WHERE key = ?", [key]))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    @property
    def key_path(self) -> Path:
        return self.path.with_name(self.path.name + ".key")

    def pseudonym_key(self) -> bytes:
        """The store's secret for keyed pseudonyms, created on first use with 0600 permissions."""
        p = self.key_path
        if not p.exists():
            # written whole under a temporary name, then linked into place: a crash leaves no empty key, and
            # of two processes racing to create it, one wins and both read the winner's key
            tmp = p.with_name(f"{p.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
                f.flush()
                os.fsync(f.fileno())
            try:
                os.link(tmp, p)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        text = p.read_text().strip()
        if len(text) != 64:
            raise StoreError(f"{p}: not a pseudonym key (expected 64 hex digits); restore it from a backup")
        return bytes.fromhex(text)

    def privacy_settings(self) -> dict[str, Any]:
        raw = self.get_meta("privacy")
        return json.loads(raw) if raw else {"keep_handles": False, "public_figures": []}

    def set_privacy_settings(self, settings: dict[str, Any]) -> None:
        self.set_meta("privacy", json.dumps(settings, sort_keys=True))

    # -- ingest ------------------------------------------------------------------------------------
    def begin_ingest(
        self, file: str, fmt: str, compression: str, size: int | None, head_sha256: str | None = None
    ) -> int:
        row = self.con.execute(
            "INSERT INTO ingests (file, format, compression, size, started, status, head_sha256) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?) RETURNING ingest_id",
            [file, fmt, compression, size, datetime.now(UTC), head_sha256],
        )
        row = _first(row)
        assert row is not None
        return int(row[0])

    def resumable(self, file: str, fmt: str, size: int | None, head_sha256: str | None) -> Resumable | None:
        """The latest unfinished ingest of this very file (same name, format, size, first MiB), if any.

        Only a process holding the write lock calls this, so a row still ``running`` belongs to a process
        that died (or was interrupted): nobody else can be writing it.
        """
        if size is None or head_sha256 is None:
            return None  # stdin: nothing identifies a second run as the same input
        rows = self.con.execute(
            "SELECT ingest_id, read, stored, duplicates, rejected, primary_posts, replaced_utf8, "
            "resume_chunks, resume_line, resume_offset FROM ingests "
            "WHERE file = ? AND format = ? AND size = ? AND head_sha256 = ? AND status IN ('running', 'interrupted') "
            "ORDER BY ingest_id DESC LIMIT 1",
            [file, fmt, size, head_sha256],
        ).fetchall()
        if not rows:
            return None
        row = rows[0]
        iid = int(row[0])
        reasons = dict(
            self.con.execute(
                "SELECT split_part(reason, ':', 1), count(*) FROM quarantine WHERE ingest_id = ? GROUP BY 1",
                [iid],
            ).fetchall()
        )
        counts = IngestCounts(*(int(v or 0) for v in row[1:6]), reasons=reasons, replaced_utf8=int(row[6] or 0))
        return Resumable(iid, counts, int(row[7] or 0), row[8], row[9])

    def abandon_ingest(self, ingest_id: int, message: str) -> None:
        """Close an unfinished ingest that cannot be resumed: its committed rows stay, attributed to it."""
        self.con.execute(
            "UPDATE ingests SET status = 'abandoned', finished = ?, message = ? WHERE ingest_id = ?",
            [datetime.now(UTC), message, ingest_id],
        ).fetchall()

    def add_posts(self, batch: pa.RecordBatch | pa.Table) -> int:
        """Insert posts not yet in the store; return how many were new.

        Within the batch the first copy of a post wins, preferring a post of the collection over a reference
        (``is_reference``), then the earlier line, then the earlier row: ``_pos`` makes that last tie-break
        explicit (two copies of one tweet on one line, a page's ``data`` and its ``includes``), so the same
        input always stores the same row.
        """
        if batch.num_rows == 0:
            return 0
        tbl = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        if "author_key" not in tbl.column_names:  # a batch built before (or without) the enrich step
            tbl = tbl.append_column("author_key", pa.nulls(tbl.num_rows, pa.int64()))
        tbl = tbl.select(POST_SCHEMA.names).append_column("_pos", pa.array(range(tbl.num_rows), pa.int64()))
        if self._floor_mb is not None:  # inside memory_limit(): room for this transaction's rows
            self._set_limit(max(self._floor_mb, (4 * tbl.nbytes >> 20) + self._headroom_mb))
        self.con.register("_incoming", tbl)
        try:
            row = self.con.execute(
                f"INSERT INTO posts ({_POST_COLUMNS}) SELECT {_INSERT_COLUMNS} FROM _incoming "
                "QUALIFY row_number() OVER (PARTITION BY platform, post_id ORDER BY is_reference, source_line, _pos) = 1 "
                "ON CONFLICT DO NOTHING"
            )
            row = _first(row)
            return int(row[0]) if row else 0
        except duckdb.OutOfMemoryException as e:
            # the transaction is aborted: only a rollback can follow, and then the whole transaction again
            raise StoreOutOfMemory(
                f"{self.path}: DuckDB ran out of its {self._limit_mb} MB while inserting: {e}"
            ) from e
        finally:
            with suppress(duckdb.TransactionException):  # an aborted transaction refuses even this
                self.con.unregister("_incoming")

    def add_rejects(self, ingest_id: int, rejects: Iterable[Reject]) -> None:
        rows = [(ingest_id, r.source, r.line, r.reason, r.excerpt) for r in rejects]
        if rows:
            self.con.executemany("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?)", rows)

    def update_ingest_counts(
        self, ingest_id: int, counts: IngestCounts, position: tuple[int, int, int] | None = None
    ) -> None:
        """Running counts, and with ``position`` (chunks, next line, next offset) how far the file got."""
        chunks, line, offset = position or (None, None, None)
        self.con.execute(
            "UPDATE ingests SET read=?, stored=?, duplicates=?, rejected=?, primary_posts=?, replaced_utf8=?, "
            "resume_chunks=coalesce(?, resume_chunks), resume_line=coalesce(?, resume_line), "
            "resume_offset=coalesce(?, resume_offset) WHERE ingest_id=?",
            [
                counts.read,
                counts.stored,
                counts.duplicates,
                counts.rejected,
                counts.primary,
                counts.replaced_utf8,
                chunks,
                line,
                offset,
                ingest_id,
            ],
        ).fetchall()

    def finish_ingest(
        self, ingest_id: int, counts: IngestCounts, sha256: str | None, status: str = "done", message: str = ""
    ) -> None:
        self.con.execute(
            "UPDATE ingests SET read=?, stored=?, duplicates=?, rejected=?, primary_posts=?, replaced_utf8=?, sha256=?, "
            "finished=?, status=?, message=? WHERE ingest_id=?",
            [
                counts.read,
                counts.stored,
                counts.duplicates,
                counts.rejected,
                counts.primary,
                counts.replaced_utf8,
                sha256,
                datetime.now(UTC),
                status,
                message,
                ingest_id,
            ],
        ).fetchall()

    def on_new_cursor(self) -> Store:
        """This store through a new cursor of the same connection: same database, its own transactions.

        Built here, beside ``__init__``, so every attribute a store method relies on is set.
        """
        s = object.__new__(Store)
        s.path, s.read_only = self.path, self.read_only
        s._floor_mb = s._limit_mb = None
        s._headroom_mb, s.memory_raises, s.memory_floor_mb = self._headroom_mb, 0, 0
        s.con = self.con.cursor()
        s._legacy_view = self._legacy_view
        if s._legacy_view:  # temporary views belong to one connection: the new cursor needs its own
            s.con.execute(s._legacy_view).fetchall()
        return s

    @contextmanager
    def memory_limit(self, limit_mb: int, headroom_mb: int = DEFAULT_HEADROOM_MB) -> Iterator[None]:
        """Cap DuckDB's memory for a while (an ingest), then restore the setting.

        By default DuckDB may cache up to 80% of the machine's memory, and while an ingest inserts it keeps
        every block it wrote: the process grows by ~100 MB per transaction for nothing. Inserting needs
        little: the transaction's own rows (held until commit, and once more by the window that
        deduplicates them, so ``add_posts`` allows four times their size plus ``headroom_mb``) and the
        primary-key index it probes. That index grows with the store and DuckDB cannot always evict it: at
        about a million posts it outgrew 128 MB + headroom and the insert failed. So the cap is where memory
        starts, not a promise: an ingest whose insert runs out doubles it (``raise_memory_floor``) and runs
        the transaction again, and memory grows with the store's index only, never with the input.
        """
        old = self.scalar("SELECT current_setting('memory_limit')")
        self._floor_mb, self._headroom_mb = limit_mb, headroom_mb
        self._set_limit(limit_mb)
        try:
            yield
        finally:
            self._floor_mb = self._limit_mb = None
            self.con.execute("RESET memory_limit").fetchall()  # exact, when it was the default
            if self.scalar("SELECT current_setting('memory_limit')") != old:
                self.con.execute("SET memory_limit = ?", [old]).fetchall()

    def raise_memory_floor(self) -> bool:
        """Double the cap set by ``memory_limit`` after an insert ran out of it; False when it cannot grow.

        What an insert needs beyond its own rows is mostly the primary-key index it probes, and that grows
        with the store (a few hundred thousand posts fit in the default cap, millions do not): the cap is a
        floor to start from, not a promise. It never grows past half the machine's memory.
        """
        if self._floor_mb is None or self._floor_mb >= _MEMORY_CEILING_MB:
            return False
        self._floor_mb = min(2 * self._floor_mb, _MEMORY_CEILING_MB)
        self.memory_raises += 1
        self.memory_floor_mb = max(self.memory_floor_mb, self._floor_mb)
        self._set_limit(max(self._floor_mb, self._limit_mb or 0))
        return True

    def _set_limit(self, mb: int) -> None:
        if mb != self._limit_mb:
            self.con.execute("SET memory_limit = ?", [f"{mb}MB"]).fetchall()
            self._limit_mb = mb

    def begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION").fetchall()

    def commit(self) -> None:
        self.con.execute("COMMIT").fetchall()

    def rollback(self) -> None:
        self.con.execute("ROLLBACK").fetchall()
        with suppress(duckdb.Error):  # left registered when its insert aborted the transaction
            self.con.unregister("_incoming")

    # -- privacy housekeeping ------------------------------------------------------------------------
    def audit(self, action: str, detail: dict[str, Any]) -> None:
        self.con.execute(
            "INSERT INTO audit VALUES (?, ?, ?)", [datetime.now(UTC), action, json.dumps(detail, sort_keys=True)]
        ).fetchall()

    def drop_derived(self) -> list[str]:
        names = [
            r[0]
            for r in self.con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND starts_with(table_name, ?)",
                [DERIVED_PREFIX],
            ).fetchall()
        ]
        for n in names:
            self.con.execute(f'DROP TABLE "{n}"').fetchall()
        return names

    def register_export(self, path: str | Path, what: str, fmt: str) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO exports VALUES (?, ?, ?, ?)",
            [str(Path(path).resolve()), what, fmt, datetime.now(UTC)],
        ).fetchall()

    def remove_managed_exports(self) -> list[str]:
        paths = [r[0] for r in self.con.execute("SELECT path FROM exports").fetchall()]
        for p in paths:
            Path(p).unlink(missing_ok=True)
        self.con.execute("DELETE FROM exports").fetchall()
        return paths

    def compact(self) -> None:
        """Rewrite the database file so that deleted rows are gone from disk, not only marked deleted.

        DuckDB reuses freed blocks but does not clear them; copying every table into a fresh file and
        replacing the old one is what makes "forgotten" true of the bytes.
        """
        tmp = self.path.with_name(self.path.name + ".compact")
        tmp.unlink(missing_ok=True)
        self.con.execute("CHECKPOINT").fetchall()
        src = self.scalar("SELECT current_database()")
        self.con.execute(f"ATTACH '{tmp}' AS _compact").fetchall()
        self.con.execute(f'COPY FROM DATABASE "{src}" TO _compact').fetchall()
        self.con.execute("DETACH _compact").fetchall()
        self.con.close()
        os.replace(tmp, self.path)
        self.path.with_name(self.path.name + ".wal").unlink(missing_ok=True)
        self.con = duckdb.connect(str(self.path), config=_CONFIG)

    # -- reading -----------------------------------------------------------------------------------
    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        rel = self.con.sql(query, params=params or None)
        return rel.to_arrow_table() if rel is not None else pa.table({})

    def scalar(self, query: str, params: list[Any] | None = None) -> Any:
        row = _first(self.con.execute(query, params or []))
        return row[0] if row else None
