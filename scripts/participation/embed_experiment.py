"""Does an all-MiniLM-L6-v2 embedding mode beat the default model? CV exactly like ``cross_validate``.

Same folds (StratifiedKFold(5, shuffle, seed 0) on the gold posts), extra labels only on the training side,
scores on gold only. Variants: the default model; (a) LR on embeddings; (b) default + embedding-LR
probabilities stacked (a meta-LR fitted on inner out-of-fold predictions), and (b') plain averages of the
two whose weight is read off the scored folds (optimistic, for reference only); (c) embeddings appended to
the sparse features. Embeddings come from the /tmp cache written by embed_cache.py (run that first).
Figures and conclusions: the "Sentence embeddings" section of src/groundswell/participation/README.md.

    .venv/bin/python scripts/participation/embed_experiment.py [--seed N] [--round3] [--quick | --cv-table]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_cache import CACHE, ROUND3, key, prepare

from groundswell.participation import data
from groundswell.participation.evaluate import _training_set, metrics
from groundswell.participation.features import Featurizer
from groundswell.participation.model import ALPHA, CLASSES, _fit_core, _sgd, _softmax_ovr


def show(name: str, true: np.ndarray, probs: np.ndarray) -> dict:
    m = metrics([CLASSES[i] for i in true], [CLASSES[i] for i in probs.argmax(1)])
    per = " ".join(f"{c[:5]} {m['per_class'][c]['f1']:.3f}" for c in CLASSES)
    share = np.bincount(true, minlength=6) / len(true)
    pcc = probs.mean(0)
    print(
        f"{name:38s} macro-F1 {m['macro_f1']:.3f} acc {m['accuracy']:.3f} | {per} | "
        f"max |PCC-true| {np.abs(pcc - share).max() * 100:.1f} pt",
        flush=True,
    )
    return m


def embed_lr(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--round3", action="store_true", help="add labels/round3.tsv to the extra labels")
    ap.add_argument("--skip-stack", action="store_true")
    ap.add_argument("--seed", type=int, default=0, help="fold seed (0 is the one groundswell cv uses)")
    ap.add_argument("--quick", action="store_true", help="only the default and (c) with weight 1")
    ap.add_argument("--cv-table", action="store_true", help="(c) measured and printed like groundswell cv")
    args = ap.parse_args()
    if args.cv_table:
        cv_table(seed=args.seed)
        return
    gold, more = _training_set(data.read_labeled(data.DEFAULT_GOLD), data.DEFAULT_EXTRA, data.DEFAULT_TEXTS)
    if args.round3:
        seen = {r["tweet_id"] for r in gold + more}
        more += [r for r in data.load_extra(ROUND3, data.DEFAULT_TEXTS) if r["tweet_id"] not in seen]
    rows = gold + more
    texts = [r["text"] for r in rows]
    y = np.array([CLASSES.index(r["category"]) for r in rows])
    ng = len(gold)
    keys = np.load(CACHE / "keys.npy")
    vecs = np.load(CACHE / "vecs.npy")
    pos = {k: i for i, k in enumerate(keys.tolist())}
    emb = vecs[[pos[key(t)] for t in prepare(texts)]]
    print(f"gold {ng}, extra {len(more)}, embedding dim {emb.shape[1]}")
    extra_idx = np.arange(ng, len(texts))
    skf = StratifiedKFold(5, shuffle=True, random_state=args.seed)
    folds = list(skf.split(np.arange(ng), y[:ng]))
    true = y[:ng]
    res: dict[str, np.ndarray] = {}

    def run(name, fn):
        p = np.zeros((ng, 6), np.float32)
        t = time.perf_counter()
        for tr, te in folds:
            p[te] = fn(np.concatenate([tr, extra_idx]), te)
        res[name] = p
        show(name, true, p)
        print(f"    ({time.perf_counter() - t:.0f}s)", flush=True)

    def default(tri, te):
        fz, coef, icpt = _fit_core([texts[i] for i in tri], y[tri], 0)
        return _softmax_ovr(np.asarray(fz.transform([texts[i] for i in te]) @ coef) + icpt)

    # (c) embeddings appended to the sparse features, same SGD as the default
    def concat(w):
        def fn(tri, te):
            fz = Featurizer.fit([texts[i] for i in tri])
            xtr = sp.hstack([fz.transform([texts[i] for i in tri]), sp.csr_matrix(emb[tri] * w)]).tocsr()
            xte = sp.hstack([fz.transform([texts[i] for i in te]), sp.csr_matrix(emb[te] * w)]).tocsr()
            clf = _sgd(ALPHA, 0).fit(xtr, y[tri])
            return _softmax_ovr(clf.decision_function(xte))

        return fn

    run("default (sparse SGD)", default)
    if args.quick:
        run("(c) sparse + 1.0*embedding (SGD)", concat(1.0))
        return
    for c in (0.3, 1.0, 3.0, 10.0):
        run(f"(a) LR on embeddings C={c}", lambda tri, te, c=c: embed_lr(emb[tri], y[tri], c).predict_proba(emb[te]))

    for w in (0.5, 1.0, 2.0):
        run(f"(c) sparse + {w}*embedding (SGD)", concat(w))

    if args.skip_stack:
        return

    # (b) stacking: inner 5-fold OOF probabilities of both models on the training gold (extra always in
    # training) -> a multinomial LR on [log p_default, log p_embed]; test uses models fit on the whole train side
    def stack(c_emb):
        def fn(tri, te):
            tr_gold = tri[tri < ng]
            ex = tri[tri >= ng]
            o_def = np.zeros((len(tr_gold), 6), np.float32)
            o_emb = np.zeros((len(tr_gold), 6), np.float32)
            for itr, ite in StratifiedKFold(5, shuffle=True, random_state=0).split(tr_gold, y[tr_gold]):
                sub = np.concatenate([tr_gold[itr], ex])
                o_def[ite] = default(sub, tr_gold[ite])
                o_emb[ite] = embed_lr(emb[sub], y[sub], c_emb).predict_proba(emb[tr_gold[ite]])
            z = np.hstack([np.log(o_def + 1e-6), np.log(o_emb + 1e-6)])
            meta = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(z, y[tr_gold])
            zt = np.hstack(
                [
                    np.log(default(tri, te) + 1e-6),
                    np.log(embed_lr(emb[tri], y[tri], c_emb).predict_proba(emb[te]) + 1e-6),
                ]
            )
            return meta.predict_proba(zt)

        return fn

    run("(b) stack default+embed-LR (meta LR)", stack(1.0))
    for w in (0.3, 0.5, 0.7):
        p = w * res["default (sparse SGD)"] + (1 - w) * res["(a) LR on embeddings C=1.0"]
        show(f"(b') {w}*default + {1 - w:.1f}*embed (avg, peeks)", true, p)


def cv_table(weight: float = 1.0, seed: int = 0) -> None:
    """Variant (c) measured exactly like ``cross_validate`` (inner-CV confusion, PACC per fold), printed as
    ``groundswell cv`` prints, beside the default model's ``cross_validate`` in the same run."""
    from rich.console import Console

    from groundswell.cli.participation import _confusion_table, _scores_table
    from groundswell.participation import cross_validate
    from groundswell.participation.evaluate import _prevalence_rows
    from groundswell.participation.model import confusion_matrix_from

    gold, more = _training_set(data.read_labeled(data.DEFAULT_GOLD), data.DEFAULT_EXTRA, data.DEFAULT_TEXTS)
    rows = gold + more
    texts = [r["text"] for r in rows]
    y = np.array([CLASSES.index(r["category"]) for r in rows])
    ng = len(gold)
    keys = np.load(CACHE / "keys.npy")
    pos = {k: i for i, k in enumerate(keys.tolist())}
    emb = np.load(CACHE / "vecs.npy")[[pos[key(t)] for t in prepare(texts)]] * weight
    extra_idx = np.arange(ng, len(texts))

    def fit_predict(tri: np.ndarray, te: np.ndarray) -> np.ndarray:
        fz = Featurizer.fit([texts[i] for i in tri])
        xtr = sp.hstack([fz.transform([texts[i] for i in tri]), sp.csr_matrix(emb[tri])]).tocsr()
        xte = sp.hstack([fz.transform([texts[i] for i in te]), sp.csr_matrix(emb[te])]).tocsr()
        return _softmax_ovr(_sgd(ALPHA, seed).fit(xtr, y[tri]).decision_function(xte))

    probs = np.zeros((ng, 6), np.float32)
    fold_prev, sizes = [], []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(np.arange(ng), y[:ng]):
        probs[te] = fit_predict(np.concatenate([tr, extra_idx]), te)
        inner = np.zeros((len(tr), 6), np.float32)  # the same inner 3-fold step as cross_validate
        for itr, ite in StratifiedKFold(3, shuffle=True, random_state=seed).split(tr, y[tr]):
            inner[ite] = fit_predict(np.concatenate([tr[itr], extra_idx]), tr[ite])
        m_soft = confusion_matrix_from(y[tr], inner, soft=True)
        fold_prev.append(_prevalence_rows([CLASSES[i] for i in y[te]], probs[te], m_soft))
        sizes.append(len(te))
    true = [CLASSES[i] for i in y[:ng]]
    r = metrics(true, [CLASSES[i] for i in probs.argmax(1)])
    r["n"] = ng
    r["prevalence"] = {
        c: {
            "true": true.count(c) / ng,
            "estimated": float(np.average([fp[c]["estimated"] for fp in fold_prev], weights=sizes)),
            "argmax_count": float(np.average([fp[c]["argmax_count"] for fp in fold_prev], weights=sizes)),
        }
        for c in CLASSES
    }
    worst = max(abs(fp[c]["estimated"] - fp[c]["true"]) for fp in fold_prev for c in CLASSES)
    con = Console(width=140)
    d = cross_validate(seed=seed)
    con.print(_scores_table(f"default: 5-fold CV on train.tsv (+{d['n_extra_train']} extra training posts)", d))
    con.print(_confusion_table(d))
    con.print(f"largest per-fold prevalence error: {d['max_fold_prevalence_error'] * 100:.1f} points")
    con.print(_scores_table(f"(c) sparse + {weight}*MiniLM embedding: same folds (+{len(more)} extra)", r))
    con.print(_confusion_table(r))
    con.print(f"largest per-fold prevalence error: {worst * 100:.1f} points")


if __name__ == "__main__":
    main()
