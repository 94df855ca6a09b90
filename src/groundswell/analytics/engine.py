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


class Memo:
    """An engine that answers a query it has already run from memory: same text, same parameters, same table.

    A report (or a command) asks some questions more than once: the hourly series feeds both the timeline and
    the first day's takeoff, and the language table appears in two sections. On 10M posts each pass costs
    seconds of CPU, so repeating one is the most expensive thing a report can do. Wrap the store in ``Memo`` for
    the span of one read-only job; answers are unchanged because the store does not change under it. It caches
    on the exact query text and parameters, so it works the same for any engine (DuckDB or Spark). Everything
    other than ``sql`` is passed through to the wrapped store.

    Answers over ``max_bytes`` are passed on, not kept: the repeated questions are aggregates (kilobytes), while
    the one large answer of a report, the 10M rows the cascades are rebuilt from (1.3 GB), is asked once and
    would otherwise stay in memory through every later section.
    """

    def __init__(self, engine: Engine, max_bytes: int = 64 << 20) -> None:
        self.engine = engine
        self.max_bytes = max_bytes
        self._seen: dict[tuple[str, tuple[Any, ...]], pa.Table] = {}

    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        key = (query, tuple(params or ()))
        try:
            hit = self._seen.get(key)
        except TypeError:  # an unhashable parameter (a list): run it, don't remember it
            return self.engine.sql(query, params)
        if hit is None:
            hit = self.engine.sql(query, params)
            if hit.nbytes <= self.max_bytes:
                self._seen[key] = hit
        return hit

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)
