"""Exports: the store's figures as CSV, Parquet, JSON lines or GEXF, always through the privacy layer.

::

    from groundswell.export import export
    export(store, "magnitude", "csv", "magnitude.csv", k=10)

Which tables exist is the registry :data:`groundswell.export.tables.WHAT`; how each format is written is one
module per format. :func:`export` joins the two, and registers files it writes with the store
(``store.register_export``) so ``groundswell forget`` removes them with the data they came from.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.analytics.engine import Engine
from groundswell.export.csv_file import neutralize, write_csv
from groundswell.export.jsonl_file import write_jsonl
from groundswell.export.tables import WHAT, ExportError, Options, graph_edges

if TYPE_CHECKING:  # networkx loads only when a graph is exported
    import networkx as nx

FORMATS = ("csv", "parquet", "jsonl", "gexf")
#: formats that may go to standard output
TEXT_FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class ExportResult:
    """What was written: which table, in which format, where (None: standard output), how many rows."""

    what: str
    format: str
    path: Path | None
    rows: int
    raw: bool


def build(
    engine: Engine,
    what: str,
    *,
    k: int = 10,
    filters: dict[str, Any] | None = None,
    raw: bool = False,
    bin: str = "hour",
) -> pa.Table | nx.Graph:
    """The privacy-checked table (or graph) that ``export`` would write, for use in Python directly."""
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}: choose one of {', '.join(WHAT)}")
    return WHAT[what].build(engine, Options(k=k, filters=filters, raw=raw, bin=bin))


def export(
    store: Any,
    what: str,
    fmt: str,
    out: str | Path | None = None,
    *,
    k: int = 10,
    filters: dict[str, Any] | None = None,
    raw: bool = False,
    bom: bool = False,
    bin: str = "hour",
    stdout: IO[bytes] | None = None,
) -> ExportResult:
    """Write table ``what`` in format ``fmt`` to ``out`` (a path), or to standard output when ``out`` is None.

    ``store`` is any engine; when it has ``register_export`` and is writable, a file written is registered
    so ``forget`` can remove it. ``raw=True`` skips redaction and suppression: for administrators only.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if what not in WHAT:
        raise ExportError(f"unknown export {what!r}: choose one of {', '.join(WHAT)}")
    if fmt == "gexf" and not WHAT[what].graph:
        raise ExportError(f"gexf is for graphs: {', '.join(n for n, t in WHAT.items() if t.graph)}")
    if out is None and fmt not in TEXT_FORMATS:
        raise ExportError(f"{fmt} is binary or structured: give a file with --out")
    data = build(store, what, k=k, filters=filters, raw=raw, bin=bin)
    if WHAT[what].graph:
        if fmt == "gexf":
            assert out is not None
            path = Path(out)
            if path.suffix.lower() != ".gexf":
                raise ExportError(f"{path}: a GEXF file must end in .gexf")
            from groundswell.analytics.networks import write_graph  # networkx, for graphs only

            write_graph(data, path)
            return _done(store, what, fmt, path, data.number_of_nodes(), raw)
        data = graph_edges(data)
    if out is None:
        sink = stdout or sys.stdout.buffer
        _write(data, fmt, sink, bom)
        sink.flush()
        return ExportResult(what, fmt, None, data.num_rows, raw)
    path = Path(out)
    with path.open("wb") as f:
        _write(data, fmt, f, bom)
    return _done(store, what, fmt, path, data.num_rows, raw)


def _write(tbl: pa.Table, fmt: str, sink: IO[bytes], bom: bool) -> None:
    if fmt == "csv":
        write_csv(tbl, sink, bom=bom)
    elif fmt == "jsonl":
        write_jsonl(tbl, sink)
    elif fmt == "parquet":
        pq.write_table(utc(tbl), sink)
    else:
        raise ExportError(f"{fmt} cannot hold a table")


def utc(tbl: pa.Table) -> pa.Table:
    """Timestamps labelled plainly ``UTC`` (DuckDB says ``Etc/UTC``), the label Parquet readers expect."""
    fields = [
        pa.field(f.name, pa.timestamp(f.type.unit, tz="UTC")) if pa.types.is_timestamp(f.type) else f
        for f in tbl.schema
    ]
    return tbl.cast(pa.schema(fields, metadata=tbl.schema.metadata))


def _done(store: Any, what: str, fmt: str, path: Path, rows: int, raw: bool) -> ExportResult:
    register = getattr(store, "register_export", None)
    if register is not None and not getattr(store, "read_only", False):
        register(path, what, fmt)
    return ExportResult(what, fmt, path, rows, raw)


__all__ = ["FORMATS", "WHAT", "ExportError", "ExportResult", "build", "export", "neutralize"]
