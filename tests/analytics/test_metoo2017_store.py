"""The real #MeToo sample (Oct-Nov 2017) through the whole path: ingest -> store -> series query -> analytics.

The bursts package tests the same acceptance on hourly bins computed straight from the file; these tests hold
the store path to it, and to the file: the hourly series the store gives must be the file's, bin for bin.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import numpy as np
import orjson
import pytest

from groundswell.analytics import live, magnitude, origin, timeline
from groundswell.privacy.pseudonyms import Pseudonymizer
from tests.analytics.stores import METOO

OCT15 = datetime(2017, 10, 15, tzinfo=UTC)
ACTOR_TWEET = datetime(2017, 10, 15, 20, 21, tzinfo=UTC)
TWITTER_EPOCH_MS = 1288834974657


@pytest.fixture(scope="module")
def series(metoo_store):
    return timeline.volume(metoo_store, "hour")


@pytest.fixture(scope="module")
def file_hours() -> dict[datetime, int]:
    """Posts per UTC hour read from the file with gzip + orjson, timed by the snowflake id (not the store)."""
    ids = []
    with gzip.open(METOO, "rb") as lines:
        for line in lines:
            ids.append(int(orjson.loads(line)["tweet_id"]))
    hours = ((np.array(ids, dtype=np.int64) >> 22) + TWITTER_EPOCH_MS) // 3_600_000
    values, counts = np.unique(hours, return_counts=True)
    return {datetime.fromtimestamp(int(h) * 3600, tz=UTC): int(c) for h, c in zip(values, counts, strict=True)}


def test_the_store_series_is_the_files_hour_by_hour(series, file_hours):
    got = {t: int(v) for t, v in zip(series.starts, series.posts.tolist(), strict=True) if v}
    assert got == file_hours
    assert series.posts.sum() == 280_733
    assert series.posts[series.index(OCT15 + timedelta(hours=20))] == 1243
    assert series.posts[series.index(OCT15 + timedelta(hours=23))] == 6711


def test_missing_days_are_gaps_and_collected_hours_are_not(series):
    week = slice(series.index(datetime(2017, 10, 16, tzinfo=UTC)), series.index(datetime(2017, 10, 23, tzinfo=UTC)))
    assert series.missing[week].all()
    assert not series.missing[series.posts > 0].any()
    assert not series.missing[series.index(OCT15) : series.index(OCT15 + timedelta(days=1))].any()


def test_strongest_burst_of_15_october_starts_with_the_actor_tweet(metoo_store, series):
    """Acceptance, through the store. "Strongest" is read as Kleinberg's ranking: the burst with the highest
    weight (cost saved over the level below) among those starting on 15 Oct (UTC), at any level. It must start
    within one hour of 20:21 UTC; every burst starting earlier that day must be of a lower level and start
    after 12:00 UTC, when the chain message was already circulating."""
    found = timeline.bursts(metoo_store, "hour", series=series)
    strongest = timeline.strongest(found, on=OCT15)
    assert abs(strongest["start"] - ACTOR_TWEET) <= timedelta(hours=1)
    that_day = [r for r in found.to_pylist() if r["start"].date() == OCT15.date()]
    for earlier in (r for r in that_day if r["start"] < strongest["start"]):
        assert earlier["level"] < strongest["level"]
        assert earlier["start"] >= OCT15 + timedelta(hours=12)
    # The day's sample stops at midnight and a week is missing: the burst must not run into that silence.
    assert strongest["end"] == OCT15 + timedelta(days=1)
    assert strongest["posts"] == sum(series.posts[series.index(strongest["start"]) : series.index(OCT15) + 24])


def test_replayed_as_a_live_stream_the_first_alarm_is_the_rise_of_15_october(metoo_store, series):
    alerts = live.replay(metoo_store, "hour", key="all", warmup=12).to_pylist()
    assert OCT15 + timedelta(hours=12) <= alerts[0]["bin_start"] <= ACTOR_TWEET + timedelta(hours=1)
    resumed = {series.starts[i] for i in np.flatnonzero(np.diff(series.missing.astype(np.int8)) == -1) + 1}
    assert resumed and not resumed & {a["bin_start"] for a in alerts}


def test_the_most_answered_account_of_the_first_hours_is_the_actor(metoo_store, series):
    """GetOldTweets data names the account a reply answered, not the post: the seed account of the strongest
    burst's first three hours must be the pseudonym of @Alyssa_Milano, who asked for 'me too' as replies."""
    strongest = timeline.strongest(timeline.bursts(metoo_store, "hour", series=series), on=OCT15)
    seeds = origin.seed_accounts(metoo_store, strongest["start"], 3).to_pylist()
    key = bytes.fromhex(metoo_store.key_path.read_text().strip())
    assert seeds[0]["account"] == Pseudonymizer(key)("twitter", "@alyssa_milano")
    assert seeds[0]["authors"] > 2 * seeds[1]["authors"]
    assert origin.seed_posts(metoo_store, strongest["start"], 3).num_rows == 0  # no reply ids in this format


def test_first_day_and_growth_figures(metoo_store, series, file_hours):
    start = datetime(2017, 10, 15, 20, tzinfo=UTC)
    day = magnitude.first_hours(metoo_store, 24, start)
    assert day.posts == sum(n for t, n in file_hours.items() if start <= t < start + timedelta(hours=24))
    reach = {r["participants"]: r for r in magnitude.time_to_participants(metoo_store).to_pylist()}
    # a thousand people by the hour of the actor's tweet, ten thousand before the day's sample ends
    assert reach[1000]["reached_at"] < ACTOR_TWEET + timedelta(hours=1)
    assert reach[10_000]["reached_at"] < OCT15 + timedelta(days=1)
    assert reach[1000]["reached_at"] < reach[10_000]["reached_at"] < reach[100_000]["reached_at"]
