"""The Spark store and ingest on their own: layout, quarantine, re-ingest, the CLI's --engine spark."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from groundswell.cli import app
from groundswell.spark.ingest import spark_ingest
from groundswell.spark.store import SparkStore
from groundswell.store.duckdb_store import StoreError

from .conftest import TWARC2


def test_posts_are_parquet_partitioned_by_platform_and_utc_day(pair) -> None:
    posts = Path(pair.spark.root) / "posts"
    platforms = sorted(p.name for p in posts.iterdir() if p.is_dir())
    assert platforms == [
        "platform=bluesky",
        "platform=facebook",
        "platform=mastodon",
        "platform=reddit",
        "platform=twitter",
    ]
    days = sorted(p.name for p in (posts / "platform=twitter").iterdir())
    assert "date=2017-10-15" in days
    # any Parquet reader can read the store (standard microsecond timestamps, not Spark's INT96)
    one = next((posts / "platform=twitter" / "date=2017-10-15").glob("*.parquet"))
    t = pq.read_table(one)
    assert str(t.schema.field("created_at").type).startswith("timestamp[us")
    assert {d.date().isoformat() for d in t.column("created_at").to_pylist()} == {"2017-10-15"}


def test_quarantine_and_ingest_log_match_duckdb(pair) -> None:
    q = "SELECT file, line, reason, excerpt FROM quarantine ORDER BY file, line, reason"
    d, s = pair.duck.sql(q), pair.spark.sql(q)
    assert d.num_rows > 0
    assert s.equals(d)
    log = "SELECT file, format, read, stored, duplicates, rejected, primary_posts, sha256, status FROM ingests ORDER BY file"
    assert pair.spark.sql(log).equals(pair.duck.sql(log))


def test_reingesting_adds_nothing(pair, spark, inputs, tmp_path) -> None:
    one = [p for p in inputs if p.endswith("metoo-twarc2.jsonl")]
    store = SparkStore(tmp_path / "again.parquet", spark)
    first = spark_ingest(one, store)
    n = store.scalar("SELECT count(*) FROM posts")
    assert n == first[0].counts.stored > 0
    again = spark_ingest(one, store)
    c = again[0].counts
    assert (c.read, c.stored, c.rejected) == (first[0].counts.read, 0, 0)
    assert c.duplicates == c.read
    assert store.scalar("SELECT count(*) FROM posts") == n
    assert store.scalar("SELECT count(*) FROM ingests") == 2
    # two stores in one session take turns with the views: each query sees its own store
    count = "SELECT count(*) FROM posts"
    assert pair.spark.scalar(count) == pair.duck.scalar(count) != n
    assert store.scalar(count) == n


def test_unreadable_and_unknown_files_are_reported_not_fatal(spark, tmp_path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("not a post format at all\n" * 3)
    store = SparkStore(tmp_path / "odd.parquet", spark)
    got = spark_ingest([str(odd), str(tmp_path / "missing.jsonl"), str(TWARC2 / "two_tweets.jsonl")], store)
    assert got[0].error and "format" in got[0].error.lower()
    assert got[1].error and "missing.jsonl" in got[1].error
    assert got[2].error is None and got[2].counts.stored == 2
    assert store.scalar("SELECT count(*) FROM posts") == 2


def test_read_only_store_must_exist(spark, tmp_path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        SparkStore(tmp_path / "nothing.parquet", spark, read_only=True)


def test_cli_ingest_and_magnitude_with_engine_spark(pair, spark, tmp_path) -> None:
    """``--engine spark`` on the CLI prints what ``--engine duckdb`` prints for the same store content."""
    runner = CliRunner()
    root = tmp_path / "cli.parquet"
    files = [str(TWARC2 / "brexit.jsonl")]
    got = runner.invoke(app, ["ingest", *files, "--db", str(root), "--engine", "spark", "--master", "local[2]"])
    assert got.exit_code == 0, got.output
    assert "read" in got.output and "stored" in got.output
    duck = tmp_path / "cli.duckdb"
    assert runner.invoke(app, ["ingest", *files, "--db", str(duck), "--workers", "1"]).exit_code == 0
    # share nothing but the input: pseudonyms differ (different keys), counts and bins must not
    out = {}
    for engine, db in (("spark", root), ("duckdb", duck)):
        r = runner.invoke(app, ["magnitude", "--db", str(db), "--engine", engine, "--json", "--k", "1"])
        assert r.exit_code == 0, r.output
        out[engine] = json.loads(r.stdout)
    assert out["spark"] == out["duckdb"]
    assert out["duckdb"]["summary"][0]["posts"] > 0
    for engine, db in (("spark", root), ("duckdb", duck)):
        r = runner.invoke(app, ["cascades", "--db", str(db), "--engine", engine, "--json", "--k", "1"])
        assert r.exit_code == 0, r.output
        out[engine] = json.loads(r.stdout)["cascade sizes"]
    assert out["spark"] == out["duckdb"]
    shutil.rmtree(root)


def test_cli_store_uri_keeps_its_scheme_and_needs_a_key(spark, monkeypatch) -> None:
    """``--db s3a://bucket/x`` reaches Spark as a URI (a Path would fold it), and asks for a key file."""
    from groundswell.cli.options import open_store

    monkeypatch.delenv("GROUNDSWELL_KEY", raising=False)
    with pytest.raises(
        StoreError, match=r"s3a://research-bucket/metoo\.parquet: a store on object storage needs key_path"
    ):
        open_store(Path("s3a://research-bucket/metoo.parquet"), "spark", "local[2]")
