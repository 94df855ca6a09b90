"""groundswell: measure hashtag movements honestly — how big, how they started and spread, what people said —
without exposing the people who took part.

The Python API is the same set of functions the CLI calls::

    import groundswell as gs

    with gs.open_store("metoo.duckdb") as store:
        gs.ingest(["tweets.jsonl.gz"], store)
        print(gs.magnitude.headline(store))
        gs.write_report(store, "report.html")
"""

from __future__ import annotations

from groundswell.analytics import magnitude
from groundswell.ingest import FileResult, ingest
from groundswell.report.html import write_report
from groundswell.schema import FIELDS, POST_SCHEMA
from groundswell.store.duckdb_store import DEFAULT_DB, IngestCounts, Store, StoreError


def open_store(path: str = DEFAULT_DB, *, read_only: bool = False) -> Store:
    """Open (or create) a store; use it as a context manager so it is closed."""
    return Store(path, read_only=read_only)


__all__ = [
    "FIELDS",
    "POST_SCHEMA",
    "FileResult",
    "IngestCounts",
    "Store",
    "StoreError",
    "ingest",
    "magnitude",
    "open_store",
    "write_report",
]
