"""What analytics need from a store: run SQL, get Arrow back.

Analytics are written once as SQL over the ``posts`` relation (DuckDB's dialect, kept to the portable core
that sqlglot transpiles to Spark SQL) plus numpy over the small aggregated results. Anything that can run a
query and hand back an Arrow table is an engine; analytics never learn which one ran.
"""

from __future__ import annotations

from typing import Any, Protocol

import pyarrow as pa


class Engine(Protocol):
    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table: ...


def where(filters: dict[str, Any] | None) -> tuple[str, list[Any]]:
    """A WHERE clause for the common filters (platform, lang, since, until, movement); values bound, not spliced."""
    clauses = ["NOT is_reference"]
    params: list[Any] = []
    f = filters or {}
    if f.get("platform"):
        clauses.append("platform = ?")
        params.append(f["platform"])
    if f.get("lang"):
        clauses.append("lang = ?")
        params.append(f["lang"])
    if f.get("since"):
        clauses.append("created_at >= ?")
        params.append(f["since"])
    if f.get("until"):
        clauses.append("created_at < ?")
        params.append(f["until"])
    if f.get("movement"):
        clauses.append("list_contains(movements, ?)")
        params.append(f["movement"])
    return " AND ".join(clauses), params
