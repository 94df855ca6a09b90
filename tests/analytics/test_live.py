"""The online detector on a replayed stream: posts from the store, in time order, through the live monitor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest

from groundswell.analytics import live
from groundswell.store.duckdb_store import Store
from tests.analytics import stores


def _batch(times: list[datetime], tags: list[list[str]]) -> pa.Table:
    return pa.table(
        {
            "created_at": pa.array(times, pa.timestamp("us", tz="UTC")),
            "hashtags_norm": pa.array(tags, pa.list_(pa.string())),
            "movements": pa.array([["m"]] * len(times), pa.list_(pa.string())),
        }
    )


@pytest.mark.parametrize(("seed", "onset_hour"), [(41, 30.4), (42, 47.8), (43, 66.1)])
def test_replayed_stream_flags_the_onset_within_two_bins(seed, onset_hour):
    """A simulated movement with a flat chain-message level before a known onset (``ramp_growth=0``), replayed
    from its store as a live stream: the first alarm of the movement comes within two bins of the onset."""
    db, truth = stores.simulated(
        f"step-{seed}", posts=4000, seed=seed, hours=96.0, onset_hour=onset_hour, ramp_growth=0.0, ramp_level=0.03
    )
    onset = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    with Store(db, read_only=True) as st:
        alerts = live.replay(st, "hour", key="movement").to_pylist()
    assert alerts, "the onset was missed"
    first = alerts[0]
    assert first["key"] == "metoo"
    assert onset <= first["bin_start"] <= onset + timedelta(hours=2)


def test_flat_stream_raises_no_alarm():
    """Poisson posts at a steady 40 an hour for six weeks, fed a day at a time: no onset for any key."""
    rng = np.random.default_rng(3)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    monitor = live.LiveMonitor(key="hashtag")
    for day in range(42):
        times, tags = [], []
        for h in range(24):
            n = rng.poisson(40)
            t0 = start + timedelta(days=day, hours=h)
            times += [t0 + timedelta(seconds=float(s)) for s in np.sort(rng.uniform(0, 3600, n))]
            tags += [["steady"] if rng.random() < 0.5 else ["steady", "also"] for _ in range(n)]
        monitor.add(_batch(times, tags))
    monitor.flush()
    assert monitor.alerts == []
    assert monitor.closed == 42 * 24


def test_a_hashtag_new_mid_stream_is_judged_against_its_own_silence():
    """#new never appears for two days, then 30 posts an hour: an onset in its first busy hour."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    monitor = live.LiveMonitor(key="hashtag", warmup=24)
    rng = np.random.default_rng(4)
    for h in range(60):
        t0 = start + timedelta(hours=h)
        n_old, n_new = rng.poisson(50), (30 if h >= 48 else 0)
        times = [t0 + timedelta(seconds=i) for i in range(n_old + n_new)]
        monitor.add(_batch(times, [["old"]] * n_old + [["new"]] * n_new))
    monitor.flush()
    assert [(a.key, a.bin_start) for a in monitor.alerts] == [("new", start + timedelta(hours=48))]


def test_late_posts_are_counted_not_binned():
    start = datetime(2020, 1, 1, tzinfo=UTC)
    monitor = live.LiveMonitor(key="all")
    monitor.add(_batch([start, start + timedelta(hours=3)], [[], []]))
    monitor.add(_batch([start + timedelta(minutes=5)], [[]]))
    assert monitor.late == 1 and monitor.closed == 3


def test_an_outage_neither_fires_nor_drags_the_baseline(tmp_path):
    """A day of the collection deleted from a copy of a store: no alarm when the stream resumes."""
    db, truth = stores.simulated("gap", posts=6000, seed=5, hours=120.0)
    copy = stores.copy(db, "live-outage")
    start = datetime.fromisoformat(truth.start)
    a, b = start + timedelta(hours=60), start + timedelta(hours=84)
    with Store(copy) as st:
        st.con.execute("DELETE FROM posts WHERE created_at >= ? AND created_at < ?", [a, b]).fetchall()
    with Store(copy, read_only=True) as st:
        detected = live.replay(st, "hour", key="all", warmup=12).to_pylist()
        declared = live.replay(st, "hour", key="all", warmup=12, gaps=[(a, b)]).to_pylist()
    for alerts in (detected, declared):
        assert not any(a <= x["bin_start"] <= b + timedelta(hours=2) for x in alerts), alerts


def test_bad_key_is_refused():
    with pytest.raises(ValueError, match="key must be"):
        live.LiveMonitor(key="lang")
