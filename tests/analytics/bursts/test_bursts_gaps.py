"""Gap detection: implausible silence is missing data, plausible silence is a real zero."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.analytics.bursts import find_gaps


def test_sparse_series_keeps_its_real_zeros():
    # A quiet hashtag: 0.3 posts per bin, so runs of a dozen empty bins are ordinary.
    counts = np.random.default_rng(1).poisson(0.3, 2000)
    assert (counts == 0).sum() > 1000
    assert not find_gaps(counts).any()


def test_silent_day_in_a_busy_series_is_a_gap():
    counts = np.random.default_rng(2).poisson(50, 300).astype(float)
    counts[120:144] = 0
    gaps = find_gaps(counts)
    assert gaps[120:144].all()
    assert gaps.sum() == 24


def test_one_empty_bin_in_a_busy_series_is_a_gap_unless_min_len_says_otherwise():
    counts = np.random.default_rng(3).poisson(80, 100).astype(float)
    counts[40] = 0
    assert np.flatnonzero(find_gaps(counts)).tolist() == [40]
    assert not find_gaps(counts, min_len=2).any()


def test_nan_is_always_missing():
    counts = np.array([5, np.nan, 0, 4, np.nan], dtype=float)
    assert find_gaps(counts).tolist() == [False, True, False, False, True]


def test_expected_decides_instead_of_the_neighbours():
    counts = np.array([0.0] * 10 + [3.0] * 5)
    # Ten empty bins are plausible at 0.1 expected posts per bin, not at 5.
    assert not find_gaps(counts, expected=0.1).any()
    assert find_gaps(counts, expected=5.0)[:10].all()
    per_bin = np.r_[np.full(10, 0.01), np.full(5, 3.0)]
    assert not find_gaps(counts, expected=per_bin).any()


def test_quiet_neighbour_makes_it_conservative():
    # Zero run between a busy stretch and a stretch of 1 post per bin: judged by the quieter side.
    rng = np.random.default_rng(4)
    counts = np.r_[rng.poisson(200, 48), np.zeros(6), rng.poisson(1.0, 48)].astype(float)
    assert not find_gaps(counts)[48:54].any()
    assert find_gaps(np.r_[rng.poisson(200, 48), np.zeros(6), rng.poisson(200, 48)])[48:54].all()


def test_all_zero_series_has_no_level_to_judge_by():
    assert not find_gaps(np.zeros(100)).any()


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        find_gaps([1, -1, 2])
    with pytest.raises(ValueError):
        find_gaps([1, 2], min_len=0)
