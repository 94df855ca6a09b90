"""Where each live stream got to, kept in the store beside the posts it delivered.

A cursor is saved in the *same transaction* as the posts of its micro-batch (see
:func:`groundswell.ingest.store_parsed`), so after a crash the store never holds posts past its cursor nor a
cursor past its posts: a restart resumes exactly where the committed data ends. The row also carries running
counters (events seen, posts stored, drops) so that a dashboard can show the watcher's progress by reading the
store alone, even from another process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from groundswell.store.duckdb_store import Store

DDL = """CREATE TABLE IF NOT EXISTS live_cursors (
  source VARCHAR PRIMARY KEY,
  cursor VARCHAR,
  events BIGINT,
  stored BIGINT,
  duplicates BIGINT,
  rejected BIGINT,
  dropped BIGINT,
  last_event TIMESTAMPTZ,
  updated TIMESTAMPTZ
)"""


@dataclass
class SourceCounters:
    """Running counts of one source; saved with its cursor."""

    events: int = 0  # frames received (posts, other events, malformed frames)
    stored: int = 0  # new posts committed
    duplicates: int = 0  # posts already in the store (replays after a reconnect)
    rejected: int = 0  # malformed frames, quarantined
    dropped: int = 0  # events dropped because the queue was full (only with allow_drops)
    last_event: datetime | None = None


def ensure_table(store: Store) -> None:
    store.con.execute(DDL).fetchall()


def load_cursor(store: Store, source: str) -> str | None:
    """The saved cursor of ``source`` (a stream name such as ``bluesky`` or ``mastodon:example.social``)."""
    ensure_table(store)
    return store.scalar("SELECT cursor FROM live_cursors WHERE source = ?", [source])


def load_counters(store: Store, source: str) -> SourceCounters:
    ensure_table(store)
    row = store.con.execute(
        "SELECT events, stored, duplicates, rejected, dropped, last_event FROM live_cursors WHERE source = ?",
        [source],
    ).fetchall()
    if not row:
        return SourceCounters()
    events, stored, dups, rejected, dropped, last = row[0]
    return SourceCounters(events, stored, dups, rejected, dropped, last)


def save_cursor(store: Store, source: str, cursor: str | None, counters: SourceCounters) -> None:
    """Upsert the cursor and counters of ``source``. Call inside the transaction that stores the posts."""
    store.con.execute(
        "INSERT OR REPLACE INTO live_cursors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            source,
            cursor,
            counters.events,
            counters.stored,
            counters.duplicates,
            counters.rejected,
            counters.dropped,
            counters.last_event,
            datetime.now(UTC),
        ],
    ).fetchall()


def status(store: Store) -> list[dict[str, Any]]:
    """One dict per live source: cursor, counters, time of the newest event and of the last commit.

    For the dashboard: cheap (one small table), and it reads only what the watcher committed, so it is
    equally right in the watcher's process and in a read-only one.
    """
    try:
        tbl: pa.Table = store.sql("SELECT * FROM live_cursors ORDER BY source")
    except duckdb.CatalogException:  # no watcher ever ran on this store (and a read-only store cannot create the table)
        return []
    return tbl.to_pylist()
