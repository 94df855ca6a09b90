"""twarc2 JSONL: every real file of ../shared/data/twitter-api-v2 ingests, and the counts are right.

Expected counts come from an independent oracle: the file read with the standard json module, tweets
collected from ``data``, ``includes.tweets`` and (for flattened lines) the full referenced tweets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store
from tests.conftest import TWARC2

# lines that are not tweet pages, checked by hand against the files: file -> (rejected, reason prefix)
NOT_POSTS = {
    "counts.jsonl": (1, "not posts: tweet counts"),
    "users.jsonl": (1, "not posts: user objects"),
    "lists.jsonl": (2, "not posts: list objects"),
    "tweets_compliance.jsonl": (2, "not a post: compliance event"),
    "users_compliance.jsonl": (2, "not a post: compliance event"),
    "streaming_output_with_error.jsonl": (1, "invalid JSON"),
}


def oracle(path: Path) -> tuple[set[str], set[str], int]:
    """(primary ids, all ids, records) by reading the file with the standard library."""
    primary: set[str] = set()
    every: set[str] = set()
    records = 0
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        data = obj.get("data")
        if isinstance(data, dict):
            data = [data]
        if isinstance(data, list) and data and all("text" in t for t in data):
            for t in data:
                primary.add(t["id"])
                every.add(t["id"])
                records += 1
            for t in obj.get("includes", {}).get("tweets", []):
                every.add(t["id"])
                records += 1
        elif "text" in obj and "id" in obj:
            primary.add(obj["id"])
            every.add(obj["id"])
            records += 1
            for r in obj.get("referenced_tweets", []):
                if "text" in r:
                    every.add(r["id"])
                    records += 1
    return primary, every, records


FILES = sorted(p.name for p in TWARC2.glob("*.json*"))


@pytest.mark.parametrize("name", FILES)
def test_every_file_ingests_with_exact_counts(name: str, tmp_path: Path) -> None:
    path = TWARC2 / name
    primary, every, records = oracle(path)
    rejected, reason = NOT_POSTS.get(name, (0, ""))
    with Store(tmp_path / "s.duckdb") as store:
        (res,) = ingest([path], store, workers=1)
        assert res.error is None
        c = res.counts
        assert c.stored == len(every), name
        assert c.rejected == rejected, name
        assert c.read == records + rejected
        assert c.duplicates == records - len(every)
        assert c.reconciles()
        if rejected:
            reasons = [r["reason"] for r in store.sql("SELECT reason FROM quarantine").to_pylist()]
            assert len(reasons) == rejected and all(r.startswith(reason) for r in reasons), reasons
        stored_primary = {
            r["post_id"] for r in store.sql("SELECT post_id FROM posts WHERE NOT is_reference").to_pylist()
        }
        assert stored_primary == primary
        logged = store.sql("SELECT read, stored, duplicates, rejected, status, sha256 FROM ingests").to_pylist()
        assert logged[0]["stored"] == c.stored and logged[0]["status"] == "done" and len(logged[0]["sha256"]) == 64


def test_empty_file_is_recorded_not_fatal(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        (res,) = ingest([TWARC2 / "empty.json"], store, workers=1)
        assert res.error is None and res.note == "empty file" and res.counts.read == 0


def test_references_and_kinds(tmp_path: Path) -> None:
    """A retweet keeps what it retweets; the retweeted tweet from includes is stored, marked as reference."""
    with Store(tmp_path / "s.duckdb") as store:
        ingest([TWARC2 / "two_tweets.jsonl"], store, workers=1)
        rows = {r["post_id"]: r for r in store.sql("SELECT * FROM posts").to_pylist()}
    rt = rows["1394735776701816833"]
    assert rt["kind"] == "repost" and rt["repost_of"] == "1391677057810288641" and not rt["is_reference"]
    orig = rows["1391677057810288641"]
    assert orig["is_reference"] and orig["hashtags"] == ["POIUYTREWQ"] and orig["hashtags_norm"] == ["poiuytrewq"]
    assert rt["created_at"].isoformat() == "2021-05-18T19:24:56+00:00"
    assert rt["author_id"].startswith("u_") and rt["author_handle"] is None
    assert "bibaigna96" not in rt["text"]  # the mention of a private account is pseudonymized in stored text


def test_replies_and_quotes_keep_references(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        ingest([TWARC2 / "2sets.jsonl", TWARC2 / "withheld.jsonl"], store, workers=1)
        kinds = dict(
            (r["kind"], r["n"])
            for r in store.sql("SELECT kind, count(*) n FROM posts WHERE NOT is_reference GROUP BY 1").to_pylist()
        )
        bad = store.sql(
            "SELECT count(*) n FROM posts WHERE (kind='reply' AND parent_id IS NULL AND parent_author_id IS NULL) "
            "OR (kind='quote' AND quote_of IS NULL) OR (kind='repost' AND repost_of IS NULL)"
        ).to_pylist()[0]["n"]
    assert {"original", "reply", "repost", "quote"} <= set(kinds)
    assert bad == 0
