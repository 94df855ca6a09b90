"""The online detector: prompt on real steps, silent on steady series, blind to gaps."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.analytics.bursts import OnlineDetector, detect_online


def step(lam: float, seed: int, factor: float = 3.0) -> tuple[np.ndarray, int]:
    """Poisson at ``lam``, then ``factor`` times that from a known bin on, for two days of hours."""
    rng = np.random.default_rng(seed)
    onset = int(rng.integers(100, 400))
    rate = np.where(np.arange(onset + 48) < onset, lam, factor * lam)
    return rng.poisson(rate).astype(float), onset


@pytest.mark.parametrize("lam", [20, 100, 1000])
@pytest.mark.parametrize("seed", range(8))
def test_step_onset_flagged_within_two_bins_and_never_before(lam, seed):
    counts, onset = step(lam, seed)
    onsets = detect_online(counts)
    assert onsets, "the step was missed"
    assert onset <= onsets[0].bin <= onset + 2
    assert onsets[0].baseline == pytest.approx(lam, rel=0.15)
    assert onsets[0].level == counts[onsets[0].bin]


@pytest.mark.parametrize("lam", [2, 20, 100, 1000])
@pytest.mark.parametrize("seed", range(4))
def test_flat_series_raises_no_alarm(lam, seed):
    counts = np.random.default_rng(seed + 50).poisson(lam, 3000)
    assert detect_online(counts) == []


def test_missing_bins_neither_fire_nor_move_the_baseline():
    counts = np.random.default_rng(5).poisson(100, 368).astype(float)
    counts[100:268] = 0  # the collection was down for a week
    missing = np.zeros(368, dtype=bool)
    missing[100:268] = True
    assert detect_online(counts, missing=missing) == []
    # Read as silence, the outage drags the baseline down and the return of normal traffic looks like a burst.
    assert [o.bin for o in detect_online(counts)] == [268]


def test_missing_bin_with_a_huge_count_is_ignored():
    detector = OnlineDetector(warmup=10)
    for count in np.random.default_rng(6).poisson(30, 50):
        detector.update(float(count))
    before = detector.baseline
    assert detector.update(10_000.0, missing=True) is None
    assert detector.update(float("nan")) is None
    assert detector.baseline == before
    assert detector.bin == 51


def test_shares_ignore_busy_hours_but_catch_a_rising_share():
    rng = np.random.default_rng(7)
    totals = rng.integers(200, 5000, 400).astype(float)  # volume swings twenty-fold
    share = np.where(np.arange(400) < 300, 0.05, 0.15)
    counts = rng.binomial(totals.astype(int), share).astype(float)
    onsets = detect_online(counts, totals)
    assert len(onsets) == 1
    assert 300 <= onsets[0].bin <= 302
    assert onsets[0].baseline == pytest.approx(0.05, rel=0.1)


def test_burst_ends_and_a_second_one_is_flagged_again():
    rng = np.random.default_rng(8)
    rate = np.full(400, 50.0)
    rate[150:170] = 200
    rate[300:320] = 200
    onsets = detect_online(rng.poisson(rate))
    assert [o.bin for o in onsets] == [150, 300]


def test_lasting_rise_becomes_the_new_normal():
    rng = np.random.default_rng(9)
    counts = rng.poisson(np.where(np.arange(600) < 100, 50, 150))
    detector = OnlineDetector(warmup=24, relearn=48)
    onsets = [o for c in counts if (o := detector.update(float(c))) is not None]
    assert [o.bin for o in onsets] == [100]
    assert detector.baseline == pytest.approx(150, rel=0.1)
    assert not detector.in_burst


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        OnlineDetector(warmup=1)
    with pytest.raises(ValueError):
        OnlineDetector(threshold=0)
    detector = OnlineDetector()
    detector.update(5.0, 100.0)
    with pytest.raises(ValueError):
        detector.update(5.0)
    with pytest.raises(ValueError):
        detector.update(50.0, 10.0)
