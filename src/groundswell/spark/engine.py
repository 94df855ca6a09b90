"""Run groundswell's analytics queries on Spark: the same SQL strings, transpiled, never rewritten by hand.

Analytics are written once, in DuckDB's dialect kept to a portable core (``analytics/engine.py``). This
engine turns each query into Spark SQL with sqlglot and runs it with its ``?`` parameters bound by Spark
(``spark.sql(query, args=[…])``: values are bound as literals by the engine, never spliced into the text), then
hands the result back as Arrow, as the DuckDB store does. So there is one definition of every figure and two
engines that run it.

sqlglot does the dialect work (``list_contains`` → ``array_contains``, ``unnest`` → ``explode``, ``FILTER``
clauses, ``NULLS LAST`` to keep DuckDB's null ordering, ``VALUES`` lists). One rule is ours, for *types*, so
that both engines return the same Arrow table and not only the same instants: DuckDB's
``ts AT TIME ZONE 'UTC'`` is a wall-clock (time-zone-less) timestamp, which sqlglot would turn into Spark's
``from_utc_timestamp`` (an instant). Here it becomes ``CAST(ts AS TIMESTAMP_NTZ)``, which is the UTC wall time
because the session time zone is UTC (``session.py``), and a ``date_trunc`` over it is cast back to
``TIMESTAMP_NTZ`` (Spark's ``date_trunc`` always returns an instant). Bins computed from epoch microseconds
(cheaper than ``date_trunc`` in DuckDB) take two more rules: DuckDB's ``epoch_us(ts)`` is Spark's
``unix_micros(ts)``, and DuckDB's ``make_timestamp(us)`` (a wall-clock timestamp) becomes
``CAST(timestamp_micros(us) AS TIMESTAMP_NTZ)``, again the UTC wall time in a UTC session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp


def _is_utc(zone: exp.Expression | None) -> bool:
    return isinstance(zone, exp.Literal) and zone.is_string and zone.this.upper() in ("UTC", "ETC/UTC")


def _is_micros(scale: exp.Expression | None) -> bool:
    return isinstance(scale, exp.Literal) and not scale.is_string and scale.this == "6"


def _epoch_us(node: exp.Expression) -> exp.Expression:
    """DuckDB's ``epoch_us(ts)`` (microseconds since 1970 UTC) is Spark's ``unix_micros(ts)``."""
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "epoch_us" and len(node.expressions) == 1:
        return exp.Anonymous(this="UNIX_MICROS", expressions=node.expressions)
    return node


def _wall_clock(node: exp.Expression) -> exp.Expression:
    """``x AT TIME ZONE 'UTC'`` → ``CAST(x AS TIMESTAMP_NTZ)``; ``date_trunc`` over it stays wall-clock;
    ``make_timestamp(us)`` stays wall-clock."""
    if isinstance(node, exp.UnixToTime) and _is_micros(node.args.get("scale")):
        # DuckDB's make_timestamp(us) is a time-zone-less timestamp; Spark's timestamp_micros an instant
        return exp.cast(node, exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"), copy=False)
    if isinstance(node, exp.AtTimeZone) and _is_utc(node.args.get("zone")):
        return exp.cast(node.this, exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"))
    inner = node.this if isinstance(node, exp.TimestampTrunc | exp.DateTrunc) else None
    if isinstance(inner, exp.AtTimeZone) and _is_utc(inner.args.get("zone")):
        # truncate the instant (the session is UTC, so its bins are UTC bins), then read it as wall time
        node.set("this", inner.this)
        return exp.cast(node, exp.DataType.build("TIMESTAMP_NTZ", dialect="spark"), copy=False)
    return node


@lru_cache(maxsize=512)
def to_spark(query: str) -> str:
    """One DuckDB-dialect query as Spark SQL (cached: analytics send the same strings again and again)."""
    trees = sqlglot.parse(query, read="duckdb")
    if len(trees) != 1 or trees[0] is None:
        raise ValueError("one SQL statement at a time")
    tree = trees[0].transform(_epoch_us).transform(_wall_clock)
    return tree.sql(dialect="spark")


def _nullable(t: pa.Table) -> pa.Table:
    """Spark marks counts NOT NULL; DuckDB's results never are. Same schema on both engines, same table."""
    if all(f.nullable for f in t.schema):
        return t
    return t.cast(pa.schema([f.with_nullable(True) for f in t.schema], metadata=t.schema.metadata))


class SparkEngine:
    """An :class:`~groundswell.analytics.engine.Engine` over a SparkSession's tables and views.

    Queries name relations (``posts``, …) that the caller registered as views; :class:`SparkStore`
    registers the store's. ``last_sql`` keeps the Spark SQL of the latest query (what ran, for errors and docs).
    """

    def __init__(self, spark: Any) -> None:
        self.spark = spark
        self.last_sql: str | None = None

    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        self.last_sql = to_spark(query)
        df = self.spark.sql(self.last_sql, args=list(params)) if params else self.spark.sql(self.last_sql)
        return _nullable(df.toArrow())

    def scalar(self, query: str, params: list[Any] | None = None) -> Any:
        t = self.sql(query, params)
        return t.column(0)[0].as_py() if t.num_rows else None
