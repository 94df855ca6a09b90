"""The third push on issue #4: other linear learners, decision offsets, class weights, calibrated quantifiers.

Same folds and rules as ``groundswell cv`` (stratified 5-fold on the gold file, seed 0; the 7,910 extra labels
only on the training side; gold weight 6; scores on the gold posts only), through the fold cache of
``model_experiments.py``. Figures and conclusions: "Third push" in src/groundswell/participation/README.md.

    .venv/bin/python scripts/participation/linear_variants.py learners     # LinearSVC, softmax LR
    .venv/bin/python scripts/participation/linear_variants.py weights      # class-weight power, alpha
    .venv/bin/python scripts/participation/linear_variants.py offsets      # per-class offsets for macro-F1
    .venv/bin/python scripts/participation/linear_variants.py quantifiers  # EMQ / PACC after calibration
    .venv/bin/python scripts/participation/linear_variants.py errors       # where the shipped model errs

On a two-core machine: learners ~12 minutes (the softmax LR is ~35 s a fold), the rest under two minutes each.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_experiments import MIXES, NG, Y, _cached, base, print_errors, random_mixes, report, run, weights

from groundswell.participation.evaluate import metrics
from groundswell.participation.model import ALPHA, CLASSES, _softmax_ovr, confusion_matrix_from
from groundswell.participation.prevalence import adjust, emq


def _fitted(make: Callable[[], object]) -> Callable[[dict], np.ndarray]:
    def fn(f: dict) -> np.ndarray:
        clf = make()
        clf.fit(f["Xtr"], Y[f["tri"]], sample_weight=weights(f))
        return clf.predict_proba(f["Xte"]) if hasattr(clf, "predict_proba") else clf.decision_function(f["Xte"])

    return fn


def learners() -> None:
    run("baseline (groundswell cv)", base)
    for c in (0.03, 0.1, 0.3):
        run(f"LinearSVC C {c}, balanced", _fitted(lambda c=c: LinearSVC(C=c, class_weight="balanced")))
    for c in (10, 30, 100):
        make = lambda c=c: LogisticRegression(C=c, class_weight="balanced", max_iter=300)  # noqa: E731
        run(f"softmax LR (lbfgs) C {c}, balanced", _fitted(make))


def weights_grid() -> None:
    """Class weights as scikit-learn applies them to one-vs-rest SGD (each binary problem weights its positive
    posts by their class's weight, its negatives by 1), raised to a power; then alpha."""

    def sgd(alpha: float = ALPHA, power: float = 1.0) -> Callable[[dict], np.ndarray]:
        def fn(f: dict) -> np.ndarray:
            y = Y[f["tri"]]
            cw = (len(y) / (6 * np.bincount(y, minlength=6))) ** power  # "balanced" when power is 1
            clf = SGDClassifier(
                loss="log_loss",
                alpha=alpha,
                class_weight=dict(enumerate(cw)),
                max_iter=30,
                tol=None,
                random_state=0,
                average=True,
            )
            return clf.fit(f["Xtr"], y, sample_weight=weights(f)).predict_proba(f["Xte"])

        return fn

    for p in (1.0, 0.5, 0.75, 1.25, 1.5):
        run(f"balanced class weights ** {p}", sgd(power=p))
    for a in (1.5e-5, 6e-5):
        run(f"alpha {a}", sgd(alpha=a))
    run("balanced class weights on every post of the class (negatives too)", _weighted_everywhere)


def _weighted_everywhere(f: dict) -> np.ndarray:
    y = Y[f["tri"]]
    cw = len(y) / (6 * np.bincount(y, minlength=6))
    clf = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=30, tol=None, random_state=0, average=True)
    return clf.fit(f["Xtr"], y, sample_weight=weights(f) * cw[y]).predict_proba(f["Xte"])


def _macro(y: np.ndarray, pred: np.ndarray) -> float:
    return metrics([CLASSES[i] for i in y], [CLASSES[i] for i in pred])["macro_f1"]


def _scores() -> list[dict]:
    """Per fold: test decision scores and the inner 3-fold out-of-fold scores of the training gold posts."""
    return _cached("quantifier_scores", lambda: sys.exit("run model_experiments.py quantifiers first"))


def offsets() -> None:
    """Per-class offsets added to the scores, chosen by coordinate ascent on the inner out-of-fold macro-F1."""
    probs, shifted = np.zeros((NG, 6)), np.zeros((NG, 6))
    for f in _scores():
        s, y = f["inner"], Y[f["tr"]]
        b, best = np.zeros(6), _macro(y, s.argmax(1))
        for _ in range(3):
            for c in range(6):
                for step in np.linspace(-1.5, 1.5, 31):
                    trial = b.copy()
                    trial[c] = step
                    m = _macro(y, (s + trial).argmax(1))
                    if m > best + 1e-9:
                        best, b = m, trial
        print(f"  offsets {np.round(b, 2)}: inner macro-F1 {_macro(y, s.argmax(1)):.3f} -> {best:.3f}")
        probs[f["te"]] = _softmax_ovr(f["te_scores"])
        shifted[f["te"]] = _softmax_ovr(f["te_scores"] + b)
    report("baseline (groundswell cv)", probs)
    report("offsets tuned on inner out-of-fold scores", shifted)


def _calibrator(scores: np.ndarray, y: np.ndarray, bias: bool, vector: bool) -> Callable[[np.ndarray], np.ndarray]:
    """Temperature (TS), bias-corrected temperature (BCTS) or vector scaling (VS) of the log-probabilities,
    fitted by likelihood on out-of-fold scores (Alexandari, Kundaje & Shrikumar 2020)."""
    nt, nb = (6 if vector else 1), (6 if bias else 0)

    def logp(s: np.ndarray) -> np.ndarray:
        return np.log(np.clip(_softmax_ovr(s).astype(np.float64), 1e-12, 1))

    def apply(w: np.ndarray, z: np.ndarray) -> np.ndarray:
        z = z * w[:nt] + (w[nt:] if nb else 0)
        e = np.exp(z - z.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    z = logp(scores)
    w = minimize(
        lambda w: -np.log(apply(w, z)[np.arange(len(y)), y] + 1e-12).mean(),
        np.concatenate([np.ones(nt), np.zeros(nb)]),
        method="L-BFGS-B",
    ).x
    return lambda s: apply(w, logp(s))


def quantifiers() -> None:
    rng = np.random.default_rng(0)
    errors: dict[tuple[str, str], list[np.ndarray]] = {}
    for f in _scores():
        ytr, yte, s = Y[f["tr"]], Y[f["te"]], f["te_scores"]
        pin = _softmax_ovr(f["inner"])
        m_soft = confusion_matrix_from(ytr, pin, True)
        cals = {
            name: _calibrator(f["inner"], ytr, bias, vector)
            for name, bias, vector in (("TS", False, False), ("BCTS", True, False), ("VS", True, True))
        }

        def est(sc: np.ndarray, m_soft=m_soft, pin=pin, cals=cals, ytr=ytr, f=f) -> dict[str, np.ndarray]:
            p = _softmax_ovr(sc)
            e = {"PACC (default)": adjust(p.mean(0), m_soft), "EMQ": emq(p, pin.mean(0))}
            e["mean of PACC and EMQ"] = (e["PACC (default)"] + e["EMQ"]) / 2
            for name, cal in cals.items():
                c, cin = cal(sc), cal(f["inner"])
                e[f"EMQ after {name}"] = emq(c, cin.mean(0))
                e[f"PCC after {name}"] = c.mean(0)
                e[f"PACC after {name}"] = adjust(c.mean(0), confusion_matrix_from(ytr, cin, True))
            return e

        def add(tag: str, e: dict[str, np.ndarray], true: np.ndarray) -> None:
            for name, v in e.items():
                errors.setdefault((tag, name), []).append(np.abs(v - true))

        add("fold", est(s), np.bincount(yte, minlength=6) / len(yte))
        random_mixes(add, est, s, yte, rng)
    print_errors(errors, ("fold", MIXES), 22)


def errors() -> None:
    """The shipped model's pooled confusion, and its scores on English-looking posts against the rest."""
    import re

    from model_experiments import TEXTS

    probs = np.zeros((NG, 6))
    for f in _scores():
        probs[f["te"]] = _softmax_ovr(f["te_scores"])
    m = report("baseline (groundswell cv)", probs)
    print("confusion (rows true, columns predicted, in CLASSES order):")
    print(np.array(m["confusion"]))
    common = set(
        [
            "the",
            "a",
            "i",
            "you",
            "to",
            "and",
            "of",
            "is",
            "it",
            "this",
            "my",
            "me",
            "that",
            "for",
            "in",
            "on",
            "was",
            "be",
            "not",
            "are",
            "with",
            "have",
            "all",
            "so",
            "what",
            "but",
            "we",
            "they",
            "just",
        ]
    )

    def english(text: str) -> bool:  # crude on purpose: two common English words, or a short ASCII post
        words = re.findall(r"[a-z']+", text.lower())
        return sum(w in common for w in words) >= 2 or (len(words) <= 3 and not re.search(r"[^\x00-\x7f]", text))

    mask = np.array([english(TEXTS[i]) for i in range(NG)])
    for name, sel in (("English-looking", mask), ("other", ~mask)):
        r = metrics([CLASSES[i] for i in Y[:NG][sel]], [CLASSES[i] for i in probs.argmax(1)[sel]])
        per = " ".join(f"{c[:4]} {r['per_class'][c]['f1']:.2f} (n {r['per_class'][c]['support']})" for c in CLASSES)
        print(f"{name:16s} {sel.sum():5d} posts  macro-F1 {r['macro_f1']:.3f}  {per}")


def main() -> None:
    ap = argparse.ArgumentParser()
    commands = {
        "learners": learners,
        "weights": weights_grid,
        "offsets": offsets,
        "quantifiers": quantifiers,
        "errors": errors,
    }
    ap.add_argument("experiment", choices=list(commands))
    t = time.time()
    commands[ap.parse_args().experiment]()
    print(f"({time.time() - t:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
