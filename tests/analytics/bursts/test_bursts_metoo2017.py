"""The real #MeToo sample (Oct-Nov 2017), binned hourly by the time in each tweet id.

What the README of the shared data states, and these tests hold the code to: whole days are missing (16-22 Oct
among them); on 15 Oct the chain message was rising from about 12:00 UTC, and volume exploded after the actor's
tweet at 20:21 UTC (1,243 posts in the 20:00 hour, 6,711 in the 23:00 hour); the day's sample stops at midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from groundswell.analytics.bursts import MISSING, detect_online, find_gaps, kleinberg_bursts, kleinberg_states

OCT15 = datetime(2017, 10, 15, tzinfo=UTC)
ACTOR_TWEET = datetime(2017, 10, 15, 20, 21, tzinfo=UTC)


@pytest.fixture(scope="module")
def gaps(metoo_hourly):
    return find_gaps(metoo_hourly.counts)


def test_binning_matches_the_documented_hours(metoo_hourly):
    counts = metoo_hourly.counts
    assert counts.sum() == 280_733
    assert counts[metoo_hourly.bin_of(OCT15 + timedelta(hours=20))] == 1243
    assert counts[metoo_hourly.bin_of(OCT15 + timedelta(hours=23))] == 6711


def test_missing_days_are_gaps_and_busy_hours_are_not(metoo_hourly, gaps):
    h = metoo_hourly
    week = slice(h.bin_of(datetime(2017, 10, 16, tzinfo=UTC)), h.bin_of(datetime(2017, 10, 23, tzinfo=UTC)))
    assert gaps[week].all()
    assert not gaps[h.counts > 0].any()
    # 15 Oct starts with a few posts an hour: low, but collected.
    assert not gaps[h.bin_of(OCT15) : h.bin_of(OCT15 + timedelta(days=1))].any()


def test_strongest_burst_of_15_october_starts_with_the_actor_tweet(metoo_hourly, gaps):
    h = metoo_hourly
    bursts = kleinberg_bursts(h.counts, missing=gaps)
    that_day = [b for b in bursts if h.time_of(b.start).date() == OCT15.date()]
    # Kleinberg ranks bursts by weight: the cost saved by the burst state over the level below.
    strongest = max(that_day, key=lambda b: b.weight)
    assert abs(h.time_of(strongest.start) - ACTOR_TWEET) <= timedelta(hours=1)
    for earlier in (b for b in that_day if b.start < strongest.start):
        assert earlier.level < strongest.level
        assert h.time_of(earlier.start) >= OCT15 + timedelta(hours=12)
    # The day's sample stops at midnight and a week is missing: the burst must not run into that silence.
    assert h.time_of(strongest.end) == OCT15 + timedelta(hours=23)


def test_gap_bins_have_no_state_and_the_week_after_is_not_an_outbreak(metoo_hourly, gaps):
    h = metoo_hourly
    states = kleinberg_states(h.counts, missing=gaps)
    assert (states[gaps] == MISSING).all()
    assert (states[~gaps] >= 0).all()
    after = h.bin_of(datetime(2017, 10, 24, tzinfo=UTC))
    assert states[after] == 0


def test_online_detector_sees_the_rise_of_15_october_and_no_gap_artifact(metoo_hourly, gaps):
    h = metoo_hourly
    onsets = detect_online(h.counts, missing=gaps, warmup=12)
    first = h.time_of(onsets[0].bin)
    assert OCT15 + timedelta(hours=12) <= first <= ACTOR_TWEET + timedelta(hours=1)
    resumed = np.flatnonzero(np.diff(gaps.astype(np.int8)) == -1) + 1
    assert not set(resumed.tolist()) & {o.bin for o in onsets}
    # Without the gap mask, the week of "silence" makes the first ordinary hour after it look like an outbreak.
    unmasked = {o.bin for o in detect_online(h.counts, warmup=12)}
    assert h.bin_of(datetime(2017, 10, 24, tzinfo=UTC)) in unmasked
