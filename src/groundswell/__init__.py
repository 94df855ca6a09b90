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

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from groundswell.analytics import bursts, cascades, magnitude, networks
    from groundswell.export import ExportError, export
    from groundswell.export import build as export_table
    from groundswell.ingest import FileResult, ingest
    from groundswell.privacy.redact import redact
    from groundswell.privacy.suppress import suppress
    from groundswell.report.html import write_report
    from groundswell.schema import FIELDS, POST_SCHEMA
    from groundswell.simulate import SimConfig, simulate
    from groundswell.store.duckdb_store import IngestCounts, Store, StoreError

#: where each name of the API lives. Imported on first use (PEP 562), because every process that imports any
#: part of the package runs this file first: an ingest worker or ``groundswell --help`` should not pay for
#: networkx, the report templates and the simulator (~800 ms and tens of MB) it never touches.
_LAZY = {
    "bursts": ("groundswell.analytics.bursts", None),
    "cascades": ("groundswell.analytics.cascades", None),
    "magnitude": ("groundswell.analytics.magnitude", None),
    "networks": ("groundswell.analytics.networks", None),
    "ExportError": ("groundswell.export", "ExportError"),
    "export": ("groundswell.export", "export"),
    "export_table": ("groundswell.export", "build"),
    "FileResult": ("groundswell.ingest", "FileResult"),
    "ingest": ("groundswell.ingest", "ingest"),
    "SimConfig": ("groundswell.simulate", "SimConfig"),
    "simulate": ("groundswell.simulate", "simulate"),
    "redact": ("groundswell.privacy.redact", "redact"),
    "suppress": ("groundswell.privacy.suppress", "suppress"),
    "write_report": ("groundswell.report.html", "write_report"),
    "FIELDS": ("groundswell.schema", "FIELDS"),
    "POST_SCHEMA": ("groundswell.schema", "POST_SCHEMA"),
    "DEFAULT_DB": ("groundswell.store.duckdb_store", "DEFAULT_DB"),
    "IngestCounts": ("groundswell.store.duckdb_store", "IngestCounts"),
    "Store": ("groundswell.store.duckdb_store", "Store"),
    "StoreError": ("groundswell.store.duckdb_store", "StoreError"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'groundswell' has no attribute {name!r}") from None
    value = import_module(module) if attr is None else getattr(import_module(module), attr)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """Keeps ``gs.ingest``, ``gs.export`` and ``gs.simulate`` the functions although they are submodules too.

    Importing a submodule binds it as an attribute of its package; eagerly importing the functions used to
    bind them over it, and lazily they would lose. The submodules stay in ``sys.modules`` as always.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name, (None, None))[1] is not None:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def open_store(
    path: str = "groundswell.duckdb", *, read_only: bool = False, engine: str = "duckdb", master: str = "local[*]"
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
    from groundswell.store.duckdb_store import Store

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
