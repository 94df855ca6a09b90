"""Trending: rising against its own past, not big."""

from __future__ import annotations

import math

import numpy as np
import pytest

from groundswell.analytics.bursts import trending


def test_rising_small_tag_beats_big_steady_one():
    rng = np.random.default_rng(1)
    counts = {
        "big_steady": rng.poisson(1000, 48),
        "small_rising": np.r_[rng.poisson(5, 42), rng.poisson(40, 6)],
        "falling": np.r_[rng.poisson(100, 42), rng.poisson(20, 6)],
    }
    ranked = trending(counts, window=6, baseline=42)
    assert [key for key, _ in ranked] == ["small_rising", "big_steady", "falling"]
    assert ranked[0][1] == pytest.approx(3, abs=0.5)  # eight times its rate: three doublings
    assert abs(ranked[1][1]) < 0.1
    assert ranked[2][1] < -2


def test_score_is_the_log2_rate_ratio_with_one_pseudo_post():
    counts = {"tag": [2, 2, 2, 2, 10, 10]}
    ((key, score),) = trending(counts, window=2, baseline=4, min_count=1)
    assert key == "tag"
    assert score == pytest.approx(math.log2((21 / 2) / (9 / 4)))


def test_min_count_drops_tiny_ratios():
    counts = {"blip": [0, 0, 0, 0, 3], "real": [5, 5, 5, 5, 30]}
    assert [k for k, _ in trending(counts, window=1, baseline=4)] == ["real"]
    assert [k for k, _ in trending(counts, window=1, baseline=4, min_count=3)] == ["blip", "real"]


def test_new_tag_with_no_history_ranks_high():
    counts = {"new": [0] * 20 + [50, 60], "old": [30] * 20 + [60, 60]}
    assert [k for k, _ in trending(counts, window=2, baseline=20)] == ["new", "old"]


def test_gap_in_the_baseline_is_not_a_quiet_past():
    steady = np.full(30, 40.0)
    with_gap = steady.copy()
    with_gap[5:20] = np.nan
    as_zero = steady.copy()
    as_zero[5:20] = 0
    scores = dict(trending({"gap": with_gap, "zero": as_zero, "steady": steady}, window=4, baseline=26))
    assert scores["gap"] == pytest.approx(scores["steady"], abs=0.01)  # only the pseudo-post weighs differently
    assert scores["zero"] > scores["steady"] + 0.5


def test_keys_without_observed_bins_are_skipped_and_ties_sort_by_key():
    counts = {"b": [10, 10, 10], "a": [10, 10, 10], "dark": [np.nan, np.nan, 20], "short": [20]}
    assert [k for k, _ in trending(counts, window=1, baseline=2)] == ["a", "b"]
    with pytest.raises(ValueError):
        trending(counts, window=0, baseline=2)
