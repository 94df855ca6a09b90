"""A bigger store from a smaller one, for timing the analytics at a size nobody wants to ingest twice.

    .venv/bin/python bench/replicate_store.py SRC.duckdb DEST.duckdb --times 10

Copies every table of ``SRC`` into ``DEST`` and then replaces its posts with ``times`` copies, each with
its own post, author, parent and root ids (suffixed ``~i``; copy 0 keeps the originals), so counts,
distinct authors and cascades all scale by ``times`` while the time axis, languages and classes keep the source's shape: ten copies of
the same movement happening at once, each post of a copy moved by a fixed pseudo-random ±30 minutes. It is
a stand-in for *query* timing only — ingest figures must come from a real ingest (bench/scale.py).

``author_key`` follows the ids: copied from a source that has it, it is recomputed from each copy's
``author_id`` (the same SQL a store backfill uses); from a source made before the column, the copy is opened
once with ``groundswell.Store`` afterwards, which adds and fills it (the backfill time is printed).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from groundswell.privacy.author_key import duckdb_sql
from groundswell.store.duckdb_store import Store

#: columns that name a post or an author, suffixed per copy so copies do not collide or merge
_ID_COLUMNS = (
    "post_id",
    "author_id",
    "author_alias",
    "parent_id",
    "parent_author_id",
    "root_id",
    "repost_of",
    "quote_of",
)


def replicate(src: Path, dest: Path, times: int) -> int:
    """Write ``dest`` with ``times`` copies of ``src``'s posts; return the number of posts."""
    for f in (dest, dest.with_name(dest.name + ".wal")):
        f.unlink(missing_ok=True)
    con = duckdb.connect(str(dest))
    con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
    here = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f'COPY FROM DATABASE src TO "{here}" (SCHEMA)')
    tables = [
        r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
    ]
    for t in tables:
        if t != "posts":
            con.execute(f'INSERT INTO "{t}" SELECT * FROM src."{t}"')
    q = "SELECT column_name FROM information_schema.columns WHERE table_name = 'posts' AND table_catalog = 'src'"
    cols = [r[0] for r in con.execute(q).fetchall()]
    present = [c for c in _ID_COLUMNS if c in cols]
    replace = ", ".join(f"CASE WHEN i = 0 OR {c} IS NULL THEN {c} ELSE {c} || '~' || i END AS {c}" for c in present)
    # copies are moved by up to ±30 min (a hash of id and copy): identical times would be a burst no movement
    # has, and would send the Hawkes fit somewhere real data never takes it
    jitter = "CASE WHEN i = 0 THEN 0 ELSE CAST(hash(post_id, i) % 3600000000 AS BIGINT) - 1800000000 END"
    replace += f", created_at + to_microseconds({jitter}) AS created_at"
    if "author_key" in cols:  # a pure function of author_id: the copies' suffixed ids get their own keys
        new_id = "CASE WHEN i = 0 OR author_id IS NULL THEN author_id ELSE author_id || '~' || i END"
        replace += f", {duckdb_sql(f'({new_id})')} AS author_key"
    # built without the (platform, post_id) primary key: the analytics never use it, and indexing 10M rows
    # would make the copy take as long as the ingest it stands in for
    con.execute("DROP TABLE posts")
    con.execute(f"CREATE TABLE posts AS SELECT p.* REPLACE ({replace}) FROM src.posts AS p, range({int(times)}) t(i)")
    n = con.execute("SELECT count(*) FROM posts").fetchone()[0]
    con.execute("DETACH src")
    con.execute("CHECKPOINT")
    con.close()
    return int(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--times", type=int, default=10)
    a = ap.parse_args()
    t = time.perf_counter()
    n = replicate(a.src, a.dest, a.times)
    print(f"{a.dest}: {n:,} posts ({a.times} copies of {a.src}) in {time.perf_counter() - t:.0f} s")
    t, cpu = time.perf_counter(), time.process_time()
    with Store(a.dest) as store:  # a store made before author_key gains it here (once)
        keys = store.scalar("SELECT count(author_key) FROM posts")
    print(
        f"opened writable: {keys:,} author keys ({time.perf_counter() - t:.1f} s, {time.process_time() - cpu:.1f} CPU s)"
    )


if __name__ == "__main__":
    main()
