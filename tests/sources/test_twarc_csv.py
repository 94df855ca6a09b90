"""twarc-csv output reads to the same posts as the JSONL it was made from (twarc-csv 0.7.2, default options)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store
from tests.conftest import TWARC2, TWARC_CSV

# row counts stated in ../shared/data/README.md
ROWS = {"kpop": 100, "brexit": 100, "withheld": 215, "flat": 100, "edited": 1, "geo_tweets": 2}
COMPARED = [
    "post_id",
    "created_at",
    "kind",
    "parent_id",
    "root_id",
    "repost_of",
    "quote_of",
    "hashtags",
    "urls",
    "like_count",
    "repost_count",
    "reply_count",
    "quote_count",
    "author_followers",
    "lang",
    "author_id",
]


def _posts(path: Path, tmp: Path) -> tuple[dict[str, dict], object]:
    with Store(tmp / (path.name + ".duckdb")) as store:
        (res,) = ingest([path], store, workers=1)
        return {r["post_id"]: r for r in store.sql("SELECT * FROM posts WHERE NOT is_reference").to_pylist()}, res


@pytest.mark.parametrize("name", sorted(ROWS))
def test_csv_counts(name: str, tmp_path: Path) -> None:
    with open(TWARC_CSV / f"{name}.csv", newline="", encoding="utf-8") as f:
        ids = [r["id"] for r in csv.DictReader(f)]
    posts, res = _posts(TWARC_CSV / f"{name}.csv", tmp_path)
    assert res.format == "twarc-csv"
    assert len(ids) == ROWS[name] == res.counts.read
    assert res.counts.rejected == 0 and res.counts.stored == len(set(ids)) == len(posts)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_csv_matches_jsonl(name: str, tmp_path: Path) -> None:
    from_csv, _ = _posts(TWARC_CSV / f"{name}.csv", tmp_path)
    (tmp_path / "j").mkdir()
    # the same pseudonym key for both stores, so pseudonymized text and authors are comparable
    key = (tmp_path / f"{name}.csv.duckdb.key").read_bytes()
    (tmp_path / "j" / f"{name}.jsonl.duckdb.key").write_bytes(key)
    from_jsonl, _ = _posts(TWARC2 / f"{name}.jsonl", tmp_path / "j")
    assert set(from_csv) <= set(from_jsonl)
    for pid, c in from_csv.items():
        j = from_jsonl[pid]
        for field in COMPARED:
            if j["kind"] == "repost" and field not in {"post_id", "created_at", "kind", "repost_of", "root_id"}:
                continue  # twarc-csv merges retweets: its row carries the retweeted tweet's entities and metrics
            cv, jv = c[field], j[field]
            if field == "hashtags":
                cv, jv = [h.lower() for h in cv or []], [h.lower() for h in jv or []]
            if field == "urls":  # the JSONL reader prefers the API's unwound_url; twarc-csv keeps expanded_url
                cv, jv = len(cv or []), len(jv or [])
            assert cv == jv, (name, pid, field, cv, jv)
        if j["kind"] != "repost":
            assert c["text"] == j["text"], (name, pid)
