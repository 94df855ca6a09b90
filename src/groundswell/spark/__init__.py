"""groundswell on Apache Spark: the same readers, enrich function and analytics queries, beyond one machine.

* :func:`spark_session`: a SparkSession with the settings that make Spark's answers DuckDB's (UTC, Arrow);
* :class:`SparkStore`: the store as a Parquet dataset partitioned by platform and day, and an analytics
  engine (``sql``) that runs the analytics' DuckDB-dialect queries transpiled by sqlglot (:func:`to_spark`);
* :func:`spark_ingest`: files in, one Spark task per file, same counts and pseudonyms as ``groundswell.ingest``.

Needs ``pip install 'groundswell[spark]'`` (pyspark, sqlglot) and Java 17+. ``docs/spark.md`` covers clusters.
"""

from groundswell.spark.engine import SparkEngine, to_spark
from groundswell.spark.ingest import spark_ingest
from groundswell.spark.session import spark_session
from groundswell.spark.store import DEFAULT_SPARK_STORE, SparkStore

__all__ = ["DEFAULT_SPARK_STORE", "SparkEngine", "SparkStore", "spark_ingest", "spark_session", "to_spark"]
