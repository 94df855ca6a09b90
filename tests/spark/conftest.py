"""One local Spark session per test process, and the same inputs ingested by both engines.

Spark starts slowly (a JVM, then Python workers), so everything here is session-scoped: one ``local[2]``
session, one simulated movement, and one ingest of the same files into a DuckDB store and into a Spark store
that share the pseudonym key (so the same input gives the same pseudonyms on both). Parity tests then ask
both stores the same questions.
"""

from __future__ import annotations

import gzip
import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from groundswell.ingest import FileResult, ingest
from groundswell.simulate import SimConfig, simulate
from groundswell.spark.ingest import spark_ingest
from groundswell.spark.session import spark_session
from groundswell.spark.store import SparkStore
from groundswell.store.duckdb_store import Store

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
TWARC2 = DATA / "twitter-api-v2"
#: first lines of the real 2017 archive: the morning of 15 Oct and the takeoff after 20:21 UTC are in them
METOO_LINES = 2000


@pytest.fixture(scope="session")
def spark():
    return spark_session(
        "local[2]",
        conf={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "1",
            "spark.default.parallelism": "2",
            "spark.driver.memory": "2g",
        },
    )


@dataclass
class Pair:
    """The same inputs in both engines' stores."""

    duck: Store
    spark: SparkStore
    inputs: list[str]
    duck_results: list[FileResult]
    spark_results: list[FileResult]


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A simulated movement on five platforms, two real twarc2 files (one with error lines), a metoo2017 slice."""
    base = tmp_path_factory.mktemp("inputs")
    simulate(
        SimConfig(posts=1000, platforms=("twitter", "facebook", "bluesky", "mastodon", "reddit"), seed=7),
        base / "sim",
    )
    sim = sorted(str(p) for p in (base / "sim").rglob("*") if p.is_file() and p.name != "truth.json")
    head = base / "metoo2017-head.jsonl"
    with gzip.open(METOO, "rb") as f:
        head.write_bytes(b"".join(itertools.islice(f, METOO_LINES)))
    real = [str(TWARC2 / "brexit.jsonl"), str(TWARC2 / "streaming_output_with_error.jsonl"), str(head)]
    return sim + real


@pytest.fixture(scope="session")
def pair(spark, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Pair:
    base = tmp_path_factory.mktemp("stores")
    duck = Store(base / "parity.duckdb")
    duck_results = ingest(inputs, duck, workers=1, classify=True)
    # the same key beside the Spark store: the same mechanism reads it, so pseudonyms must agree
    (base / "parity.parquet.key").write_bytes((base / "parity.duckdb.key").read_bytes())
    sp = SparkStore(base / "parity.parquet", spark)
    spark_results = spark_ingest(inputs, sp, classify=True)
    return Pair(duck, sp, inputs, duck_results, spark_results)
