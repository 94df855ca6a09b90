"""Which movements a store matches, kept in the store itself.

Ingest runs in worker processes that know nothing but their enrich context, so the definitions a store uses are
written once into its ``meta`` table (as TOML-shaped JSON, the definition itself, not a file path that may move)
and read back by every ingest. A store that was never configured matches the built-in definitions: groundswell's
first subject is #MeToo, and a store of #MeToo posts should not need a setup step to count them.

Changing the definitions later does not silently leave old posts matched by the old rules: :func:`rematch`
re-runs matching over every stored post.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyarrow as pa

from groundswell.enrich.movements import movement_lists
from groundswell.movements.definition import Movement, builtin, builtin_names, from_dict
from groundswell.store.duckdb_store import Store

META_KEY = "movements"


def default_movements() -> tuple[Movement, ...]:
    """The built-in definitions, matched by a store that was never configured."""
    return tuple(builtin(n) for n in builtin_names())


def store_movements(store: Store) -> tuple[Movement, ...]:
    """The movement definitions this store matches at ingest."""
    raw = get_meta(store, META_KEY)
    if raw is None:
        return default_movements()
    return tuple(from_dict(d, f"{store.path.name}:meta.movements") for d in json.loads(raw))


def set_store_movements(store: Store, movements: Sequence[Movement]) -> None:
    """Make ``movements`` the definitions matched by later ingests (call :func:`rematch` for stored posts)."""
    names = [m.name for m in movements]
    if len(set(names)) != len(names):
        raise ValueError(f"movement names must be unique, got {names}")
    set_meta(store, META_KEY, json.dumps([m.to_dict() for m in movements], ensure_ascii=False))


def get_meta(store: Store, key: str) -> str | None:
    """The store's own ``get_meta`` (which reads its result to the end, so a DuckDB connection is free for the
    next query); going through the store lets a Spark store answer too."""
    return store.get_meta(key)


def set_meta(store: Store, key: str, value: str) -> None:
    """``store.set_meta`` that finishes its statement, so the connection is free for the next one (DuckDB 2)."""
    store.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]).fetchall()


def rematch(store: Store, movements: Sequence[Movement] | None = None, *, batch_rows: int = 100_000) -> int:
    """Recompute the ``movements`` column of every stored post; return how many posts belong to some movement."""
    movs = tuple(movements) if movements is not None else store_movements(store)
    con = store.con
    cursor = con.cursor()  # a second cursor: the connection stays free while the posts stream
    reader = cursor.sql("SELECT platform, post_id, hashtags_norm, text, kind FROM posts").to_arrow_reader(batch_rows)
    updates = []
    for batch in reader:
        updates.append(
            pa.table(
                {
                    "platform": batch.column("platform"),
                    "post_id": batch.column("post_id"),
                    "movements": movement_lists(batch, movs),
                }
            )
        )
    cursor.close()
    if not updates:
        return 0
    table = pa.concat_tables(updates)
    store.begin()
    try:
        con.register("_rematch", table)
        con.execute(
            "UPDATE posts SET movements = r.movements FROM _rematch r "
            "WHERE posts.platform = r.platform AND posts.post_id = r.post_id"
        ).fetchall()
        con.unregister("_rematch")
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return int(store.scalar("SELECT count(*) FROM posts WHERE len(movements) > 0"))
