"""Matching in enrich, through ingest: a real-format file of cases, each post's expected movements stated here.

``fixtures/matching_cases.jsonl`` is Twitter v1 JSON written for these cases; the store matches the built-in
``metoo`` and the user's ``timesup_own_movement.toml``.
"""

from __future__ import annotations

import pickle

import pytest

from groundswell.enrich.movements import match_movements
from groundswell.enrich.pipeline import fill_entities
from groundswell.ingest import ingest
from groundswell.movements import builtin, load
from groundswell.movements.config import rematch, set_store_movements, store_movements
from groundswell.sources.twitter_v1 import TwitterV1Reader
from groundswell.store.duckdb_store import Store

EXPECTED = {
    "1001": ["metoo"],  # #MeToo
    "1002": ["metoo"],  # full-width #ＭｅＴｏｏ
    "1003": ["metoo"],  # #YoTambien, a variant without the accent
    "1004": ["metoo"],  # #米兔
    "1005": ["timesup"],  # #TimesUp alone: related to #MeToo, not counted in it
    "1006": ["metoo", "timesup"],  # both: a post can belong to several movements
    "1007": ["metoo"],  # "Me too." as a reply: the phrase, scoped to replies
    "1008": [],  # "Me too." as an original post: too common to count
    "1009": [],  # "me toooo" in a reply: not the phrase
    "1010": ["metoo"],  # "Me  Too movement" (two spaces): an any-scope phrase
    "1011": [],  # #metoopia is another hashtag
    "1012": ["timesup"],  # "Time's up" in words: the user's phrase
    "1013": [],  # #HowIWillChange: related, not a member
    "1014": ["metoo"],  # "balance ton porc" in words
    "1015": [],  # "#metoo#svpol": not a hashtag by twitter-text's rules (no end boundary), so not matched
}


@pytest.fixture(scope="module")
def db(tmp_path_factory, fixtures):
    db = tmp_path_factory.mktemp("matching") / "cases.duckdb"
    with Store(db) as st:
        set_store_movements(st, [builtin("metoo"), load(fixtures / "timesup_own_movement.toml")])
        ingest([fixtures / "matching_cases.jsonl"], st, workers=1)
    return db


def _movements(db) -> dict[str, list[str]]:
    with Store(db, read_only=True) as st:
        return {r["post_id"]: r["movements"] for r in st.sql("SELECT post_id, movements FROM posts").to_pylist()}


def test_each_case_matches_as_stated(db):
    assert _movements(db) == EXPECTED


def test_rematch_applies_new_definitions_to_stored_posts(db, fixtures):
    wide = load(fixtures / "related_counted.toml")
    with Store(db) as st:
        members = rematch(st, [wide])
    got = _movements(db)
    assert got["1013"] == ["metoo_wide"]  # related counted now
    assert got["1005"] == []  # #TimesUp is not in this definition
    assert got["1007"] == []  # nor are phrases
    # by hand: 1001 #MeToo, 1002 #ＭｅＴｏｏ, 1006 #MeToo #TimesUp, 1013 #HowIWillChange
    assert sorted(k for k, v in got.items() if v) == ["1001", "1002", "1006", "1013"]
    assert members == 4
    with Store(db) as st:
        rematch(st)  # back to the definitions the store is configured with
    assert _movements(db) == EXPECTED


def test_an_unconfigured_store_matches_the_builtin_definitions(tmp_path, fixtures):
    with Store(tmp_path / "default.duckdb") as st:
        assert [m.name for m in store_movements(st)] == ["metoo"]
        ingest([fixtures / "matching_cases.jsonl"], st, workers=1)
    got = _movements(tmp_path / "default.duckdb")
    assert got["1001"] == ["metoo"] and got["1005"] == [] and got["1012"] == []


def test_matching_survives_the_trip_to_a_worker_process(fixtures):
    """The definitions travel pickled inside the enrich context; matching with the copy gives the same column."""
    movements = (builtin("metoo"), load(fixtures / "timesup_own_movement.toml"))
    reader = TwitterV1Reader()
    with open(fixtures / "matching_cases.jsonl", "rb") as f:
        chunks = list(reader.chunks(f, "matching_cases.jsonl"))
    batch = fill_entities(reader.parse(chunks[0]).posts)
    here = match_movements(batch, movements).column("movements").to_pylist()
    there = match_movements(batch, pickle.loads(pickle.dumps(movements))).column("movements").to_pylist()
    assert here == there
    assert match_movements(batch, ()).column("movements").to_pylist() == [None] * batch.num_rows


def test_set_store_movements_refuses_two_definitions_with_one_name(tmp_path):
    with Store(tmp_path / "x.duckdb") as st, pytest.raises(ValueError, match="unique"):
        set_store_movements(st, [builtin("metoo"), builtin("metoo")])
