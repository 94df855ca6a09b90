"""Training from labeled files, cross-validation and evaluation, all reported against gold labels.

``train`` builds the shipped artifact from the gold file plus the project's extra labels (whose texts come
from ``../shared``) and records the sha256 of every input and the command. ``cross_validate`` is the
acceptance measurement: stratified k-fold on the gold file only, extra labels always added to the training
side and never scored; inside each fold the confusion matrix used for prevalence is estimated by an inner
CV on that fold's training part, so the held-out posts influence nothing they are scored on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import data
from .model import (
    ATTRIBUTES,
    CLASSES,
    DEFAULT_MODEL,
    Model,
    _fit_core,
    _softmax_ovr,
    confusion_matrix_from,
    fit,
    load_model,
    oof_scores,
)
from .prevalence import adjust, emq

__all__ = ["cross_validate", "evaluate", "metrics", "train"]


def metrics(true: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Per-class precision/recall/F1/support, macro-F1, accuracy and confusion (rows true, cols predicted)."""
    t = np.array([CLASSES.index(c) for c in true])
    p = np.array([CLASSES.index(c) for c in pred])
    k = len(CLASSES)
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (t, p), 1)
    per = {}
    for i, c in enumerate(CLASSES):
        tp = cm[i, i]
        prec = tp / cm[:, i].sum() if cm[:, i].sum() else 0.0
        rec = tp / cm[i].sum() if cm[i].sum() else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {"precision": float(prec), "recall": float(rec), "f1": float(f1), "support": int(cm[i].sum())}
    return {
        "per_class": per,
        "macro_f1": float(np.mean([per[c]["f1"] for c in CLASSES])),
        "accuracy": float(np.trace(cm) / max(cm.sum(), 1)),
        "confusion": cm.tolist(),
        "classes": list(CLASSES),
    }


def _training_set(
    gold_rows: list[dict[str, str]], extra: str | Path | None, texts: str | Path | None
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    extra_rows: list[dict[str, str]] = []
    if extra is not None and texts is not None and Path(extra).exists() and Path(texts).exists():
        seen = {r["tweet_id"] for r in gold_rows}
        extra_rows = [r for r in data.load_extra(extra, texts) if r["tweet_id"] not in seen]
    return gold_rows, extra_rows


def train(
    path: str | Path = data.DEFAULT_GOLD,
    out: str | Path = DEFAULT_MODEL,
    *,
    extra: str | Path | None = data.DEFAULT_EXTRA,
    texts: str | Path | None = data.DEFAULT_TEXTS,
    seed: int = 0,
    command: str | None = None,
) -> None:
    """Fit on ``path`` (gold format) plus ``extra`` labels (texts from ``texts``) and write the artifact."""
    gold, more = _training_set(data.read_labeled(path), extra, texts)
    rows = gold + more
    inputs = {"gold": {"path": Path(path).name, "sha256": data.sha256(path), "rows": len(gold)}}
    if more:
        inputs["extra"] = {"path": Path(extra).name, "sha256": data.sha256(extra), "rows": len(more)}  # type: ignore[arg-type]
        inputs["texts"] = {"path": Path(texts).name, "sha256": data.sha256(texts)}  # type: ignore[arg-type]
    cmd = command or f"groundswell.participation.train({str(path)!r}, {str(out)!r}, seed={seed})"
    model = fit(
        [r["text"] for r in rows],
        [r["category"] for r in rows],
        {a: [r[a] for r in rows] for a in ATTRIBUTES},
        is_gold=[True] * len(gold) + [False] * len(more),
        seed=seed,
        meta={"inputs": inputs, "command": cmd},
    )
    model.save(out)


def evaluate(path: str | Path, model: Model | None = None) -> dict[str, Any]:
    """Scores of ``model`` (default: the shipped one) on a gold-format file: metrics plus prevalence."""
    model = model or load_model()
    rows = data.read_labeled(path)
    probs = model.predict_proba([r["text"] for r in rows])
    pred = [CLASSES[i] for i in probs.argmax(axis=1)]
    true = [r["category"] for r in rows]
    out = metrics(true, pred)
    out["n"] = len(rows)
    out["prevalence"] = _prevalence_rows(true, probs, model.confusion(soft=True), model.oof_probs.mean(axis=0))
    return out


def _prevalence_rows(
    true: Sequence[str], probs: np.ndarray, m_soft: np.ndarray, prior: np.ndarray
) -> dict[str, dict[str, float]]:
    """Per class: the true share, the PACC estimate (``prevalence``'s default), EMQ and argmax counting.

    ``m_soft`` (PACC's confusion) and ``prior`` (EMQ's training prior, the mean out-of-fold probability)
    both come from out-of-fold predictions of gold posts other than the ones measured here.
    """
    est = adjust(probs.mean(axis=0), m_soft)
    em = emq(probs, prior)
    cc = np.bincount(probs.argmax(axis=1), minlength=len(CLASSES)) / max(len(probs), 1)
    t = np.array([CLASSES.index(c) for c in true])
    share = np.bincount(t, minlength=len(CLASSES)) / max(len(t), 1)
    return {
        c: {"true": float(share[i]), "estimated": float(est[i]), "emq": float(em[i]), "argmax_count": float(cc[i])}
        for i, c in enumerate(CLASSES)
    }


def cross_validate(
    path: str | Path = data.DEFAULT_GOLD,
    folds: int = 5,
    seed: int = 0,
    *,
    extra: str | Path | None = data.DEFAULT_EXTRA,
    texts: str | Path | None = data.DEFAULT_TEXTS,
    inner_folds: int = 3,
    max_extra: int | None = None,
) -> dict[str, Any]:
    """k-fold CV on the gold file: metrics of the pooled out-of-fold predictions and prevalence per fold.

    ``max_extra`` keeps only the first rows of ``extra`` (file order: first labeling round, then the second):
    the learning curve of how the extra labels move the scores.
    """
    gold, more = _training_set(data.read_labeled(path), extra, texts)
    more = more[:max_extra] if max_extra is not None else more
    all_texts = [r["text"] for r in gold] + [r["text"] for r in more]
    y = np.array([CLASSES.index(r["category"]) for r in gold + more])
    ng = len(gold)
    extra_idx = np.arange(ng, len(all_texts))
    probs = np.zeros((ng, len(CLASSES)), dtype=np.float32)
    fold_prev = []
    from sklearn.model_selection import StratifiedKFold  # only here: classifying never needs scikit-learn

    skf = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for tr, te in skf.split(np.arange(ng), y[:ng]):
        train_idx = np.concatenate([tr, extra_idx])
        sub_texts = [all_texts[i] for i in train_idx]
        is_gold = np.concatenate([np.ones(len(tr), bool), np.zeros(len(extra_idx), bool)])
        fz, coef, icpt = _fit_core(sub_texts, y[train_idx], seed, is_gold)
        probs[te] = _softmax_ovr(np.asarray(fz.transform([all_texts[i] for i in te]) @ coef) + icpt)
        # the same step as fit(): inner out-of-fold predictions give the confusion
        o_scores = oof_scores(sub_texts, y[train_idx], is_gold, inner_folds, seed)
        o_probs = _softmax_ovr(o_scores)
        m_soft = confusion_matrix_from(y[tr], o_probs, soft=True)
        fold_prev.append(_prevalence_rows([CLASSES[i] for i in y[te]], probs[te], m_soft, o_probs.mean(axis=0)))
    pred = [CLASSES[i] for i in probs.argmax(axis=1)]
    true = [CLASSES[i] for i in y[:ng]]
    out = metrics(true, pred)
    out.update({"n": ng, "n_extra_train": len(more), "folds": folds, "seed": seed})
    # pooled prevalence: fold estimates weighted by fold size = estimate for the whole file
    sizes = np.array([len(te) for _, te in skf.split(np.arange(ng), y[:ng])])
    pooled = {}
    for c in CLASSES:
        pooled[c] = {"true": true.count(c) / ng}
        for key in ("estimated", "emq", "argmax_count"):
            pooled[c][key] = float(np.average([fp[c][key] for fp in fold_prev], weights=sizes))
    out["prevalence"] = pooled
    out["prevalence_folds"] = fold_prev
    for name, key in (("max_fold_prevalence_error", "estimated"), ("max_fold_prevalence_error_emq", "emq")):
        out[name] = float(max(abs(fp[c][key] - fp[c]["true"]) for fp in fold_prev for c in CLASSES))
    return out
