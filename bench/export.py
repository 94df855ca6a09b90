"""Benchmark ``groundswell export`` of real posts against the writers people would otherwise call, in one run.

    .venv/bin/python bench/export.py [--lines 100000]

Ingests the first ``--lines`` tweets of the shared #MeToo archive into a temporary store, builds the posts
table once (the store query and redaction, timed separately), then times each writer on that same table:

* ours: spreadsheet-safe CSV (quoting by type, formula neutralization, UTC ``Z`` times), JSON lines, Parquet;
* anchors: ``pyarrow.csv.write_csv`` (C++, no spreadsheet safety; it cannot write list columns, so it gets the
  table without them), ``pandas.DataFrame.to_csv`` (what a
  notebook does), ``pyarrow.parquet.write_table`` without the UTC relabelling.

Prints seconds, rows per second and the ratio to each anchor measured in this run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from groundswell.export import build, utc
from groundswell.export.csv_file import write_csv
from groundswell.export.jsonl_file import write_jsonl
from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        sample = Path(d) / "sample.jsonl"
        with gzip.open(METOO, "rt", encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
            for i, line in enumerate(src):
                if i == args.lines:
                    break
                dst.write(line)
        with Store(Path(d) / "b.duckdb") as store:
            ingest([str(sample)], store, workers=1)
            t0 = time.perf_counter()
            tbl = build(store, "posts")
            t_build = time.perf_counter() - t0
        n = tbl.num_rows
        # pyarrow's CSV writer refuses list columns; the anchor writes the rest (less work than ours)
        flat = tbl.drop_columns([f.name for f in tbl.schema if pa.types.is_list(f.type)])
        runs = {
            "ours csv": lambda: write_csv(tbl, io.BytesIO()),
            "ours jsonl": lambda: write_jsonl(tbl, io.BytesIO()),
            "ours parquet": lambda: pq.write_table(utc(tbl), io.BytesIO()),
            "anchor pyarrow.csv": lambda: pacsv.write_csv(flat, io.BytesIO()),
            "anchor pandas.to_csv": lambda: tbl.to_pandas().to_csv(io.BytesIO()),
            "anchor pyarrow.parquet": lambda: pq.write_table(tbl, io.BytesIO()),
        }
        secs = {name: min(timed(fn) for _ in range(2)) for name, fn in runs.items()}
    print(f"{n:,} posts; query + redaction (build): {t_build:.2f} s")
    for name, s in secs.items():
        print(f"{name:24s} {s:7.2f} s  {n / s:12,.0f} rows/s")
    print(f"ours csv / pyarrow.csv     = {secs['ours csv'] / secs['anchor pyarrow.csv']:.1f}x")
    print(f"ours csv / pandas.to_csv   = {secs['ours csv'] / secs['anchor pandas.to_csv']:.2f}x")
    print(f"ours jsonl / pandas.to_csv = {secs['ours jsonl'] / secs['anchor pandas.to_csv']:.2f}x")
    print(f"ours parquet / pyarrow     = {secs['ours parquet'] / secs['anchor pyarrow.parquet']:.2f}x")


if __name__ == "__main__":
    main()
