"""Stores made before ``author_key`` existed keep working, and give the figures a fresh ingest gives.

The old layout is made the only way such a store came to be here: a store ingested by today's code, then its
``author_key`` column dropped (what every store written before the column looks like: the same columns, in
the same order, without the last one). Opened writable, the store gains the column, filled in SQL; opened
read-only (a report on a store nobody may write), a temporary view adds a 64-bit hash of author_id to count
over. Either way every magnitude figure equals the fresh store's, and so does the CLI's whole output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from groundswell.analytics import magnitude, timeline
from groundswell.cli import app
from groundswell.privacy.author_key import author_keys
from groundswell.store.duckdb_store import Store
from tests.analytics import stores


@pytest.fixture(scope="module")
def fresh() -> Path:
    db, _ = stores.multi_platform()
    return db


def _old_layout(src: Path, dest: Path) -> Path:
    shutil.copy(src, dest)
    shutil.copy(src.with_name(src.name + ".key"), dest.with_name(dest.name + ".key"))
    con = duckdb.connect(str(dest))
    con.execute("ALTER TABLE posts DROP COLUMN author_key")
    con.execute("CHECKPOINT")
    con.close()
    return dest


def _columns(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'posts'").fetchall()
        ]
    finally:
        con.close()


def _figures(store) -> dict[str, object]:
    return {
        "headline": magnitude.headline(store),
        "first day": magnitude.first_hours(store, 24),
        "platform": magnitude.by(store, "platform"),
        "lang": magnitude.by(store, "lang", {"platform": "twitter"}),
        "hashtags": magnitude.top_hashtags(store),
        "hours": magnitude.series(store, "hour"),
        "participants": magnitude.participants(store, "day"),
        "weeks": magnitude.participants(store, "week"),
        "to participants": magnitude.time_to_participants(store, (10, 100, 1000, 10**6)),
        "bursts": timeline.bursts(store, "hour"),
    }


def _same(a: dict[str, object], b: dict[str, object]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        x, y = a[k], b[k]
        assert x.equals(y) if isinstance(x, pa.Table) else x == y, k


def test_read_only_open_of_an_old_store_counts_over_a_view(fresh: Path, tmp_path: Path) -> None:
    old = _old_layout(fresh, tmp_path / "old.duckdb")
    assert "author_key" not in _columns(old)
    with Store(fresh, read_only=True) as a, Store(old, read_only=True) as b:
        want = _figures(a)
        assert want["headline"].authors > 100
        _same(_figures(b), want)
        _same(_figures(b.on_new_cursor()), want)  # the web backend's cursors see the view too
    assert "author_key" not in _columns(old)  # nothing was written


def test_writable_open_adds_and_fills_the_column(fresh: Path, tmp_path: Path) -> None:
    old = _old_layout(fresh, tmp_path / "old.duckdb")
    with Store(old) as b:
        cols = b.sql("SELECT column_name FROM duckdb_columns() WHERE table_name = 'posts'").column(0).to_pylist()
        assert cols[-1] == "author_key"
        t = b.sql("SELECT author_id, author_key FROM posts ORDER BY platform, post_id")
        assert t.column("author_key").null_count == t.column("author_id").null_count
        assert t.column("author_key").to_pylist() == author_keys(t.column("author_id")).to_pylist()
    with Store(fresh, read_only=True) as a, Store(old, read_only=True) as b:
        q = "SELECT platform, post_id, author_key FROM posts ORDER BY platform, post_id"
        assert a.sql(q).equals(b.sql(q))
        _same(_figures(b), _figures(a))


def test_posts_added_without_keys_get_them(fresh: Path, tmp_path: Path) -> None:
    with Store(fresh, read_only=True) as a:
        want = a.sql("SELECT * FROM posts ORDER BY platform, post_id")
    with Store(tmp_path / "new.duckdb") as b:
        assert b.add_posts(want.drop_columns(["author_key"])) == want.num_rows
        got = b.sql("SELECT * FROM posts ORDER BY platform, post_id")
    assert got.equals(want)


def test_cli_magnitude_is_the_same_on_an_old_store(fresh: Path, tmp_path: Path) -> None:
    old = _old_layout(fresh, tmp_path / "old.duckdb")
    runner = CliRunner()
    outs = []
    for db in (fresh, old):
        r = runner.invoke(app, ["magnitude", "--db", str(db), "--json"])
        assert r.exit_code == 0, r.output
        outs.append(r.output)
    assert '"authors"' in outs[0]
    assert outs[1] == outs[0]
