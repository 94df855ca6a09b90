"""Early size forecasts validated on simulated cascades whose final sizes are known."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

from groundswell.analytics.cascades import build_cascades
from groundswell.analytics.forecast import forecast_cascades, forecast_sizes, offspring_dispersion
from groundswell.analytics.hawkes import hawkes_for


@pytest.fixture(scope="module")
def setting(sim_cascades):
    c = build_cascades(sim_cascades.store)
    fit = hawkes_for(sim_cascades.store)
    started = pc.cast(c.cascades.column("started"), "int64").to_numpy()
    # only cascades that began a day before the end: their final size in the data is their final size
    complete = started <= started.max() - 24 * 3_600_000_000
    done = set(np.asarray(c.cascades.column("cascade"))[complete].tolist())
    return c, fit, done


@pytest.mark.parametrize("hours", [1.0, 2.0])
def test_forecast_beats_the_size_so_far(setting, hours):
    c, fit, done = setting
    f = forecast_cascades(c, hours, branching=fit.branching, decay=fit.decay)
    rows = [r for r in f.to_pylist() if r["cascade"] in done and r["seen"] >= 3]
    assert len(rows) > 300
    final = np.array([r["final"] for r in rows], dtype=float)
    fc = np.array([r["forecast"] for r in rows])
    seen = np.array([r["seen"] for r in rows], dtype=float)
    assert np.all(fc >= seen)
    rmsle = np.sqrt(np.mean(np.log(fc / final) ** 2))
    rmsle_seen = np.sqrt(np.mean(np.log(seen / final) ** 2))
    assert rmsle < 0.8 * rmsle_seen
    assert np.abs(fc - final).mean() < np.abs(seen - final).mean()
    # in aggregate the forecast recovers most of what was still to come
    assert abs(fc.sum() - final.sum()) < 0.5 * (final.sum() - seen.sum())


def test_dispersion_says_offspring_are_overdispersed(setting):
    c, fit, _ = setting
    kappa = offspring_dispersion(c, decay=fit.decay)
    assert 0 < kappa < 1  # the simulator draws fertility from a Gamma of shape 0.5: far from Poisson


def test_a_finished_cascade_is_forecast_at_its_size():
    ids, seen, fc, _ = forecast_sizes(np.zeros(6, int), np.arange(6.0), 1000.0, branching=0.5, decay=1.0)
    assert ids.tolist() == [0] and seen.tolist() == [6] and fc[0] == pytest.approx(6.0)
    _, seen, fc, p = forecast_sizes(np.zeros(6, int), np.arange(6.0), 5.0, branching=0.5, decay=1.0)
    assert fc[0] > 6 and 0 < p[0] <= 0.95
