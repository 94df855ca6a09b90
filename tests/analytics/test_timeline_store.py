"""Bursts from the store: simulated movements with known onsets, declared gaps, relative bursts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from groundswell.analytics import collection, timeline
from groundswell.store.duckdb_store import Store
from tests.analytics import stores


@pytest.mark.parametrize(("seed", "onset_hour"), [(31, 20.35), (32, 41.8), (33, 66.1)])
def test_strongest_burst_starts_within_one_bin_of_the_known_onset(seed, onset_hour):
    db, truth = stores.simulated(f"onset-{seed}", posts=2500, seed=seed, hours=96.0, onset_hour=onset_hour)
    onset = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    with Store(db, read_only=True) as st:
        top = timeline.strongest(timeline.bursts(st, "hour"))
    assert top is not None
    assert abs(top["start"] - onset) <= timedelta(hours=1)
    assert top["start"] <= top["peak"] < top["end"]


def test_burst_rows_count_the_posts_and_people_inside_them(multi):
    st, _ = multi
    found = timeline.bursts(st, "hour", {"platform": "twitter"}).to_pylist()
    assert found and found == sorted(found, key=lambda r: -r["weight"])
    rows = st.sql("SELECT author_id, created_at FROM posts WHERE platform = 'twitter'").to_pylist()
    for r in found:
        inside = [x for x in rows if r["start"] <= x["created_at"] < r["end"]]
        assert r["posts"] == len(inside) and r["authors"] == len({x["author_id"] for x in inside})


def test_a_declared_gap_is_missing_and_shown_as_a_span(multi):
    st, truth = multi
    start = datetime.fromisoformat(truth.start)
    span = (start + timedelta(hours=50), start + timedelta(hours=53, minutes=30))
    ser = timeline.volume(st, "hour", detect_gaps=False, gaps=[span])
    # bins 50, 51, 52 and 53 overlap the span; a gap is declared in instants, drawn in whole bins
    assert ser.missing.sum() == 4
    assert ser.gap_spans() == [(span[0], start + timedelta(hours=54))]
    assert [v for v, m in zip(ser.values(), ser.missing, strict=True) if m] == [None] * 4
    with pytest.raises(ValueError, match="ends before"):
        timeline.volume(st, "hour", gaps=[(span[1], span[0])])


def test_declared_gaps_and_sample_rate_live_in_the_store(tmp_path):
    db, _ = stores.multi_platform()
    copy = stores.copy(db, "declared")
    span = collection.parse_span("2017-10-16T02:00/2017-10-16T05:00")
    with Store(copy) as st:
        collection.declare(st, sample_rate=0.01, gaps=[span])
    with Store(copy, read_only=True) as st:
        assert collection.sample_rate(st) == 0.01
        assert collection.declared_gaps(st) == [span]
    with pytest.raises(ValueError, match="START/END"):
        collection.parse_span("2017-10-16")


def test_relative_bursts_follow_a_hashtags_share_of_the_volume(multi):
    """The simulator adds related tags at a fixed rate: their counts burst with the movement, their share never."""
    st, truth = multi
    onset = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    counts = timeline.bursts(st, "hour", hashtag="howiwillchange")
    assert abs(timeline.strongest(counts)["start"] - onset) <= timedelta(hours=1)
    assert timeline.bursts(st, "hour", hashtag="howiwillchange", relative=True).num_rows == 0


def test_bins_and_empty_stores(tmp_path):
    with Store(tmp_path / "empty.duckdb") as st:
        st.con.execute("SELECT 1").fetchall()
    with Store(tmp_path / "empty.duckdb", read_only=True) as st:
        assert len(timeline.volume(st)) == 0
        assert timeline.bursts(st).num_rows == 0
        assert timeline.strongest(timeline.bursts(st)) is None
        with pytest.raises(ValueError, match="unknown bin"):
            timeline.volume(st, "month")
