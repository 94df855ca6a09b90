"""Trending from the store: the counts behind each score, gaps left out of the baseline."""

from __future__ import annotations

from datetime import datetime, timedelta

from groundswell.analytics import trends
from groundswell.movements import builtin


def test_counts_behind_the_ranking_equal_the_rows(multi):
    st, truth = multi
    at = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"]) + timedelta(hours=6)
    got = trends.trending_hashtags(st, "hour", window=6, baseline=24, at=at, min_count=5).to_pylist()
    assert got
    rows = st.sql("SELECT hashtags_norm, created_at, author_id FROM posts WHERE NOT is_reference").to_pylist()
    for r in got:
        tag = r["hashtag"]
        recent = [
            x for x in rows if tag in (x["hashtags_norm"] or []) and at - timedelta(hours=6) <= x["created_at"] < at
        ]
        before = [
            x
            for x in rows
            if tag in (x["hashtags_norm"] or [])
            and at - timedelta(hours=30) <= x["created_at"] < at - timedelta(hours=6)
        ]
        assert r["recent_posts"] == len(recent) and r["baseline_posts"] == len(before)
        assert r["authors"] == len({x["author_id"] for x in recent})
    scores = [r["score"] for r in got]
    assert scores == sorted(scores, reverse=True)


def test_inside_the_movement_related_campaigns_are_flagged_and_the_movement_left_out(multi):
    st, truth = multi
    m = builtin("metoo")
    at = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"]) + timedelta(hours=6)
    got = trends.trending_hashtags(
        st,
        "hour",
        {"movement": "metoo"},
        window=6,
        baseline=24,
        at=at,
        min_count=5,
        exclude=sorted(m.member_keys),
        related=sorted(m.related_keys),
    ).to_pylist()
    tags = {r["hashtag"]: r for r in got}
    assert not set(tags) & m.member_keys
    assert tags["howiwillchange"]["related"] and tags["howiwillchange"]["score"] > 0


def test_baseline_bins_before_the_collection_started_are_missing(multi):
    st, _ = multi
    first = st.sql("SELECT min(created_at) AS t FROM posts").column("t")[0].as_py()
    at = first + timedelta(hours=10)
    got = trends.trending_hashtags(st, "hour", window=4, baseline=48, at=at, min_count=1).to_pylist()
    assert got and all(r["baseline_bins"] <= 6 for r in got)  # 48 asked, 6 observed: the rest predate the data
