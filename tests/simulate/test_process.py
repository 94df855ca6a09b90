"""The self-exciting process: branching ratio, onsets and spill-over lags as configured."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.simulate import SimConfig
from groundswell.simulate.process import Process, intensity, plan, split
from groundswell.simulate.truth import onset_bin

from .conftest import ALL_PLATFORMS


@pytest.mark.parametrize(("branching", "seed"), [(0.6, 11), (0.6, 12), (0.3, 13), (0.8, 14)])
def test_realized_branching_within_005_of_configured(branching: float, seed: int) -> None:
    cfg = SimConfig(posts=20_000, platforms=("twitter", "facebook"), seed=seed, branching=branching)
    the_plan = plan(cfg)
    n = offspring = 0
    for ev, _ in Process(cfg, the_plan.immigrants).chunks():
        kept = ~the_plan.dropped[ev.root]
        n += int(kept.sum())
        offspring += int((ev.parent[kept] >= 0).sum())
    assert n == 20_000
    assert abs(offspring / n - branching) <= 0.05, offspring / n


def test_onsets_measured_from_the_files_are_the_configured_bins(all_platforms_run, all_platforms_rows) -> None:
    """Onset measured on re-read hourly counts (first bin at 10 % of peak) is within one bin of truth."""
    _, truth = all_platforms_run
    start_ms = int(SimConfig().start.timestamp() * 1000)
    for platform, rows in all_platforms_rows.items():
        hourly = np.bincount([(r.unix_ms - start_ms) // 3_600_000 for r in rows], minlength=72)
        assert abs(onset_bin(hourly) - truth.onsets[platform]["hour"]) <= 1, platform


def test_spillover_platform_lags_by_the_configured_hours(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    start_ms = int(SimConfig().start.timestamp() * 1000)
    measured = {}
    for platform, rows in all_platforms_rows.items():
        measured[platform] = onset_bin(np.bincount([(r.unix_ms - start_ms) // 3_600_000 for r in rows], minlength=72))
    cfg = SimConfig(platforms=ALL_PLATFORMS)
    for platform in ALL_PLATFORMS[1:]:
        assert abs((measured[platform] - measured["twitter"]) - cfg.lag(platform)) <= 1, platform
        assert truth.onsets[platform]["lag_hours"] == cfg.lag(platform)


def test_custom_lag_moves_the_onset(tmp_path) -> None:
    from groundswell.simulate import simulate

    truth = simulate(
        SimConfig(posts=6_000, platforms=("twitter", "bluesky"), seed=5, lag_hours={"twitter": 0.0, "bluesky": 20.0}),
        tmp_path,
    )
    assert truth.onsets["bluesky"]["hour"] == 40
    assert abs(onset_bin(truth.hourly["bluesky"]) - 40) <= 1
    assert sum(truth.hourly["bluesky"][:38]) < 0.02 * truth.counts["platform"]["bluesky"]


def test_first_day_shape_follows_the_real_one() -> None:
    """Pre-onset chain message: ~×60 from 12:00 to 19:00 UTC, and the burst tens of times above it."""
    cfg = SimConfig()
    rate = intensity(cfg, "twitter", np.array([12.5 + 0.35 - 1, 19.5 + 0.35 - 1, 23.5]))
    assert 40 < rate[1] / rate[0] < 90
    assert rate[2] / rate[1] > 10


def test_split_is_exact_and_deterministic() -> None:
    assert split(10, [0.5, 0.3, 0.2]) == [5, 3, 2]
    assert sum(split(20_001, [0.55, 0.25, 0.2])) == 20_001
    assert split(7, [1 / 3] * 3) == split(7, [1 / 3] * 3)


def test_bad_configs_are_refused() -> None:
    with pytest.raises(ValueError, match="myspace"):
        SimConfig(platforms=("myspace",))
    with pytest.raises(ValueError, match="explodes"):
        SimConfig(branching=1.0)
    with pytest.raises(ValueError, match="unknown keys"):
        SimConfig(class_shares={"praise": 1.0})
