"""CSV exports opened the way spreadsheets open them: ids exact, formulas inert, UTC named, BOM optional."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from groundswell.export import export, neutralize
from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store

from .conftest import FIXTURES


def spreadsheet_rows(path: Path) -> list[dict]:
    """Read CSV the way a spreadsheet types cells: a quoted cell is text, a bare cell is a number (a float).

    Python's csv with QUOTE_NONNUMERIC does exactly that, so a 19-digit id written bare comes back as a float
    that has lost its last digits, and the id checks below fail.
    """
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f, quoting=csv.QUOTE_NONNUMERIC))


def test_posts_csv_keeps_every_id_exact_in_a_spreadsheet_reader(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "posts.csv"
    export(metoo, "posts", "csv", out)
    rows = spreadsheet_rows(out)
    expected = metoo.sql("SELECT post_id, parent_id FROM posts WHERE NOT is_reference").to_pylist()
    assert len(rows) == len(expected) == 30_000
    assert all(isinstance(r["post_id"], str) for r in rows)
    assert sorted(r["post_id"] for r in rows) == sorted(e["post_id"] for e in expected)
    assert max(len(r["post_id"]) for r in rows) == 18  # 2017 snowflakes: far past a double's 15-16 digits
    # counts are bare numbers: the spreadsheet sums them, and the sum is the store's
    assert sum(r["like_count"] for r in rows) == metoo.scalar(
        "SELECT sum(like_count) FROM posts WHERE NOT is_reference"
    )


def test_posts_csv_read_by_pandas_with_default_dtypes(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "posts.csv"
    export(metoo, "posts", "csv", out)
    df = pd.read_csv(out)  # default dtypes, as a notebook would
    assert len(df) == metoo.scalar("SELECT count(*) FROM posts WHERE NOT is_reference")
    assert set(df["post_id"].astype(str)) == set(metoo.sql("SELECT post_id FROM posts").column(0).to_pylist())
    assert df["repost_count"].sum() == metoo.scalar("SELECT sum(repost_count) FROM posts")
    # times: every cell names UTC ('Z'), and parses back to the store's instant
    assert df["created_at"].str.endswith("Z").all()
    got = pd.to_datetime(df["created_at"], utc=True).min().to_pydatetime()
    assert got == metoo.scalar("SELECT min(created_at) FROM posts").astimezone(UTC)


def test_a_cell_starting_with_a_formula_sign_is_neutralized(tmp_path: Path) -> None:
    db = tmp_path / "formula.duckdb"
    with Store(db) as store:
        ingest([str(FIXTURES / "formula_injection_twarc2.jsonl")], store, workers=1)
        originals = {r["post_id"]: r["text"] for r in store.sql("SELECT post_id, text FROM posts").to_pylist()}
        out = tmp_path / "posts.csv"
        export(store, "posts", "csv", out)
    rows = spreadsheet_rows(out)
    assert len(rows) == 5
    starts = sorted(originals[r["post_id"]][0] for r in rows)
    assert starts == sorted(["=", "+", "-", "@", "\t"])
    for r in rows:
        original = originals[r["post_id"]]
        assert r["text"] == "'" + original  # prefixed with a quote mark, nothing else changed
        assert r["text"][1:] == original
    assert [r for r in rows if r["text"].startswith("'=HYPERLINK(")]
    # no text cell anywhere in the file starts with a formula sign
    for r in rows:
        for v in r.values():
            assert not (isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r"))


def test_neutralize_leaves_ordinary_text_alone() -> None:
    assert neutralize("me too") == "me too"
    assert neutralize("#MeToo") == "#MeToo"
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("\rx") == "'\rx"
    assert neutralize("") == ""


def test_bom_option_writes_utf8_bom_and_readers_still_see_the_header(metoo: Store, tmp_path: Path) -> None:
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    export(metoo, "magnitude", "csv", plain, k=5)
    export(metoo, "magnitude", "csv", bom, k=5, bom=True)
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert bom.read_bytes()[3:] == plain.read_bytes()
    assert list(pd.read_csv(bom, encoding="utf-8-sig").columns)[:3] == ["bin", "posts", "authors"]


def test_csv_to_stdout_is_the_same_bytes_as_the_file(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    export(metoo, "magnitude", "csv", out, k=5)
    buf = io.BytesIO()
    r = export(metoo, "magnitude", "csv", None, k=5, stdout=buf)
    assert r.path is None
    assert buf.getvalue() == out.read_bytes()
    first = buf.getvalue().decode().splitlines()[1]
    assert first.startswith('"2017-10-1') and 'Z"' in first and datetime.fromisoformat(first.split('"')[1])
