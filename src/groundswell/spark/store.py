"""The store as a Parquet dataset that Spark reads and writes: for archives larger than one machine.

Layout under the store's root (a local folder or any URI Spark writes: ``s3a://``, ``gs://``, ``abfss://``,
``hdfs://``)::

    <root>/posts/platform=twitter/date=2017-10-15/part-….parquet   POST_SCHEMA, partitioned by platform and UTC day
    <root>/ingests/…            one row per file ingested (the columns of the DuckDB store's ``ingests``)
    <root>/quarantine/…         every rejected record: ingest_id, file, line, reason, redacted excerpt
    <root>/meta/…               key/value facts (schema version, privacy settings, movements, declarations)

Partitioning by platform and day is what the queries filter on (``--platform``, ``since``/``until``), so
Spark reads only the folders a question needs; a day is small enough to rewrite when ``forget`` lands here.
Plain Parquet, no table format: ingest only appends, so Delta or Iceberg would add a dependency and a log
without earning them yet (they would when deletes must be transactional on object storage).

The pseudonym key sits beside the root as on DuckDB (``<root>.key``, mode 0600, created on first use by the
very same code), never inside the dataset. For a store on object storage pass ``key_path``: a local file (or
a mounted secret) on the machine that runs the driver; it travels to the executors inside the ingest task,
in memory only.

``SparkStore`` is an analytics engine (``sql`` over the view ``posts``) with the small surface the analytics
and CLI use on a store besides SQL: ``get_meta`` / ``set_meta``, ``privacy_settings``, ``pseudonym_key``,
``path``.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa

from groundswell.privacy import author_key
from groundswell.schema import POST_SCHEMA
from groundswell.spark.engine import SparkEngine
from groundswell.store.duckdb_store import SCHEMA_VERSION, Store, StoreError

DEFAULT_SPARK_STORE = "groundswell.parquet"

#: the DuckDB store's ``ingests`` columns, in the same order and meaning
INGESTS_SCHEMA = pa.schema(
    [
        ("ingest_id", pa.int64()),
        ("file", pa.string()),
        ("format", pa.string()),
        ("compression", pa.string()),
        ("size", pa.int64()),
        ("sha256", pa.string()),
        ("read", pa.int64()),
        ("stored", pa.int64()),
        ("duplicates", pa.int64()),
        ("rejected", pa.int64()),
        ("primary_posts", pa.int64()),
        ("started", pa.timestamp("us", tz="UTC")),
        ("finished", pa.timestamp("us", tz="UTC")),
        ("status", pa.string()),
        ("message", pa.string()),
        ("head_sha256", pa.string()),
        ("replaced_utf8", pa.int64()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [
        ("ingest_id", pa.int64()),
        ("file", pa.string()),
        ("line", pa.int64()),
        ("reason", pa.string()),
        ("excerpt", pa.string()),
    ]
)
META_SCHEMA = pa.schema([("key", pa.string()), ("value", pa.string())])


def spark_schema(schema: pa.Schema) -> Any:
    """The Spark StructType of an Arrow schema (timestamps with a zone become Spark TIMESTAMP)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


#: which store's views a session holds now, by session: two stores open in one session take turns
_VIEWS_OF: dict[int, int] = {}


def _is_uri(root: str) -> bool:
    return "://" in root and not root.startswith("file://")


class SparkStore(SparkEngine):
    """A groundswell store as a Parquet dataset under ``root``, queried and written through ``spark``.

    ``spark``: a session from :func:`groundswell.spark.session.spark_session` (made on ``master`` if
    omitted). ``read_only``: fail if the store does not exist yet, and never create the key.
    """

    def __init__(
        self,
        root: str | os.PathLike[str] = DEFAULT_SPARK_STORE,
        spark: Any = None,
        *,
        master: str | None = "local[*]",
        key_path: str | os.PathLike[str] | None = None,
        read_only: bool = False,
    ) -> None:
        if spark is None:
            from groundswell.spark.session import spark_session

            spark = spark_session(master)
        super().__init__(spark)
        text = str(root)
        self.root = text.rstrip("/") if _is_uri(text) else str(Path(text.removeprefix("file://")).resolve())
        self.path = PurePosixPath(self.root) if _is_uri(self.root) else Path(self.root)
        self.read_only = read_only
        if key_path is not None:
            self.key_path = Path(key_path)
        elif _is_uri(self.root):
            raise StoreError(
                f"{self.root}: a store on object storage needs key_path (a local file for the pseudonym key)"
            )
        else:
            self.key_path = Path(self.root).with_name(Path(self.root).name + ".key")
        if read_only and not self.exists("meta"):
            raise StoreError(f"{self.root}: no such store (ingest something first)")
        self._meta = self._read_meta()
        if not read_only and "schema_version" not in self._meta:
            self._meta.update(
                schema_version=str(SCHEMA_VERSION),
                created_at=datetime.now(UTC).isoformat(),
                store_id=secrets.token_hex(8),
                engine="spark",
            )
            self._write_meta()
        self.refresh()

    # -- lifecycle -----------------------------------------------------------------------------------
    def close(self) -> None:
        """Drop this store's views; the session stays (other stores and the caller may share it)."""
        if _VIEWS_OF.get(id(self.spark)) == id(self):
            for v in ("posts", "ingests", "quarantine"):
                self.spark.catalog.dropTempView(v)
            del _VIEWS_OF[id(self.spark)]

    def __enter__(self) -> SparkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- files ---------------------------------------------------------------------------------------
    def uri(self, part: str) -> str:
        return f"{self.root}/{part}"

    def _fs_path(self, part: str) -> tuple[Any, Any]:
        jvm = self.spark.sparkContext._jvm
        p = jvm.org.apache.hadoop.fs.Path(self.uri(part))
        return p.getFileSystem(self.spark.sparkContext._jsc.hadoopConfiguration()), p

    def exists(self, part: str) -> bool:
        """Whether ``<root>/<part>`` exists, on whatever file system the root is (Hadoop's view of it)."""
        fs, p = self._fs_path(part)
        return bool(fs.exists(p))

    def delete(self, part: str) -> None:
        fs, p = self._fs_path(part)
        fs.delete(p, True)

    def read(self, part: str, schema: pa.Schema, partitions: pa.Schema | None = None) -> Any:
        """A DataFrame of one of the store's datasets (empty, with its schema, if it has no files yet)."""
        full = pa.schema(list(schema) + list(partitions or []))
        if not self.exists(part):
            return self.spark.createDataFrame([], spark_schema(full)).select(*schema.names)
        return self.spark.read.schema(spark_schema(full)).parquet(self.uri(part)).select(*schema.names)

    def refresh(self) -> None:
        """(Re)register the views ``posts``, ``ingests`` and ``quarantine`` over the files as they are now."""
        from pyspark.sql import functions as F

        date = pa.schema([("date", pa.date32())])
        posts = self.read("posts", POST_SCHEMA, date)
        # files written before author_key existed read it as null: compute it there, the same keys as enrich's
        posts = posts.withColumn("author_key", F.coalesce(F.col("author_key"), F.expr(author_key.SPARK_SQL)))
        posts.createOrReplaceTempView("posts")
        self.read("ingests", INGESTS_SCHEMA).createOrReplaceTempView("ingests")
        self.read("quarantine", QUARANTINE_SCHEMA).createOrReplaceTempView("quarantine")
        _VIEWS_OF[id(self.spark)] = id(self)

    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        """Run an analytics query over this store (its views are put back first if another store took them)."""
        if _VIEWS_OF.get(id(self.spark)) != id(self):
            self.refresh()
        return super().sql(query, params)

    # -- meta ----------------------------------------------------------------------------------------
    def _read_meta(self) -> dict[str, str]:
        if not self.exists("meta"):
            return {}
        return {r["key"]: r["value"] for r in self.read("meta", META_SCHEMA).collect()}

    def _write_meta(self) -> None:
        rows = [{"key": k, "value": v} for k, v in sorted(self._meta.items())]
        df = self.spark.createDataFrame(rows, spark_schema(META_SCHEMA))
        df.coalesce(1).write.mode("overwrite").parquet(self.uri("meta"))

    def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.root}: opened read-only")
        self._meta[key] = value
        self._write_meta()

    def pseudonym_key(self) -> bytes:
        """The store's pseudonym secret: the DuckDB store's own code, on the file beside this root."""
        if self.read_only and not self.key_path.exists():
            raise StoreError(f"{self.key_path}: no pseudonym key beside the store")
        return Store.pseudonym_key(self)  # type: ignore[arg-type]  # same mechanism, same file format

    def privacy_settings(self) -> dict[str, Any]:
        raw = self.get_meta("privacy")
        return json.loads(raw) if raw else {"keep_handles": False, "public_figures": []}

    def set_privacy_settings(self, settings: dict[str, Any]) -> None:
        self.set_meta("privacy", json.dumps(settings, sort_keys=True))

    # -- appends (used by groundswell.spark.ingest) ---------------------------------------------------
    def next_ingest_id(self) -> int:
        got = self.scalar("SELECT max(ingest_id) FROM ingests")
        return int(got or 0) + 1

    def append(self, part: str, table: pa.Table, schema: pa.Schema) -> None:
        """Append a small driver-side Arrow table (ingest log rows) to one of the store's datasets."""
        if table.num_rows == 0:
            return
        df = self.spark.createDataFrame(table.select(schema.names).cast(schema).to_pylist(), spark_schema(schema))
        df.coalesce(1).write.mode("append").parquet(self.uri(part))
