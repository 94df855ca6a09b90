"""Class shares corrected for the classifier's measured confusion, with 95% intervals.

Counting argmax labels ("classify and count") is biased whenever the classifier errs unevenly: a model
that calls 30% of commentary "support" inflates support in every month where commentary dominates, and the
bias moves with the mix, so trends over time get distorted too. Adjusted classify-and-count inverts the
confusion: if q is the observed mean prediction and M[i, j] = P(predicted j | true i), the true shares p solve
Mᵀp = q, found here by non-negative least squares with the shares summing to one.

``pacc`` (the default) uses probabilities for both q and M ("probabilistic ACC"), which is less noisy than
the hard-label ``acc``; ``cc`` and ``pcc`` (plain counts / mean probabilities) are there for comparison.

``emq`` is the Saerens–Latinne–Decaestecker EM prior adjustment: each post's probabilities are reweighted by
(new prior / training prior) and renormalized, and the new prior is the mean of the reweighted
probabilities, until it stops moving. The training prior is the mean out-of-fold probability of the gold
posts. Its point estimates beat PACC's on mixes like the training one and the 15 Oct 2017 one (under
``groundswell cv`` the largest per-fold error is 3.2 points against PACC's 5.2; see this package's README),
but not on a uniform mix (5.0 points against 3.5 on the split gold posts of ``test_prevalence.py``), and its
bootstrap intervals are too narrow (they miss its bias from imperfect calibration: 3 of 6 true shares
covered on the 15 Oct mix against PACC's 5) and 20× slower. So it is offered, not the default.

Intervals come from a bootstrap that resamples both sources of error: the posts being measured and the gold
posts that estimated M or the training prior (stratified resampling of the out-of-fold predictions stored in
the model). For the ACC family the posts enter through their mean vector only, so a normal approximation of
that mean stands in for resampling them (exact enough for n ≥ a few dozen, cheap for millions). EMQ needs
the posts themselves: it resamples at most ``_EMQ_BOOT_POSTS`` of them per draw and scales the deviations
by sqrt(m / n) (the m-out-of-n bootstrap), so the bootstrap's cost does not grow with n (the point
estimate's does: ~25 s for a million posts with 400 draws, against ~10 s for 4,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from scipy.optimize import nnls

from .model import CLASSES, Model, confusion_matrix_from

__all__ = ["METHODS", "adjust", "emq", "prevalence"]

METHODS = ("pacc", "acc", "pcc", "cc", "emq")
_EMQ_BOOT_POSTS = 1000


def adjust(q: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Shares p ≥ 0, Σp = 1 minimizing ‖Mᵀp − q‖ (a heavy extra row enforces the sum)."""
    k = len(q)
    a = np.vstack([m.T, np.full((1, k), 100.0)])
    b = np.concatenate([q, [100.0]])
    p, _ = nnls(a, b)
    s = p.sum()
    return p / s if s > 0 else np.full(k, 1.0 / k)


def emq(probs: np.ndarray, prior: np.ndarray, *, start: np.ndarray | None = None, tol: float = 1e-6) -> np.ndarray:
    """Shares by EM prior adjustment (Saerens, Latinne & Decaestecker 2002) of ``probs`` fitted under ``prior``.

    ``start`` (default ``prior``) is where the iteration begins; the bootstrap starts from the point estimate,
    which saves most iterations.
    """
    x = np.asarray(probs, dtype=np.float64)
    base = np.clip(np.asarray(prior, dtype=np.float64), 1e-6, None)
    base = base / base.sum()
    pi = base.copy() if start is None else np.clip(np.asarray(start, dtype=np.float64), 1e-9, None)
    if len(x) == 0:
        return pi / pi.sum()
    for _ in range(1000):
        w = x * (pi / base)
        s = w.sum(axis=1, keepdims=True)
        s[s == 0] = 1.0
        new = (w / s).mean(axis=0)
        done = np.abs(new - pi).max() < tol
        pi = new
        if done:
            break
    return pi / pi.sum()


def _as_matrix(probs_or_labels: Any) -> tuple[np.ndarray, bool]:
    """(n, 6) matrix and whether it came from hard labels."""
    arr = np.asarray(probs_or_labels)
    if arr.ndim == 2:
        return arr.astype(np.float64), False
    idx = np.array([CLASSES.index(str(v)) for v in arr], dtype=np.int64)
    return np.eye(len(CLASSES))[idx], True


def _estimate(x: np.ndarray, method: str, m_soft: np.ndarray, m_hard: np.ndarray, prior: np.ndarray) -> np.ndarray:
    if method == "emq":
        return emq(x, prior)
    if method == "pcc":
        return x.mean(axis=0)
    if method == "cc":
        return np.eye(x.shape[1])[x.argmax(axis=1)].mean(axis=0)
    if method == "acc":
        return adjust(np.eye(x.shape[1])[x.argmax(axis=1)].mean(axis=0), m_hard)
    return adjust(x.mean(axis=0), m_soft)


def _one(x: np.ndarray, model: Model, method: str, n_boot: int, rng: np.random.Generator, conf: float) -> np.ndarray:
    """rows: share, low, high for each class."""
    true, probs = model.oof_true, model.oof_probs
    m_soft = confusion_matrix_from(true, probs, soft=True)
    m_hard = confusion_matrix_from(true, probs, soft=False)
    share = _estimate(x, method, m_soft, m_hard, probs.mean(axis=0))
    strata = [np.flatnonzero(true == i) for i in range(len(CLASSES))]
    if method == "emq":
        boots = _emq_boots(x, share, true, probs, strata, n_boot, rng)
        return _interval(share, boots, conf)
    if method in ("acc", "cc"):
        x = np.eye(x.shape[1])[x.argmax(axis=1)]
    n = len(x)
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False) / max(n, 1) if n > 1 else np.zeros((x.shape[1], x.shape[1]))
    boots = np.empty((n_boot, x.shape[1]))
    draws = rng.multivariate_normal(mean, cov, size=n_boot, method="eigh")
    for b in range(n_boot):
        q = np.clip(draws[b], 0, None)
        q = q / q.sum() if q.sum() > 0 else mean
        if method in ("pcc", "cc"):
            boots[b] = q
            continue
        pick = np.concatenate([rng.choice(s, size=len(s)) for s in strata if len(s)])
        mb = confusion_matrix_from(true[pick], probs[pick], soft=(method == "pacc"))
        boots[b] = adjust(q, mb)
    return _interval(share, boots, conf)


def _emq_boots(
    x: np.ndarray,
    share: np.ndarray,
    true: np.ndarray,
    probs: np.ndarray,
    strata: list[np.ndarray],
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """EMQ estimates on m-out-of-n resamples of the posts and full resamples of the gold posts, rescaled."""
    n = len(x)
    m = min(n, _EMQ_BOOT_POSTS)
    scale = np.sqrt(m / n) if n else 1.0
    boots = np.empty((n_boot, x.shape[1]))
    for b in range(n_boot):
        pick = np.concatenate([rng.choice(s, size=len(s)) for s in strata if len(s)])
        est = emq(x[rng.integers(0, n, size=m)], probs[pick].mean(axis=0), start=share)
        boots[b] = share + scale * (est - share)
    return boots


def _interval(share: np.ndarray, boots: np.ndarray, conf: float) -> np.ndarray:
    alpha = (1 - conf) / 2
    lo, hi = np.quantile(boots, [alpha, 1 - alpha], axis=0)
    return np.stack([share, np.clip(np.minimum(lo, share), 0, 1), np.clip(np.maximum(hi, share), 0, 1)], axis=1)


def prevalence(
    probs_or_labels: Any,
    model: Model,
    *,
    by: Sequence[Any] | None = None,
    method: str = "pacc",
    n_boot: int = 400,
    confidence: float = 0.95,
    seed: int = 0,
) -> pa.Table:
    """Estimated share of each class with a ``confidence`` interval.

    ``probs_or_labels`` is an (n, 6) probability matrix (from ``Model.predict_proba``) or n class labels.
    ``by`` (optional, length n) groups the posts, e.g. by day or month; the table then has a ``period``
    column and one row per (period, class). Columns: [period,] class, n, share, low, high, method.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    x, hard = _as_matrix(probs_or_labels)
    if hard and method in ("pacc", "emq"):
        method = "acc"  # labels carry no probabilities to average or reweight
    rng = np.random.default_rng(seed)
    groups: list[tuple[Any, np.ndarray]]
    if by is None:
        groups = [(None, np.arange(len(x)))]
    else:
        keys = np.asarray(by, dtype=object)
        if len(keys) != len(x):
            raise ValueError("by must have one value per post")
        uniq = sorted(set(keys.tolist()), key=lambda v: (v is None, v))
        groups = [(g, np.flatnonzero(keys == g)) for g in uniq]
    cols: dict[str, list[Any]] = {"period": [], "class": [], "n": [], "share": [], "low": [], "high": [], "method": []}
    for key, idx in groups:
        if len(idx) == 0:
            continue
        est = _one(x[idx], model, method, n_boot, rng, confidence)
        for i, c in enumerate(CLASSES):
            cols["period"].append(key)
            cols["class"].append(c)
            cols["n"].append(len(idx))
            cols["share"].append(float(est[i, 0]))
            cols["low"].append(float(est[i, 1]))
            cols["high"].append(float(est[i, 2]))
            cols["method"].append(method)
    if by is None:
        del cols["period"]
        return pa.table(cols)
    return pa.table({**cols, "period": pa.array([str(p) if p is not None else None for p in cols["period"]])})
