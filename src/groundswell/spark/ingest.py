"""Ingest on Spark: the same readers and the same enrich function, run inside Spark tasks.

A DataFrame of input files (one partition per file) goes through ``mapInArrow``; each task opens its file
with ``sources.io.open_input`` (decompression, hashing), cuts it with the reader's ``chunks`` and runs the
reader's ``parse`` plus ``enrich`` on every chunk: exactly what ``groundswell.ingest`` does in its worker
processes (it calls the same ``parse_and_enrich``). The task yields one Arrow stream holding three kinds of rows:
posts, quarantined records (excerpts redacted in the task) and one tally per file (records read, format,
hashes). That stream is staged as Parquet under the store, so parsing runs once, and then

* posts are deduplicated by ``(platform, post_id)`` the way the DuckDB store does it: inside one file, per
  transaction of ``TX_ROWS`` rows, a post of the collection beats a copy seen only as a reference, then the
  earlier line wins; across transactions and files the first stored copy wins; against the existing
  dataset the stored copy wins (a left anti join), so re-ingesting a file adds nothing;
* the new posts are appended to ``posts/`` partitioned by platform and UTC day, rejects to ``quarantine/``,
  one row per file to ``ingests/`` with ``read = stored + duplicates + rejected``.

What Spark changes: a file is one task (a compressed stream cannot be split), so parallelism comes from
the number of files; a crash part-way leaves no resume point (``ingests`` is written last), but running the
same command again stores only what is missing. Input paths must be readable by every executor: a shared
or mounted file system locally, or ``s3a://``-style URIs, which a task copies to local scratch space first.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from groundswell.enrich.pipeline import EnrichContext
from groundswell.enrich.work import parse_and_enrich
from groundswell.ingest import TX_ROWS, FileResult, expand
from groundswell.movements.config import store_movements
from groundswell.privacy.pseudonyms import PrivacySettings
from groundswell.schema import POST_SCHEMA
from groundswell.sources.io import SNIFF_BYTES, InputError, open_input
from groundswell.sources.registry import UnknownFormat, detect, reader_named
from groundswell.spark.store import INGESTS_SCHEMA, SparkStore, _is_uri, spark_schema
from groundswell.store.duckdb_store import IngestCounts

_i64, _str = pa.int64(), pa.string()
#: what a task yields: a post row, a reject row or a file's tally, told apart by ``_row``
EXTRA = pa.schema(
    [
        ("_row", _str),  # post / reject / tally
        ("_file", _i64),  # position of the file in the ingest call (earlier files win duplicates)
        ("_tx", _i64),  # transaction the DuckDB ingest would have put the row in
        ("_pos", _i64),  # row number inside the file
        ("_line", _i64),
        ("_reason", _str),
        ("_excerpt", _str),
        ("_tally", _str),  # JSON: the file's counts, format, hashes, note or error
    ]
)
TASK_SCHEMA = pa.schema(list(POST_SCHEMA) + list(EXTRA))


def _rows(kind: str, file: int, n: int) -> dict[str, pa.Array]:
    return {"_row": pa.array([kind] * n, _str), "_file": pa.array([file] * n, _i64)}


def _batch(cols: dict[str, Any], n: int) -> pa.RecordBatch:
    arrays = [cols[f.name] if f.name in cols else pa.nulls(n, f.type) for f in TASK_SCHEMA]
    return pa.RecordBatch.from_arrays(arrays, schema=TASK_SCHEMA)


def _local_copy(uri: str, scratch: str) -> str:
    """Copy a remote input to local scratch space with pyarrow's file systems (S3, GCS, HDFS)."""
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(uri.replace("s3a://", "s3://"))
    local = os.path.join(scratch, os.path.basename(path) or "input")
    with filesystem.open_input_stream(path) as src, open(local, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return local


def ingest_file(
    index: int,
    path: str,
    ctx: EnrichContext,
    fmt: str | None = None,
    max_line_bytes: int | None = None,
    where: str | None = None,
) -> Iterator[pa.RecordBatch]:
    """One file's posts, rejects and tally as ``TASK_SCHEMA`` batches (runs inside a Spark task).

    The same steps as ``groundswell.ingest`` for one file, minus the store: open, detect, chunk, parse and
    enrich each chunk; the tally's ``read`` counts every record, each ending as a post row or a reject row.
    """
    from groundswell.ingest import _redacted

    tally: dict[str, Any] = {"file": path, "format": fmt, "read": 0, "primary": 0, "utf8": 0, "reasons": {}}
    name = path if _is_uri(path) else str(Path(path))
    scratch = tempfile.mkdtemp(prefix="groundswell-") if _is_uri(path) else None
    try:
        try:
            opened = open_input(_local_copy(path, scratch) if scratch else (where or path))
        except (InputError, OSError) as e:
            tally["error"] = str(e) if isinstance(e, InputError) else f"{name}: cannot open: {e}"
            yield _batch({**_rows("tally", index, 1), "_tally": pa.array([json.dumps(tally)])}, 1)
            return
        tally.update(compression=opened.compression, size=opened.size, head_sha256=opened.head_sha256)
        try:
            if not opened.head.strip() and len(opened.head) < SNIFF_BYTES:
                while opened.stream.read(1 << 20):
                    pass
                tally.update(sha256=opened.sha256, note="empty file" + (f" ({opened.broken})" if opened.broken else ""))
            else:
                try:
                    reader = (reader_named(fmt) if fmt else detect(opened.head, name))()
                except UnknownFormat as e:
                    tally["error"] = str(e)
                    yield _batch({**_rows("tally", index, 1), "_tally": pa.array([json.dumps(tally)])}, 1)
                    return
                tally["format"] = reader.name
                if max_line_bytes:
                    reader.max_line_bytes = max_line_bytes
                pos = tx = tx_rows = 0
                for chunk in reader.chunks(opened.stream, name):
                    parsed = parse_and_enrich(reader, chunk, ctx)
                    tally["read"] += parsed.n_records
                    tally["primary"] += parsed.n_primary
                    tally["utf8"] += parsed.replaced_utf8
                    n = parsed.posts.num_rows
                    if n:
                        posts = pa.Table.from_batches([parsed.posts]).select(POST_SCHEMA.names).cast(POST_SCHEMA)
                        cols = {name_: posts.column(name_).combine_chunks() for name_ in POST_SCHEMA.names}
                        cols.update(_rows("post", index, n))
                        cols["_tx"] = pa.array([tx] * n, _i64)
                        cols["_pos"] = pa.array(range(pos, pos + n), _i64)
                        yield _batch(cols, n)
                        pos += n
                    rejects = _redacted(parsed.rejects)
                    if rejects:
                        m = len(rejects)
                        for r in rejects:
                            key = r.reason.split(":")[0]
                            tally["reasons"][key] = tally["reasons"].get(key, 0) + 1
                        yield _batch(
                            {
                                **_rows("reject", index, m),
                                "source_file": pa.array([r.source for r in rejects], _str),
                                "_line": pa.array([r.line for r in rejects], _i64),
                                "_reason": pa.array([r.reason for r in rejects], _str),
                                "_excerpt": pa.array([r.excerpt for r in rejects], _str),
                            },
                            m,
                        )
                    # the DuckDB ingest commits after the chunk that takes a transaction to TX_ROWS rows
                    tx_rows += n + len(parsed.rejects)
                    if tx_rows >= TX_ROWS:
                        tx, tx_rows = tx + 1, 0
                while opened.stream.read(1 << 20):
                    pass
                tally.update(sha256=opened.sha256)
                if opened.broken:
                    tally["broken"] = opened.broken
                    tally["note"] = f"{name}: {opened.broken}; the {tally['read']:,} records before the break were read"
        finally:
            opened.close()
        yield _batch({**_rows("tally", index, 1), "_tally": pa.array([json.dumps(tally)])}, 1)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _task(ctx: EnrichContext, fmt: str | None, max_line_bytes: int | None):
    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for b in batches:
            files, paths, wheres = (b.column(c).to_pylist() for c in ("file", "path", "where"))
            for index, path, where in zip(files, paths, wheres, strict=True):
                yield from ingest_file(index, path, ctx, fmt, max_line_bytes, where)

    return run


def spark_ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: SparkStore,
    *,
    fmt: str | None = None,
    classify: bool = False,
    max_line_bytes: int | None = None,
) -> list[FileResult]:
    """Ingest files into a :class:`SparkStore`, one Spark task per file; one ``FileResult`` per file.

    The counts are the DuckDB ingest's: ``read = stored + duplicates + rejected`` for every file.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # names as given (folders expanded): source_file and the ingest log say what the user passed, as on DuckDB
    names = _given(paths)
    if "-" in names:
        raise ValueError("the spark engine reads files, not stdin")
    if not names:
        return []
    ctx = EnrichContext(
        key=store.pseudonym_key(),
        privacy=PrivacySettings.from_dict(store.privacy_settings()),
        movements=store_movements(store),
        participation=classify,
    )
    spark = store.spark
    started = datetime.now(UTC)
    # tasks open local files by absolute path: a Python worker keeps the directory it started in, which is
    # not the driver's once the driver changes directory (names as given still label the rows)
    listing = spark.createDataFrame(
        [(i, f, f if _is_uri(f) else os.path.abspath(f)) for i, f in enumerate(names)],
        "file long, path string, where string",
    ).repartition(len(names), "file")
    staging = f"_staging/{started:%Y%m%dT%H%M%S%f}"
    spark.sparkContext.setJobDescription(f"groundswell ingest: parse and enrich {len(names)} file(s)")
    try:
        listing.mapInArrow(_task(ctx, fmt, max_line_bytes), spark_schema(TASK_SCHEMA)).write.parquet(store.uri(staging))
        staged = spark.read.schema(spark_schema(TASK_SCHEMA)).parquet(store.uri(staging))
        first_id = store.next_ingest_id()
        posts = staged.where(F.col("_row") == "post")
        order = Window.partitionBy("platform", "post_id").orderBy("_file", "_tx", "is_reference", "source_line", "_pos")
        winners = posts.withColumn("_rank", F.row_number().over(order)).where(F.col("_rank") == 1)
        existing = store.read("posts", pa.schema([POST_SCHEMA.field("platform"), POST_SCHEMA.field("post_id")]))
        new = winners.join(existing, ["platform", "post_id"], "left_anti").persist()
        spark.sparkContext.setJobDescription("groundswell ingest: store new posts")
        stored = {r["_file"]: r["count"] for r in new.groupBy("_file").count().collect()}
        (
            new.select(*POST_SCHEMA.names, F.to_date("created_at").alias("date"))
            .repartition("platform", "date")
            .write.mode("append")
            .partitionBy("platform", "date")
            .parquet(store.uri("posts"))
        )
        new.unpersist()
        # one pass for what the driver needs per file: its tally and how many post rows it gave
        per_file = (
            staged.where(F.col("_row") != "reject")
            .groupBy("_file")
            .agg(
                F.count(F.when(F.col("_row") == "post", 1)).alias("posts"),
                F.max("_tally").alias("tally"),
            )
            .collect()
        )
        rows = {r["_file"]: r["posts"] for r in per_file}
        tallies = {r["_file"]: json.loads(r["tally"]) for r in per_file}
        if any(t.get("reasons") for t in tallies.values()):
            spark.sparkContext.setJobDescription("groundswell ingest: quarantine rejected records")
            (
                staged.where(F.col("_row") == "reject")
                .select(
                    (F.col("_file") + F.lit(first_id)).alias("ingest_id"),
                    F.col("source_file").alias("file"),
                    F.col("_line").alias("line"),
                    F.col("_reason").alias("reason"),
                    F.col("_excerpt").alias("excerpt"),
                )
                .write.mode("append")
                .parquet(store.uri("quarantine"))
            )
    finally:
        store.delete(staging)
    finished = datetime.now(UTC)
    results, log = [], []
    for i, name in enumerate(names):
        t = tallies[i]
        if t.get("error"):
            results.append(FileResult(name, None, error=t["error"]))
            continue
        n_rejected = sum(t["reasons"].values())
        counts = IngestCounts(
            read=t["read"],
            stored=stored.get(i, 0),
            duplicates=rows.get(i, 0) - stored.get(i, 0),
            rejected=n_rejected,
            primary=t["primary"],
            reasons=t["reasons"],
            replaced_utf8=t["utf8"],
        )
        status = "truncated" if t.get("broken") else "done"
        results.append(FileResult(name, t["format"], counts, note=t.get("note"), broken=t.get("broken")))
        log.append(
            {
                "ingest_id": first_id + i,
                "file": name,
                "format": t["format"] or "",
                "compression": t.get("compression"),
                "size": t.get("size"),
                "sha256": t.get("sha256"),
                "read": counts.read,
                "stored": counts.stored,
                "duplicates": counts.duplicates,
                "rejected": counts.rejected,
                "primary_posts": counts.primary,
                "started": started,
                "finished": finished,
                "status": status,
                "message": t.get("note") or "",
                "head_sha256": t.get("head_sha256"),
                "replaced_utf8": counts.replaced_utf8,
            }
        )
    store.append("ingests", pa.Table.from_pylist(log, schema=INGESTS_SCHEMA), INGESTS_SCHEMA)
    store.refresh()
    return results


def _given(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The inputs as the user spelled them, folders expanded the way ``groundswell ingest`` expands them."""
    out: list[str] = []
    for p in paths:
        out += [str(p)] if _is_uri(str(p)) else [f if f == "-" else str(Path(f)) for f in expand([p])]
    return out
