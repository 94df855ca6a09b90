"""Magnitude figures from a store against what the simulator wrote (truth.json) and plain Python over the rows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest

from groundswell.analytics import firsts, magnitude, sampling, timeline
from groundswell.analytics.engine import where
from groundswell.privacy.suppress import suppress


def _rows(st, where: str = "NOT is_reference"):
    return st.sql(f"SELECT platform, author_id, created_at, kind, lang FROM posts WHERE {where}").to_pylist()


def test_headline_and_breakdowns_equal_the_truth(multi):
    st, truth = multi
    h = magnitude.headline(st)
    assert h.posts == truth.posts == 4000
    per_platform = {r["platform"]: r["posts"] for r in magnitude.by(st, "platform").to_pylist()}
    assert per_platform == truth.counts["platform"]
    kinds = Counter()
    for per in truth.counts["kind"].values():
        kinds.update(per)
    assert (h.originals, h.replies, h.reposts, h.quotes, h.comments) == tuple(
        kinds[k] for k in ("original", "reply", "repost", "quote", "comment")
    )
    for platform, authors in ((p, v["distinct"]) for p, v in truth.authors.items()):
        assert magnitude.headline(st, {"platform": platform}).authors == authors


def test_hourly_series_equals_the_truth_hour_by_hour(multi):
    st, truth = multi
    start = datetime.fromisoformat(truth.start)
    for platform, hourly in truth.hourly.items():
        ser = timeline.volume(st, "hour", {"platform": platform})
        first = int((ser.starts[0] - start) / timedelta(hours=1))
        expected = np.array(hourly[first : first + len(ser)], dtype=float)
        assert np.array_equal(ser.posts, expected), platform
        assert ser.posts.sum() == truth.counts["platform"][platform]
        assert not ser.missing.any()  # nothing was left out of this collection


def test_time_to_participants_equals_a_count_over_the_rows(multi):
    st, _ = multi
    firsts = {}
    for r in _rows(st):
        a = r["author_id"]
        firsts[a] = min(firsts.get(a, r["created_at"]), r["created_at"])
    order = sorted(firsts.values())
    got = magnitude.time_to_participants(st, (100, 1000, 10_000)).to_pylist()
    assert got[0]["reached_at"] == order[99] and got[1]["reached_at"] == order[999]
    assert got[2]["reached_at"] is None and got[2]["hours"] is None  # never reached: 2,4xx people in the data
    assert got[1]["hours"] == pytest.approx((order[999] - order[0]).total_seconds() / 3600, abs=0.01)


def test_first_24_hours_from_a_start(multi):
    st, truth = multi
    start = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    d = magnitude.first_hours(st, 24, start)
    inside = [r for r in _rows(st) if start <= r["created_at"] < start + timedelta(hours=24)]
    assert d.posts == len(inside) and d.authors == len({r["author_id"] for r in inside})
    assert d.replies == sum(r["kind"] == "reply" for r in inside)
    # the default start is the first post of the data
    assert magnitude.first_hours(st, 24).first == magnitude.headline(st).first


def test_cumulative_curve_reaches_every_participant_and_suppression_only_lowers_it(multi):
    st, _ = multi
    h = magnitude.headline(st)
    per_hour = magnitude.participants(st, "hour")
    assert sum(per_hour.column("new_authors").to_pylist()) == h.authors
    full = magnitude.accumulate(suppress(per_hour, k=1))
    assert full.column("cum_new_authors").to_pylist()[-1] == h.authors
    assert full.column("cum_posts").to_pylist()[-1] == h.posts
    cut = magnitude.accumulate(suppress(per_hour, k=50))
    hidden = sum(
        n for n, s in zip(per_hour.column("posts").to_pylist(), cut.column("suppressed").to_pylist(), strict=True) if s
    )
    assert hidden > 0
    assert cut.column("cum_posts").to_pylist()[-1] == h.posts - hidden
    assert np.all(np.diff(cut.column("cum_posts").to_numpy()) >= 0)


def test_figures_leave_out_a_collection_gap_instead_of_counting_silence(tmp_path):
    """An outage in the collection (a day's posts never collected) is missing in the series, not zero."""
    from groundswell.store.duckdb_store import Store
    from tests.analytics import stores

    db, truth = stores.simulated("gap", posts=6000, seed=5, hours=120.0)
    copy = stores.copy(db, "gap-outage")
    start = datetime.fromisoformat(truth.start)
    a, b = start + timedelta(hours=60), start + timedelta(hours=84)
    with Store(copy) as st:
        st.con.execute("DELETE FROM posts WHERE created_at >= ? AND created_at < ?", [a, b]).fetchall()
    with Store(copy, read_only=True) as st:
        ser = timeline.volume(st, "hour")
        gap = ser.missing[ser.index(a) : ser.index(b)]
        assert gap.all() and ser.missing.sum() == 24
        assert ser.gap_spans() == [(a, b)]
        table = ser.table()
        assert table.column("posts").null_count == 24  # missing, not 0
        # nothing starts or ends in the outage, and nothing starts the hour the collection resumes
        found = timeline.bursts(st, "hour", series=ser).to_pylist()
        assert not any(a <= r["start"] < b + timedelta(hours=1) for r in found)
        assert not any(a < r["end"] <= b for r in found)


def test_sample_rate_intervals_cover_the_truth_at_the_stated_rate():
    """Draw 1% samples of 20,000 posts 4,000 times: the 95% interval must contain 20,000 about 95% of the time."""
    rng = np.random.default_rng(7)
    n_true, rate = 20_000, 0.01
    draws = rng.binomial(n_true, rate, 4000)
    hits = 0
    for n in draws:
        e = sampling.estimate(int(n), rate)
        assert e.low <= e.value <= e.high
        hits += e.low <= n_true <= e.high
    assert 0.93 <= hits / len(draws) <= 0.97


def test_interval_edges():
    zero = sampling.estimate(0, 0.01)
    assert zero.low == 0 and zero.high == pytest.approx(1.959963984540054**2 * 0.99 / 0.01)
    assert sampling.estimate(37, 1.0) == sampling.Estimate(37, 37, 37)
    with pytest.raises(ValueError):
        sampling.estimate(3, 0)
    t = pa.table({"x": ["a", "b"], "posts": pa.array([100, None], pa.int64()), "authors": [90, None]})
    got = sampling.with_intervals(t, 0.1)
    assert got.column("posts_est").to_pylist() == [1000.0, None]
    assert sampling.with_intervals(t, None) is t
    assert "counts are of the posts in this data set" in sampling.label(None).lower()
    assert "1% sample" in sampling.label(0.01)


def _same_as_single_queries(st, f, start, monkeypatch, bin="day") -> magnitude.Overview:
    o = magnitude.overview(st, f, start=start, bin=bin)
    assert o.headline == magnitude.headline(st, f)
    assert o.first_hours == magnitude.first_hours(st, 24, start, f)
    for dim in magnitude.DIMENSIONS:
        assert o.by[dim].equals(magnitude.by(st, dim, f)), dim
    with monkeypatch.context() as m:  # the participants figures the other way: (author, bin) groups
        m.setattr(firsts, "MAX_BINS", 0)
        assert o.participants.equals(magnitude.participants(st, bin, f))
        assert o.time_to_participants.equals(magnitude.time_to_participants(st, filters=f, start=o.headline.first))
    return o


@pytest.mark.parametrize(
    "f",
    [None, {"platform": "reddit"}, {"lang": "en", "since": datetime(2017, 10, 16, tzinfo=UTC)}],
    ids=["all", "reddit", "en-since"],
)
def test_overview_counts_the_same_people_as_one_query_per_figure(multi, monkeypatch, f):
    st, truth = multi
    start = datetime.fromisoformat(truth.start) + timedelta(hours=3)
    o = _same_as_single_queries(st, f, start, monkeypatch)
    assert o.headline.authors > o.first_hours.authors > 0
    platforms = o.by["platform"].column("platform").to_pylist()
    assert platforms == ["reddit"] if f and f.get("platform") else len(platforms) >= 2


def test_overview_tail_values_counted_by_their_own_query(multi, monkeypatch):
    """Values past the first HEAD of a dimension take the other path; with HEAD 1 nearly all do."""
    st, _ = multi
    monkeypatch.setattr(magnitude, "HEAD", 1)
    o = _same_as_single_queries(st, None, None, monkeypatch)
    assert o.by["lang"].num_rows > 2 and o.by["platform"].num_rows == 3


@pytest.mark.parametrize("bin", ["hour", "week", "minute"])
def test_overview_participants_per_bin(multi, monkeypatch, bin):
    """Minutes of three days do not fit a mask (their own pass), weeks do (the shared pass); Twitter's posts
    span 62 hours, just in."""
    st, _ = multi
    w, p = where({"platform": "twitter"})
    assert (firsts.fit(st, bin, w, p) is None) == (bin == "minute")
    o = _same_as_single_queries(st, {"platform": "twitter"}, None, monkeypatch, bin)
    assert o.participants.num_rows > 1


def test_overview_of_the_real_archive_and_of_nothing(metoo_store, monkeypatch):
    """The 2017 archive (one platform, no languages or countries in the scrape); an empty filter gives zeros."""
    o = _same_as_single_queries(metoo_store, None, datetime(2017, 10, 15, 20, tzinfo=UTC), monkeypatch)
    assert o.headline.posts == 280_733 and o.headline.authors > o.first_hours.authors > 10_000
    empty = magnitude.overview(metoo_store, {"platform": "bluesky"})
    assert empty.headline == empty.first_hours == magnitude.headline(metoo_store, {"platform": "bluesky"})
    assert all(t.num_rows == 0 for t in empty.by.values())


def test_overview_without_a_bin_skips_the_participants(multi):
    """The web overview asks for no bin: the same people counted, no participants figures computed."""
    st, _ = multi
    o = magnitude.overview(st, None, dimensions=("platform",), bin=None)
    assert o.participants is None and o.time_to_participants is None
    assert o.headline == magnitude.headline(st) and o.by["platform"].equals(magnitude.by(st, "platform"))
