"""Origin from the store: seed posts against the simulator's files, first appearances, dormant revival."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

import pytest

from groundswell.analytics import origin, timeline
from groundswell.movements import builtin
from groundswell.store.duckdb_store import Store
from tests.analytics import stores

TAGS = origin.movement_tags(builtin("metoo"))


def _answers_in_files(folder, truth, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    """Replies and quotes per parent tweet written in [start, end), read straight from the twarc2 pages."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for path in truth.files["twitter"]:
        for line in (folder / path).read_text("utf-8").splitlines():
            for t in json.loads(line)["data"]:
                when = datetime.fromisoformat(t["created_at"])
                if not start <= when < end:
                    continue
                for ref in t.get("referenced_tweets", []):
                    if ref["type"] == "replied_to":
                        out[ref["id"]][0] += 1
                    elif ref["type"] == "quoted":
                        out[ref["id"]][1] += 1
    return {k: (r, q) for k, (r, q) in out.items()}


def test_seed_posts_are_the_most_answered_in_the_first_hours(multi):
    st, truth = multi
    start = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    got = origin.seed_posts(st, start, 3, {"platform": "twitter"}, limit=10).to_pylist()
    folder = stores.multi_platform()[0].with_suffix("")  # the simulator's files sit beside the store
    files = _answers_in_files(folder, truth, start, start + timedelta(hours=3))
    ranked = sorted(files.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
    assert got[0]["answers"] == sum(ranked[0][1])
    for row in got:
        assert (row["replies"], row["quotes"]) == files[row["post_id"]]
        assert row["answers"] == row["replies"] + row["quotes"] >= row["authors"] >= 1
        assert row["created_at"] is None or row["created_at"] < start + timedelta(hours=3)
    answers = [r["answers"] for r in got]
    assert answers == sorted(answers, reverse=True)


def test_first_appearances_are_the_earliest_posts_with_each_tag(multi):
    st, _ = multi
    got = {r["hashtag"]: r for r in origin.first_appearances(st, TAGS).to_pylist()}
    rows = st.sql("SELECT hashtags_norm, created_at, author_id FROM posts WHERE NOT is_reference").to_pylist()
    for label in ("MeToo", "HowIWillChange", "YoTambién"):
        keys = {k for k, v in TAGS.items() if v == label}
        using = [r for r in rows if keys & set(r["hashtags_norm"] or [])]
        assert got[label]["first_at"] == min(r["created_at"] for r in using)
        assert got[label]["posts"] == len(using)
        assert got[label]["authors"] == len({r["author_id"] for r in using})
    assert "Cuéntalo" not in got  # never used: not listed
    with pytest.raises(ValueError):
        origin.first_appearances(st, {})


def test_dormant_revival_of_a_tag_sparse_for_two_years():
    db, (sparse, wave) = stores.revival()
    onset = datetime.fromisoformat(wave.onsets["twitter"]["time"])
    with Store(db, read_only=True) as st:
        got = {r["hashtag"]: r for r in origin.dormant_revival(st, TAGS).to_pylist()}
    metoo = got["MeToo"]
    assert metoo["revived"]
    assert metoo["first_at"] < datetime.fromisoformat(sparse.end)
    assert metoo["surge_start"].date() == onset.date()
    assert metoo["dormant_days"] > 600 and metoo["ratio"] >= 10
    assert metoo["posts_before"] > 0


def test_a_three_day_movement_revives_nothing(multi):
    st, _ = multi
    got = origin.dormant_revival(st, TAGS).to_pylist()
    assert got and not any(r["revived"] for r in got)


def test_strongest_burst_feeds_the_seed_window(multi):
    st, _ = multi
    top = timeline.strongest(timeline.bursts(st, "hour", {"platform": "twitter"}))
    seeds = origin.seed_posts(st, top["start"], 3, {"platform": "twitter"})
    assert seeds.num_rows > 0 and seeds.column("answers")[0].as_py() >= 2
