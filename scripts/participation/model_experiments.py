"""The experiments of the second push on issue #4 (participation README, "Closing the gap"), one subcommand each.

Every experiment uses the folds of ``groundswell cv`` (stratified 5-fold on the gold file, seed 0), the
7,910 extra labels only on the training side, gold weight 6, and scores only the gold posts. Fold features
are computed once and cached (pickles in ``--cache``, default ``/tmp/gs-participation-exp``; nothing is
written to the repository). The unlabeled posts are the 2017 archive of ``../shared``.

    .venv/bin/python scripts/participation/model_experiments.py ensembles   # word / char / NB-LR averages
    .venv/bin/python scripts/participation/model_experiments.py lsa         # LSA of the archive as features
    .venv/bin/python scripts/participation/model_experiments.py selftrain   # pseudo-labels from the archive
    .venv/bin/python scripts/participation/model_experiments.py quantifiers # PACC, EMQ, ... per fold

On a shared two-core machine each subcommand took 5–15 minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedKFold

from groundswell.participation import data
from groundswell.participation.evaluate import _training_set, metrics
from groundswell.participation.features import Featurizer
from groundswell.participation.model import (
    ALPHA,
    CLASSES,
    GOLD_WEIGHT,
    _sgd,
    _softmax_ovr,
    confusion_matrix_from,
    oof_scores,
)
from groundswell.participation.normalize import normalize_batch
from groundswell.participation.prevalence import adjust, emq
from groundswell.participation.tokens import WORD_BITS, token_stream

CACHE = Path(os.environ.get("GS_EXP_CACHE", "/tmp/gs-participation-exp"))


def _cached(name: str, make):
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.pkl"
    if path.exists():
        with open(path, "rb") as f:
            return pickle.load(f)
    value = make()
    with open(str(path) + ".tmp", "wb") as f:
        pickle.dump(value, f, protocol=4)
    os.replace(str(path) + ".tmp", path)
    return value


def _labeled() -> dict:
    gold, more = _training_set(data.read_labeled(data.DEFAULT_GOLD), data.DEFAULT_EXTRA, data.DEFAULT_TEXTS)
    return {
        "texts": [r["text"] for r in gold + more],
        "y": np.array([CLASSES.index(r["category"]) for r in gold + more]),
        "ng": len(gold),
        "ms": np.array([(int(r["tweet_id"]) >> 22) + 1288834974657 for r in gold]),
    }


D = _cached("labeled", _labeled)
TEXTS, Y, NG = D["texts"], D["y"], D["ng"]
EXTRA = np.arange(NG, len(TEXTS))
SPLITS = list(StratifiedKFold(5, shuffle=True, random_state=0).split(np.arange(NG), Y[:NG]))


def fold(k: int) -> dict:
    def make():
        tr, te = SPLITS[k]
        tri = np.concatenate([tr, EXTRA])
        sub = [TEXTS[i] for i in tri]
        fz = Featurizer.fit(sub)
        return {
            "tr": tr,
            "te": te,
            "tri": tri,
            "fz": fz,
            "Xtr": fz.transform(sub),
            "Xte": fz.transform([TEXTS[i] for i in te]),
            "gold": np.concatenate([np.ones(len(tr), bool), np.zeros(len(EXTRA), bool)]),
        }

    return _cached(f"fold{k}", make)


def weights(f: dict) -> np.ndarray:
    return np.where(f["gold"], GOLD_WEIGHT, 1.0)


def report(name: str, probs: np.ndarray) -> dict:
    m = metrics([CLASSES[i] for i in Y[:NG]], [CLASSES[i] for i in probs.argmax(1)])
    pc = m["per_class"]
    print(
        f"{name:48s} macro-F1 {m['macro_f1']:.3f} acc {m['accuracy']:.3f} "
        + " ".join(f"{c[:4]} {pc[c]['f1']:.3f}" for c in CLASSES),
        flush=True,
    )
    return m


def run(name: str, fn) -> np.ndarray:
    """fn(fold) -> probabilities of the fold's test posts; prints the pooled scores."""
    probs = np.zeros((NG, len(CLASSES)), np.float32)
    for k in range(5):
        f = fold(k)
        probs[f["te"]] = fn(f)
    report(name, probs)
    return probs


def base(f: dict, seed: int = 0) -> np.ndarray:
    return _sgd(ALPHA, seed).fit(f["Xtr"], Y[f["tri"]], sample_weight=weights(f)).predict_proba(f["Xte"])


def nb_lr(f: dict, alpha: float = ALPHA, seed: int = 0) -> np.ndarray:
    """One-vs-rest NB-LR (Wang & Manning 2012): features scaled by each class's log-count ratio."""
    xb = f["Xtr"].copy()
    xb.sum_duplicates()
    xb.data[:] = 1
    y = Y[f["tri"]]
    scores = []
    for c in range(len(CLASSES)):
        p = np.asarray(xb[y == c].sum(0)).ravel() + 1.0
        q = np.asarray(xb[y != c].sum(0)).ravel() + 1.0
        d = sp.diags((np.log(p / p.sum()) - np.log(q / q.sum())).astype(np.float32))
        clf = SGDClassifier(
            loss="log_loss",
            alpha=alpha,
            class_weight="balanced",
            max_iter=30,
            tol=None,
            random_state=seed,
            average=True,
        )
        clf.fit(f["Xtr"] @ d, (y == c).astype(int), sample_weight=weights(f))
        scores.append(clf.decision_function(f["Xte"] @ d))
    return _softmax_ovr(np.stack(scores, 1))


def ensembles() -> None:
    p_base = run("baseline (groundswell cv)", base)

    def block(word: bool):
        def fn(f):
            n = f["fz"].n_word
            sl = slice(None, n) if word else slice(n, None)
            clf = _sgd(ALPHA, 0).fit(f["Xtr"][:, sl], Y[f["tri"]], sample_weight=weights(f))
            return clf.predict_proba(f["Xte"][:, sl])

        return fn

    p_w, p_c = run("word block only", block(True)), run("char block only", block(False))
    report("average word + char", (p_w + p_c) / 2)
    report("average baseline + word + char", (p_base + p_w + p_c) / 3)
    report("average baseline + char", (p_base + p_c) / 2)
    for seed in (0, 1):
        pb = p_base if seed == 0 else run(f"baseline, SGD seed {seed}", lambda f, s=seed: base(f, s))
        for alpha in (1e-5, 3e-5, 1e-4):
            pn = run(f"NB-LR alpha {alpha}, seed {seed}", lambda f, a=alpha, s=seed: nb_lr(f, a, s))
            report(f"average baseline + NB-LR alpha {alpha}, seed {seed}", (pb + pn) / 2)


def _corpus() -> list[str]:
    with gzip.open(data.DEFAULT_TEXTS, "rt", encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f]


def lsa() -> None:
    def make():
        norms = []
        corpus = _corpus()
        for s in range(0, len(corpus), 8192):
            norms += normalize_batch(corpus[s : s + 8192])
        uniq = sorted(set(norms))
        rows, cols = [], []
        for s in range(0, len(uniq), 8192):
            r, b = token_stream(uniq[s : s + 8192])
            rows.append(r + s)
            cols.append(b)
        r, c = np.concatenate(rows), np.concatenate(cols)
        x = sp.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(len(uniq), 1 << WORD_BITS))
        x.sum_duplicates()
        df = np.bincount(x.indices, minlength=x.shape[1])
        idx = np.flatnonzero(df >= 10)
        idf = (np.log((1 + len(uniq)) / (1 + df[idx])) + 1).astype(np.float32)
        xs = _tfidf_rows(x[:, idx].tocsr(), idf)
        svd = TruncatedSVD(256, algorithm="randomized", n_iter=5, random_state=0).fit(xs)
        print(f"LSA: {len(uniq):,} unique normalized posts, {len(idx):,} word buckets in >= 10", flush=True)
        return {"idx": idx, "idf": idf, "comp": svd.components_.astype(np.float32)}

    m = _cached("lsa", make)
    remap = np.full(1 << WORD_BITS, -1, np.int64)
    remap[m["idx"]] = np.arange(len(m["idx"]))

    def embed(texts):
        r, b = token_stream(normalize_batch(texts))
        c = remap[b]
        ok = c >= 0
        x = sp.csr_matrix((np.ones(ok.sum(), np.float32), (r[ok], c[ok])), shape=(len(texts), len(m["idx"])))
        x.sum_duplicates()
        e = np.asarray(_tfidf_rows(x, m["idf"]) @ m["comp"].T)
        return e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-6)

    for scale in (1.0, 2.0, 0.5):

        def fn(f, scale=scale):
            etr = embed([TEXTS[i] for i in f["tri"]])
            ete = embed([TEXTS[i] for i in f["te"]])
            xtr = sp.hstack([f["Xtr"], sp.csr_matrix(scale * etr)], format="csr")
            xte = sp.hstack([f["Xte"], sp.csr_matrix(scale * ete)], format="csr")
            return _sgd(ALPHA, 0).fit(xtr, Y[f["tri"]], sample_weight=weights(f)).predict_proba(xte)

        run(f"LSA 256 dims appended, scale {scale}", fn)


def _tfidf_rows(x: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    x = x.copy()
    x.data = np.log1p(x.data)
    x = x.multiply(idf[None, :]).tocsr()
    n = np.sqrt(np.asarray(x.multiply(x).sum(1))).ravel()
    n[n == 0] = 1
    return sp.diags(1 / n) @ x


def selftrain() -> None:
    known = set(TEXTS)
    pool = sorted({t for t in _corpus() if t not in known})
    pool = [pool[i] for i in np.random.default_rng(0).choice(len(pool), 40000, replace=False)]
    for k_per_class, w in ((1000, 1.0), (1000, 0.3), (3000, 0.3)):

        def fn(f, k_per_class=k_per_class, w=w):
            clf = _sgd(ALPHA, 0).fit(f["Xtr"], Y[f["tri"]], sample_weight=weights(f))
            xp = f["fz"].transform(pool)
            pp = clf.predict_proba(xp)
            lab, conf = pp.argmax(1), pp.max(1)
            pick = np.concatenate(
                [
                    np.flatnonzero(lab == c)[np.argsort(-conf[lab == c], kind="stable")][:k_per_class]
                    for c in range(len(CLASSES))
                ]
            )
            x = sp.vstack([f["Xtr"], xp[pick]], format="csr")
            y = np.concatenate([Y[f["tri"]], lab[pick]])
            sw = np.concatenate([weights(f), np.full(len(pick), w)])
            return _sgd(ALPHA, 0).fit(x, y, sample_weight=sw).predict_proba(f["Xte"])

        run(f"self-training, top {k_per_class} per class, weight {w}", fn)


def quantifiers() -> None:
    def make():
        out = []
        for k in range(5):
            f = fold(k)
            clf = _sgd(ALPHA, 0).fit(f["Xtr"], Y[f["tri"]], sample_weight=weights(f))
            inner = oof_scores([TEXTS[i] for i in f["tri"]], Y[f["tri"]], f["gold"], 3, 0)
            out.append({"tr": f["tr"], "te": f["te"], "te_scores": clf.decision_function(f["Xte"]), "inner": inner})
        return out

    folds = _cached("quantifier_scores", make)
    day = 86_400_000
    oct15 = (D["ms"] >= 1508025600000) & (D["ms"] < 1508025600000 + day)
    rng = np.random.default_rng(0)
    errors: dict[tuple[str, str], list[np.ndarray]] = {}
    for f in folds:
        ytr, yte, s = Y[f["tr"]], Y[f["te"]], f["te_scores"]
        pin = _softmax_ovr(f["inner"])
        m_soft, m_hard = confusion_matrix_from(ytr, pin, True), confusion_matrix_from(ytr, pin, False)
        cal = LogisticRegression(C=1.0, max_iter=2000).fit(f["inner"], ytr)
        gold_prior = np.bincount(ytr, minlength=6) / len(ytr)

        def est(sc, cal=cal, m_soft=m_soft, m_hard=m_hard, pin=pin, gold_prior=gold_prior):
            p, c = _softmax_ovr(sc), cal.predict_proba(sc)
            return {
                "pacc": adjust(p.mean(0), m_soft),
                "acc": adjust(np.eye(6)[p.argmax(1)].mean(0), m_hard),
                "pcc": p.mean(0),
                "emq": emq(p, pin.mean(0)),
                "emq, gold shares as prior": emq(p, gold_prior),
                "calibrated pcc": c.mean(0),
                "calibrated emq": emq(c, gold_prior),
            }

        def add(tag, e, true):
            for name, v in e.items():
                errors.setdefault((tag, name), []).append(np.abs(v - true))

        add("fold", est(s), np.bincount(yte, minlength=6) / len(yte))
        o = oct15[f["te"]]
        add("15 Oct posts of the fold", est(s[o]), np.bincount(yte[o], minlength=6) / o.sum())
        random_mixes(add, est, s, yte, rng)
    print_errors(errors, ("fold", "15 Oct posts of the fold", MIXES), 28)


MIXES = "random mixes (40 per fold)"


def random_mixes(add, est, scores: np.ndarray, yte: np.ndarray, rng: np.random.Generator) -> None:
    """40 mixes of 400 of a fold's test posts, class shares drawn from Dirichlet(1): ``add(MIXES, estimates,
    true shares)`` for each."""
    by_class = [np.flatnonzero(yte == c) for c in range(6)]
    for _ in range(40):
        n = rng.multinomial(400, rng.dirichlet(np.ones(6)))
        idx = np.concatenate([rng.choice(by_class[c], n[c]) for c in range(6)])
        add(MIXES, est(scores[idx]), n / 400)


def print_errors(errors: dict[tuple[str, str], list[np.ndarray]], tags: tuple[str, ...], width: int) -> None:
    """Largest, mean-of-largest and mean absolute error in points, per estimator, for each set of mixes."""
    for tag in tags:
        print(tag)
        for (t, name), e in errors.items():
            if t == tag:
                e = np.array(e) * 100
                print(
                    f"  {name:{width}s} largest {e.max():5.1f}  mean of largest {e.max(1).mean():5.1f}"
                    f"  mean {e.mean():5.2f}"
                )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("experiment", choices=["ensembles", "lsa", "selftrain", "quantifiers"])
    t = time.time()
    {"ensembles": ensembles, "lsa": lsa, "selftrain": selftrain, "quantifiers": quantifiers}[
        ap.parse_args().experiment
    ]()
    print(f"({time.time() - t:.0f} s)")


if __name__ == "__main__":
    main()
