"""groundswell: measure hashtag movements honestly — how big, how they started and spread, what people said —
without exposing the people who took part.

The Python API is the same set of functions the CLI calls::

    import groundswell as gs

    with gs.open_store("metoo.duckdb") as store:
        gs.ingest(["tweets.jsonl.gz"], store)
        print(gs.magnitude.headline(store))
        hourly = gs.export_table(store, "magnitude", k=10)   # Arrow, suppressed: .to_pandas()
        gs.export(store, "posts", "csv", "posts.csv")        # redacted, spreadsheet-safe
        gs.write_report(store, "report.html")

``docs/python-api.md`` has runnable examples (executed by the test suite).
"""

from __future__ import annotations

from groundswell.analytics import bursts, cascades, magnitude, networks
from groundswell.export import ExportError, export
from groundswell.export import build as export_table
from groundswell.ingest import FileResult, ingest
from groundswell.privacy.redact import redact
from groundswell.privacy.suppress import suppress
from groundswell.report.html import write_report
from groundswell.schema import FIELDS, POST_SCHEMA
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import DEFAULT_DB, IngestCounts, Store, StoreError


def open_store(
    path: str = DEFAULT_DB, *, read_only: bool = False, engine: str = "duckdb", master: str = "local[*]"
) -> Store:
    """Open (or create) a store; use it as a context manager so it is closed.

    ``engine="spark"`` opens a Parquet-dataset store through Spark on ``master`` instead (a
    ``groundswell.spark.SparkStore``; needs ``groundswell[spark]``): the analytics take either.
    """
    if engine == "spark":
        from groundswell.spark import SparkStore

        return SparkStore(path, master=master, read_only=read_only)  # type: ignore[return-value]
    if engine != "duckdb":
        raise ValueError(f"engine must be duckdb or spark, got {engine!r}")
    return Store(path, read_only=read_only)


__all__ = [
    "FIELDS",
    "POST_SCHEMA",
    "ExportError",
    "FileResult",
    "IngestCounts",
    "SimConfig",
    "Store",
    "StoreError",
    "bursts",
    "cascades",
    "export",
    "export_table",
    "ingest",
    "magnitude",
    "networks",
    "open_store",
    "redact",
    "simulate",
    "suppress",
    "write_report",
]
