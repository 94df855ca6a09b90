"""Store memory as the table grows: does ingest's peak RSS stay flat at millions of posts? (issue #9)

    python bench/store_growth.py [--posts 10000000] [--no-cap] [--db PATH]

Ingest's main process writes every transaction into DuckDB, whose primary-key index (platform, post_id)
grows with the table. This script isolates that cost: it grows a store to ``--posts`` posts through
``Store.add_posts`` in transactions of ``TX_ROWS`` synthetic posts (fresh snowflake-sized ids, short texts),
exactly as ingest commits them, and prints this process's RSS and peak RSS every million posts, with CPU
seconds per million. By default it runs inside ``Store.memory_limit(STORE_MEMORY_MB)``, as ingest does;
``--no-cap`` shows DuckDB's default (up to 80% of RAM) for comparison. Parsing and enriching are not
involved: their memory does not depend on the store (see bench/ingest.py for the whole pipeline).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.schema import POST_SCHEMA
from groundswell.store.duckdb_store import Store

# the module, not the function ``groundswell.ingest`` that the package exposes under the same name
_ingest = importlib.import_module("groundswell.ingest")
TX_ROWS: int = _ingest.TX_ROWS
STORE_MEMORY_MB: int = _ingest.STORE_MEMORY_MB


def synthetic(start: int, n: int) -> pa.Table:
    """``n`` posts with ids ``start…``: only the columns the key and a typical row need, the rest null."""
    ids = pa.array(np.arange(start, start + n, dtype=np.int64) * 7919 + 10**18)
    cols = {f.name: pa.nulls(n, f.type) for f in POST_SCHEMA}
    cols["platform"] = pa.array(["twitter"] * n)
    cols["post_id"] = ids.cast(pa.string())
    cols["text"] = pc.binary_join_element_wise("me too #MeToo ", ids.cast(pa.string()), "")
    cols["created_at"] = pc.divide(ids, 1000).cast(pa.timestamp("us", tz="UTC"))
    cols["is_reference"] = pa.array(np.zeros(n, bool))
    cols["source_file"] = pa.array(["synthetic"] * n)
    cols["source_line"] = pa.array(np.arange(start, start + n, dtype=np.int64))
    return pa.table(cols, schema=POST_SCHEMA)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=10_000_000)
    ap.add_argument("--no-cap", action="store_true", help="leave DuckDB's memory limit at its default")
    ap.add_argument("--db", type=Path, help="store to create (default: in a temporary folder)")
    a = ap.parse_args()
    work = None if a.db else Path(tempfile.mkdtemp(prefix="gs-growth-"))
    db = a.db or work / "growth.duckdb"  # type: ignore[operator]
    me = psutil.Process()
    cap = "DuckDB default" if a.no_cap else f"ingest's cap ({STORE_MEMORY_MB} MB floor)"
    print(f"growing {db} to {a.posts:,} posts in {TX_ROWS:,}-row transactions, memory: {cap}")
    print(f"{'posts':>12} {'RSS MB':>8} {'peak MB':>8} {'CPU s / 1M':>11}")
    with Store(db) as store:
        limit = contextlib.nullcontext() if a.no_cap else store.memory_limit(STORE_MEMORY_MB)
        with limit:
            cpu = time.process_time()
            for start in range(0, a.posts, TX_ROWS):
                n = min(TX_ROWS, a.posts - start)
                store.begin()
                store.add_posts(synthetic(start, n))
                store.commit()
                done = start + n
                if done % 1_000_000 == 0 or done == a.posts:
                    now = time.process_time()
                    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
                    per_m = (now - cpu) / (((done - 1) % 1_000_000 + 1) / 1e6)
                    print(f"{done:12,} {me.memory_info().rss / 1e6:8,.0f} {peak:8,} {per_m:11.1f}", flush=True)
                    cpu = now
        assert store.scalar("SELECT count(*) FROM posts") == a.posts
    if work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
