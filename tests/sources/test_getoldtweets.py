"""The 2017 #MeToo scrape: its quirks are undone by the reader, checked against independent computations."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from groundswell.ingest import ingest
from groundswell.sources.getoldtweets import repair_text
from groundswell.store.duckdb_store import Store
from tests.conftest import METOO

EASTERN = ZoneInfo("US/Eastern")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """Every 50th line of the real file, as its own .jsonl.gz (about 5,600 posts spread over all days)."""
    out = tmp_path_factory.mktemp("metoo") / "sample.jsonl.gz"
    rows = []
    with gzip.open(METOO, "rt", encoding="utf-8") as f, gzip.open(out, "wt", encoding="utf-8") as g:
        for i, line in enumerate(f):
            if i % 50 == 0:
                g.write(line)
                rows.append(json.loads(line))
    return out, rows


@pytest.fixture(scope="module")
def stored(sample: tuple[Path, list[dict]], tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, bytes, object]:
    path, _ = sample
    db = tmp_path_factory.mktemp("store") / "s.duckdb"
    with Store(db) as store:
        (res,) = ingest([path], store, workers=2)
        posts = {r["post_id"]: r for r in store.sql("SELECT * FROM posts").to_pylist()}
        key = store.pseudonym_key()
    return posts, key, res


def test_counts(sample, stored) -> None:
    _, rows = sample
    posts, _, res = stored
    assert res.counts.read == len(rows) == res.counts.stored and res.counts.rejected == 0
    assert set(posts) == {r["tweet_id"] for r in rows}


def test_utc_from_snowflake_agrees_with_eastern_wall_time(sample, stored) -> None:
    _, rows = sample
    posts, _, _ = stored
    for r in rows:
        got = posts[r["tweet_id"]]["created_at"]
        local = datetime.fromisoformat(r["date"])
        # the scrape's wall clock has whole seconds, the snowflake milliseconds; in the hour the clocks go
        # back (5 Nov 2017, 01:00-02:00) a wall time is ambiguous, which is why the snowflake is trusted
        walls = {local.replace(tzinfo=EASTERN, fold=f).astimezone(UTC) for f in (0, 1)}
        assert any(timedelta(0) <= got - w < timedelta(seconds=1) for w in walls), (r["tweet_id"], got, walls)


def test_author_is_the_permalink_handle_pseudonymized(sample, stored) -> None:
    _, rows = sample
    posts, key, _ = stored
    multi = 0
    for r in rows:
        handle = r["permalink"].split("/")[3].lower()
        expected = "u_" + hashlib.blake2b(f"twitter:@{handle}".encode(), key=key, digest_size=10).hexdigest()
        p = posts[r["tweet_id"]]
        assert p["author_id"] == expected
        assert p["author_handle"] is None
        if len(r["username"].split()) > 1:
            multi += 1
            assert p["kind"] == "reply" and p["parent_author_id"] is not None
    assert multi > 100  # the sample does exercise the reply-to quirk


def test_hashtags_are_reextracted_from_repaired_text(sample, stored) -> None:
    posts, _, _ = stored
    with_metoo = sum(1 for p in posts.values() if "metoo" in p["hashtags_norm"])
    assert with_metoo / len(posts) > 0.95  # the search term was #metoo
    assert not any("# " in (p["text"] or "")[:2] for p in posts.values() if p["text"].startswith("# M"))


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("Right??!! # MeToo", "Right??!! #MeToo"),
        ("# MeToo # YoTambién", "#MeToo #YoTambién"),
        ("@ michellemalkin # pursuethetruth", "@michellemalkin #pursuethetruth"),
        ("We're # 1", "We're #1"),  # indistinguishable from a split tag: repaired, and '#1' is no hashtag
        ("a # b", "a #b"),
        ("email me at a@ b", "email me at a@ b"),  # '@' after a letter is not a sigil
        ("#already #fine", "#already #fine"),
    ],
)
def test_repair_text(raw: str, fixed: str) -> None:
    assert repair_text(raw) == fixed
