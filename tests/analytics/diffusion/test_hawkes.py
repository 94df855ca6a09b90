"""Hawkes MLE: exact excitation sums, analytic derivatives, and parameter recovery on simulated movements."""

from __future__ import annotations

import numpy as np
import pytest

from groundswell.analytics.hawkes import _Problem, excitation_sums, fit_hawkes, hawkes_for


def _brute_sums(t: np.ndarray, beta: float):
    d = t[:, None] - t[None, :]
    before = np.tri(t.size, k=-1, dtype=bool)  # j < i
    e = np.where(before, np.exp(-beta * np.where(before, d, 0.0)), 0.0)
    return (e.sum(1), (np.where(before, d, 0) * e).sum(1), (np.where(before, d, 0) ** 2 * e).sum(1))


@pytest.mark.parametrize("beta", [0.05, 1.0, 7.5, 400.0])  # 400/h: hundreds of blocks
def test_excitation_sums_equal_the_double_sum(beta):
    rng = np.random.default_rng(11)
    t = np.sort(np.concatenate([rng.uniform(0, 50, 300), np.full(5, 20.0)]))  # with ties
    for got, want in zip(excitation_sums(t, beta), _brute_sums(t, beta), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("marked", [False, True])
def test_gradient_and_hessian_match_finite_differences(marked):
    rng = np.random.default_rng(3)
    t = np.sort(rng.uniform(0, 100, 400))
    trig = rng.random(t.size) < 0.5
    trig[0] = False  # as fit_hawkes does: the first event has nothing before it to be triggered by
    bg, tr = (~trig, trig) if marked else (np.ones(t.size, bool), np.ones(t.size, bool))
    prob = _Problem(t, np.array([0.0, 30.0, 100.0]), bg, tr)
    theta = np.array([1.7, 2.2, 0.45, 1.3])
    _, g = prob.value_grad(theta)
    h = prob.hessian(theta)
    eps = 1e-6
    num_g = np.array(
        [(prob.value_grad(theta + e)[0] - prob.value_grad(theta - e)[0]) / (2 * eps) for e in np.eye(4) * eps]
    )
    num_h = np.array(
        [-(prob.value_grad(theta + e)[1] - prob.value_grad(theta - e)[1]) / (2 * eps) for e in np.eye(4) * eps]
    )
    np.testing.assert_allclose(g, num_g, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, num_h, rtol=1e-4, atol=1e-4)


def _stationary_hawkes(rng, mu: float, eta: float, beta: float, horizon: float) -> np.ndarray:
    """A plain Hawkes process by its cluster representation (Poisson offspring), written here, not imported."""
    gen = rng.uniform(0, horizon, rng.poisson(mu * horizon))
    out = [gen]
    while gen.size:
        kids = np.repeat(gen, rng.poisson(eta, gen.size))
        kids = kids + rng.exponential(1 / beta, kids.size)
        gen = kids[kids < horizon]
        out.append(gen)
    return np.sort(np.concatenate(out))


def test_times_only_fit_recovers_a_stationary_process():
    rng = np.random.default_rng(7)
    t = _stationary_hawkes(rng, mu=5.0, eta=0.6, beta=1.0, horizon=2000.0)
    fit = fit_hawkes(t, start=0.0, end=2000.0)
    assert fit.converged
    assert abs(fit.branching - 0.6) <= 0.05
    assert abs(fit.decay - 1.0) <= 3 * fit.decay_se
    assert abs(fit.mu[0] - 5.0) <= 3 * fit.mu_se[0]
    assert 0.005 < fit.branching_se < 0.05  # standard errors are of a sensible size, not 0 or inf


@pytest.mark.parametrize("branching", [0.3, 0.8])
def test_marked_fit_recovers_the_simulators_branching_ratio(tmp_path, branching):
    """The groundswell simulator: bursty background, overdispersed offspring, known branching."""
    from groundswell.ingest import ingest
    from groundswell.simulate import SimConfig, simulate
    from groundswell.store.duckdb_store import Store

    cfg = SimConfig(posts=12_000, seed=21, branching=branching, hours=72.0)
    truth = simulate(cfg, tmp_path / "sim")
    with Store(tmp_path / "s.duckdb") as store:
        ingest([tmp_path / "sim" / f for fs in truth.files.values() for f in fs], store, workers=1)
        fit = hawkes_for(store)
    assert fit is not None and fit.extra["marked"] and fit.converged
    assert abs(fit.branching - branching) <= 0.05
    assert abs(fit.branching - truth.branching_ratio) <= 0.05
    assert 0 < fit.branching_se < 0.02


def test_shared_movement_fit(sim_cascades):
    fit = hawkes_for(sim_cascades.store)
    assert abs(fit.branching - sim_cascades.cfg.branching) <= 0.05
    tbl = fit.table()
    assert tbl.column("parameter").to_pylist()[0] == "branching ratio"
    assert fit.background_posts == pytest.approx(sim_cascades.truth.posts * (1 - fit.branching), rel=0.1)


def test_too_few_posts():
    with pytest.raises(ValueError):
        fit_hawkes(np.arange(5.0))
