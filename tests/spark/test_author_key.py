"""author_key on Spark: the same keys as DuckDB's, from ingest and from a dataset written before the column.

The parity store (``conftest.py``) was ingested by both engines; ``test_parity`` compares every stored column,
``author_key`` included. Here: Spark's SQL definition of the key (what a store written before the column gets
in its ``posts`` view) equals the Python one on the real ids of that store, and a Parquet store whose files
lack the column answers the magnitude questions exactly as the DuckDB store does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.analytics import magnitude, timeline
from groundswell.privacy.author_key import SPARK_SQL, author_keys
from groundswell.spark.store import SparkStore


def test_spark_sql_key_equals_python_on_real_ids(pair, spark) -> None:
    ids = pair.duck.sql("SELECT DISTINCT author_id FROM posts ORDER BY 1").column(0).to_pylist()
    ids += ["u_ffffffffffffffff0000", "u_8000000000000000aaaa", "u_7fffffffffffffff0123", "alice", "u_00~3"]
    assert len(ids) > 1000
    df = spark.createDataFrame([(i, s) for i, s in enumerate(ids)], "i INT, author_id STRING")
    rows = sorted(df.selectExpr("i", f"{SPARK_SQL} AS k").collect())
    got = [r["k"] for r in rows]
    assert got == author_keys(pa.array(ids, pa.string())).to_pylist()


def test_parquet_store_without_the_column_gets_the_same_figures(pair, spark, tmp_path: Path) -> None:
    root = tmp_path / "old.parquet"
    shutil.copytree(pair.spark.root, root)
    shutil.copy(Path(pair.spark.root + ".key"), tmp_path / "old.parquet.key")
    rewritten = 0
    for f in (root / "posts").rglob("*.parquet"):
        t = pq.read_table(f, partitioning=None)
        assert "author_key" in t.column_names
        pq.write_table(t.drop_columns(["author_key"]), f)
        f.with_name(f".{f.name}.crc").unlink(missing_ok=True)  # Hadoop's checksum of the file as it was
        rewritten += 1
    assert rewritten > 0
    old = SparkStore(root, spark, read_only=True)
    try:
        assert (
            old.sql("SELECT count(*) AS n FROM posts WHERE author_key IS NULL AND author_id IS NOT NULL")
            .column(0)[0]
            .as_py()
            == 0
        )
        assert magnitude.headline(old) == magnitude.headline(pair.duck)
        assert magnitude.by(old, "platform").equals(magnitude.by(pair.duck, "platform"))
        assert magnitude.participants(old, "day").equals(magnitude.participants(pair.duck, "day"))
        assert timeline.bursts(old, "hour").equals(timeline.bursts(pair.duck, "hour"))
    finally:
        old.close()
