"""Early forecast of a cascade's final size from its first hours, in the spirit of SEISMIC.

SEISMIC (Zhao, Erdogdu, He, Rajaraman & Leskovec 2015, "SEISMIC: A Self-Exciting Point Process Model for
Predicting Tweet Popularity") treats each cascade as a self-exciting process with its own infectiousness
``p``, estimated from what has happened so far: the posts seen, divided by the share of each post's
offspring that should already have arrived under the memory kernel. The expected number of offspring still
to come from the posts already seen is ``p`` times the kernel mass still ahead of them, and each of those
starts a sub-cascade of mean size ``1 / (1 - p)``:

    final = N(s) + p_hat * sum_j (1 - Phi(s - t_j)) / (1 - p_hat)
    p_hat = (N(s) - 1 + w * eta) / (sum_j Phi(s - t_j) + w)

Here the kernel is the exponential of the movement's Hawkes fit (``Phi(x) = 1 - exp(-beta x)``), and the
infectiousness is shrunk towards the movement's branching ratio ``eta`` with ``w`` pseudo-posts, so that a
cascade seen for a few minutes is not judged on two data points (SEISMIC shrinks its estimate in a similar
way). SEISMIC weights each post by its author's followers; the same weights can be given here, but
follower counts are missing on most platforms and the simulator has none, so the default weight is 1.
``p_hat`` is capped at ``P_MAX`` because a supercritical estimate has no finite expected size.

``tests/analytics/diffusion/test_forecast.py`` validates it on simulated cascades with known final sizes.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics.cascades import Cascades

P_MAX = 0.95
_HOUR_US = 3_600_000_000


def forecast_sizes(
    cascade: np.ndarray,
    hours: np.ndarray,
    observed_hours: float,
    *,
    branching: float,
    decay: float,
    prior_weight: float = 5.0,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Forecast per cascade from events ``(cascade id, hours after the cascade's first event)``.

    Returns ``(ids, seen, forecast, p_hat)``: cascade ids (sorted), events seen by ``observed_hours``,
    forecast final size, and the estimated infectiousness. Cascades with no event seen are not returned.
    """
    cascade = np.asarray(cascade)
    hours = np.asarray(hours, dtype=np.float64)
    w = np.ones(hours.size) if weights is None else np.asarray(weights, dtype=np.float64)
    seen = (hours >= 0) & (hours <= observed_hours)
    ids, inv = np.unique(cascade[seen], return_inverse=True)
    age = observed_hours - hours[seen]
    arrived = 1.0 - np.exp(-decay * age)  # share of each post's offspring already due
    n_seen = np.bincount(inv, minlength=ids.size).astype(np.float64)
    exposure = np.bincount(inv, weights=w[seen] * arrived, minlength=ids.size)
    ahead = np.bincount(inv, weights=w[seen] * (1.0 - arrived), minlength=ids.size)
    p = (n_seen - 1.0 + prior_weight * branching) / (exposure + prior_weight)
    p = np.clip(p, 0.0, P_MAX)
    return ids, n_seen.astype(np.int64), n_seen + p * ahead / (1.0 - p), p


def offspring_dispersion(c: Cascades, *, decay: float, settled: float = 5.0) -> float:
    """Negative-binomial shape ``kappa`` of direct offspring counts, by the method of moments.

    Only posts whose offspring have (almost) all arrived count: those at least ``settled`` mean delays older
    than the last time in the data. ``kappa`` small means a few posts get most of the answers; infinite
    (returned as ``inf``) means Poisson.
    """
    nodes = c.nodes
    ts = nodes.column("created_at")
    timed = pc.is_valid(ts).to_numpy(zero_copy_only=False)
    us = pc.cast(pc.fill_null(ts, pa.scalar(0, ts.type)), pa.int64()).to_numpy(zero_copy_only=False)
    parent = nodes.column("parent").to_numpy()
    kids = np.bincount(parent[parent >= 0], minlength=nodes.num_rows)
    last = us[timed].max() if timed.any() else 0
    old = timed & (us <= last - settled / decay * _HOUR_US)
    if old.sum() < 10:
        return float("inf")
    m, v = kids[old].mean(), kids[old].var()
    return float(m * m / (v - m)) if v > m else float("inf")


def forecast_cascades(
    c: Cascades,
    observed_hours: float,
    *,
    branching: float,
    decay: float,
    dispersion: float | None = None,
) -> pa.Table:
    """Forecast every cascade's final size (in timed nodes) from its first ``observed_hours``, using its tree.

    Where the references say who answered whom, each post's own fertility can be judged from the answers
    it has had so far: with a Gamma prior (shape ``dispersion``, mean ``branching``) on a post's expected
    number of direct answers ``nu``, a post seen with ``c`` answers after a share ``Phi`` of its kernel has
    posterior mean ``(kappa + c) / (kappa / eta + Phi)``, and its answers still to come are that times
    ``1 - Phi``. Each of those starts a sub-cascade of mean size ``1 / (1 - eta)``. Unlike a single
    infectiousness per cascade (:func:`forecast_sizes`), this does not assume that the answers to a prolific
    seed post will be as prolific as the seed, which overdispersed offspring counts make badly wrong.
    ``dispersion`` defaults to :func:`offspring_dispersion` of the data.

    One row per cascade: ``cascade``, ``seen`` (timed nodes in the first hours), ``forecast``, ``final``
    (timed nodes in the data, for checking a forecast made after the fact) and ``authors`` (so the table can
    be suppressed). Times are counted from each cascade's first timed node.
    """
    if not 0 <= branching < 1:
        raise ValueError("branching must be in [0, 1) for a finite expected size")
    kappa = offspring_dispersion(c, decay=decay) if dispersion is None else dispersion
    nodes = c.nodes
    n = nodes.num_rows
    ts = nodes.column("created_at")
    timed = pc.is_valid(ts).to_numpy(zero_copy_only=False)
    us = pc.cast(pc.fill_null(ts, pa.scalar(0, ts.type)), pa.int64()).to_numpy(zero_copy_only=False)
    root = nodes.column("cascade").to_numpy()
    parent = nodes.column("parent").to_numpy()
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, root[timed], us[timed])
    age_at_cut = observed_hours - (us - first[root]) / _HOUR_US
    seen = timed & (age_at_cut >= 0)
    phi = np.where(seen, 1.0 - np.exp(-decay * np.maximum(age_at_cut, 0)), 0.0)
    has_parent = seen & (parent >= 0)
    answers = np.bincount(parent[has_parent], minlength=n)
    # posterior mean fertility per post (Poisson offspring: every post has the movement's)
    nu = np.full(n, branching) if np.isinf(kappa) else (kappa + answers) / (kappa / max(branching, 1e-9) + phi)
    to_come = np.where(seen, nu * (1.0 - phi), 0.0)
    n_seen = np.bincount(root, weights=seen, minlength=n)
    fc = n_seen + np.bincount(root, weights=to_come, minlength=n) / (1.0 - branching)
    final = np.bincount(root, weights=timed, minlength=n)
    ids = c.cascades.column("cascade").to_numpy()
    ids = ids[n_seen[ids] > 0]
    authors = np.zeros(n, dtype=np.int64)
    authors[c.cascades.column("cascade").to_numpy()] = c.cascades.column("authors").to_numpy()
    return pa.table(
        {
            "cascade": ids.astype(np.int64),
            "seen": n_seen[ids].astype(np.int64),
            "forecast": fc[ids],
            "final": final[ids].astype(np.int64),
            "authors": authors[ids],
        }
    )
