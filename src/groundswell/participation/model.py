"""The participation classifier: fitting, the shipped artifact, and prediction.

One linear model (logistic loss, averaged SGD) over word 1–2-grams, cue tokens and hashed character
2–5-grams gives the six classes; four small linear models over the word block give the disclosure attributes.
A linear model is the only kind that comes near the throughput target (≥ 20,000 posts/s on two cores),
and SGD fits in seconds, so a 5-fold cross-validation with nested confusion estimates (20 fits) stays
about a minute of CPU.

The artifact is one ``.npz`` (zip of ``.npy`` arrays, no pickle) written with fixed zip timestamps, so two
runs of ``groundswell train`` on the same files give the same bytes. Its ``meta`` records the sha256 of every
input file and the command that built it. It also keeps the out-of-fold class probabilities of the gold
training posts (numbers and class indices only, no ids, no text): ``prevalence`` resamples them to put the
classifier's own uncertainty into its intervals.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .features import Featurizer

if TYPE_CHECKING:  # scikit-learn fits; classifying needs numpy and scipy only (a worker saves ~110 MB)
    from sklearn.linear_model import SGDClassifier

__all__ = ["ATTRIBUTES", "CLASSES", "DEFAULT_MODEL", "Model", "fit", "load_model"]

CLASSES: tuple[str, ...] = ("acknowledgement", "disclosure", "support", "commentary", "opposition", "unrelated")
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "act": ("harassment", "assault", "rape", "abuse", "unknown"),
    "setting": ("work", "school", "home", "public", "online", "medical", "religious", "other", "unknown"),
    "age": ("child", "teen", "adult", "unknown"),
    "perpetrator": ("family", "partner", "work", "teacher", "acquaintance", "stranger", "authority", "unknown"),
}
DEFAULT_MODEL = Path(__file__).resolve().parent / "artifact" / "participation.npz"

# Hyper-parameters, chosen by 5-fold CV on the gold file (see README of this package).
ALPHA = 3e-5
EPOCHS = 30
ATTR_ALPHA = 1e-4
#: How much one gold post counts against one of the project's extra labels when fitting. The extra labels
#: (labels/README.md) agree with the gold at kappa ~0.85 and were sampled to over-represent the rare
#: classes; weighting the gold up keeps the model on the gold annotators' reading of the codebook while
#: the extra posts still widen its vocabulary. Chosen by 5-fold CV on the gold file: 1 → macro-F1 0.649,
#: 2 → 0.650, 4 → 0.661, 6 → 0.664, 10 → 0.650, 16 → 0.636.
GOLD_WEIGHT = 6.0


def _sgd(alpha: float, seed: int, balanced: bool = True) -> SGDClassifier:
    from sklearn.linear_model import SGDClassifier

    return SGDClassifier(
        loss="log_loss",
        alpha=alpha,
        class_weight="balanced" if balanced else None,
        max_iter=EPOCHS,
        tol=None,
        random_state=seed,
        average=True,
    )


def _softmax_ovr(scores: np.ndarray) -> np.ndarray:
    # Same as SGDClassifier.predict_proba for one-vs-rest log loss: per-class sigmoids, renormalized.
    p = 1.0 / (1.0 + np.exp(-np.clip(scores, -30, 30)))
    s = p.sum(axis=1, keepdims=True)
    s[s == 0] = 1.0
    return (p / s).astype(np.float32)


class Model:
    """A fitted participation classifier (see module docstring). Build with ``fit`` or ``load_model``."""

    def __init__(
        self,
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        attr: dict[str, tuple[np.ndarray, np.ndarray]],
        oof_true: np.ndarray,
        oof_probs: np.ndarray,
        meta: dict[str, Any],
    ):
        self.featurizer = featurizer
        self.coef = np.asarray(coef, dtype=np.float32)  # (n_features, 6)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.attr = {k: (np.asarray(c, np.float32), np.asarray(b, np.float32)) for k, (c, b) in attr.items()}
        self.oof_true = np.asarray(oof_true, dtype=np.int64)  # class index of each gold training post
        self.oof_probs = np.asarray(oof_probs, dtype=np.float32)  # its out-of-fold probabilities
        self.meta = meta
        self.classes = CLASSES

    # -- prediction -------------------------------------------------------------------------------------
    def _features(self, texts: Sequence[str | None]) -> sp.csr_matrix:
        return self.featurizer.transform(list(texts))

    def _proba(self, x: sp.csr_matrix) -> np.ndarray:
        return _softmax_ovr(np.asarray(x @ self.coef) + self.intercept)

    def predict_proba(self, texts: Sequence[str | None]) -> np.ndarray:
        """Class probabilities, shape (n, 6), columns in ``CLASSES`` order."""
        return self._proba(self._features(texts))

    def predict(self, texts: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray]:
        """(labels as a str array, probability of each label as float32)."""
        p = self.predict_proba(texts)
        k = p.argmax(axis=1)
        return np.asarray(CLASSES, dtype=object)[k].astype(str), p[np.arange(len(k)), k].astype(np.float32)

    def _attributes(self, x: sp.csr_matrix) -> dict[str, np.ndarray]:
        xw = x[:, : self.featurizer.n_word]
        out = {}
        for name, values in ATTRIBUTES.items():
            c, b = self.attr[name]
            out[name] = np.asarray(values)[np.asarray(xw @ c + b).argmax(axis=1)]
        return out

    def predict_disclosure(self, texts: Sequence[str | None]) -> dict[str, np.ndarray]:
        """act / setting / age / perpetrator for each text, as if it were a disclosure (codebook values)."""
        return self._attributes(self._features(texts))

    def predict_all(self, texts: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """Labels, their probabilities and attributes from one featurization (what enrich uses)."""
        x = self._features(texts)
        p = self._proba(x)
        k = p.argmax(axis=1)
        return np.asarray(CLASSES)[k], p[np.arange(len(k)), k], self._attributes(x)

    # -- confusion estimates used by prevalence -----------------------------------------------------------
    def confusion(self, soft: bool = True) -> np.ndarray:
        """M[i, j] = P(predicted j | true i) from the out-of-fold predictions (soft: mean probability)."""
        return confusion_matrix_from(self.oof_true, self.oof_probs, soft=soft)

    # -- persistence ------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        arrays: dict[str, np.ndarray] = {
            "word_idx": self.featurizer.word_idx.astype(np.int32),
            "word_idf": self.featurizer.word_idf,
            "char_idx": self.featurizer.char_idx.astype(np.int32),
            "char_idf": self.featurizer.char_idf_kept,
            "coef": self.coef.astype(np.float16),
            "intercept": self.intercept,
            "oof_true": self.oof_true.astype(np.int8),
            "oof_probs": self.oof_probs.astype(np.float16),
            "meta": np.array(json.dumps(self.meta, sort_keys=True)),
        }
        for name, (c, b) in self.attr.items():
            arrays[f"attr_{name}_coef"] = c.astype(np.float16)
            arrays[f"attr_{name}_intercept"] = b
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name in sorted(arrays):
                buf = io.BytesIO()
                np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
                info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, buf.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> Model:
        with np.load(path, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        fz = Featurizer(a["word_idx"], a["word_idf"], a["char_idx"], a["char_idf"])
        attr = {n: (a[f"attr_{n}_coef"], a[f"attr_{n}_intercept"]) for n in ATTRIBUTES}
        return cls(
            fz,
            a["coef"],
            a["intercept"],
            attr,
            a["oof_true"],
            a["oof_probs"],
            json.loads(str(a["meta"].reshape(-1)[0])),
        )


def confusion_matrix_from(true: np.ndarray, probs: np.ndarray, soft: bool = True) -> np.ndarray:
    k = len(CLASSES)
    m = np.zeros((k, k))
    pred = probs if soft else np.eye(k)[probs.argmax(axis=1)]
    for i in range(k):
        rows = true == i
        m[i] = pred[rows].mean(axis=0) if rows.any() else np.eye(k)[i]
    return m


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Model:
    return Model.load(path)


def load_model(path: str | None = None) -> Model:
    """The shipped artifact by default (loaded once per process), or the artifact at ``path``."""
    return _load_cached(str(Path(path).resolve()) if path else str(DEFAULT_MODEL))


def _fit_core(
    texts: Sequence[str], y: np.ndarray, seed: int, is_gold: np.ndarray | None = None
) -> tuple[Featurizer, np.ndarray, np.ndarray]:
    fz = Featurizer.fit(texts)
    x = fz.transform(texts)
    weight = None if is_gold is None else np.where(is_gold, GOLD_WEIGHT, 1.0)
    clf = _sgd(ALPHA, seed).fit(x, y, sample_weight=weight)
    return fz, clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32)


def _fit_attributes(
    fz: Featurizer, texts: Sequence[str], attrs: dict[str, Sequence[str]], seed: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    x = fz.transform(texts)[:, : fz.n_word]
    out = {}
    for name, values in ATTRIBUTES.items():
        y = np.array([values.index(v) if v in values else values.index("unknown") for v in attrs[name]])
        coef = np.zeros((x.shape[1], len(values)), dtype=np.float32)
        icpt = np.full(len(values), -10.0, dtype=np.float32)
        present = np.unique(y)
        if len(present) == 1:
            icpt[present[0]] = 0.0
        elif len(present) > 1:
            clf = _sgd(ATTR_ALPHA, seed, balanced=False).fit(x, y)
            cols = clf.classes_
            c = clf.coef_.T if len(cols) > 2 else np.hstack([-clf.coef_.T, clf.coef_.T])
            b = clf.intercept_ if len(cols) > 2 else np.array([-clf.intercept_[0], clf.intercept_[0]])
            coef[:, cols] = c
            icpt[cols] = b
        out[name] = (coef, icpt)
    return out


def oof_scores(texts: Sequence[str], y: np.ndarray, is_gold: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """Out-of-fold decision scores of the gold posts (extra posts always stay in training)."""
    gold = np.flatnonzero(is_gold)
    extra = np.flatnonzero(~is_gold)
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros((len(gold), len(CLASSES)), dtype=np.float32)
    skf = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for tr, te in skf.split(gold, y[gold]):
        train_idx = np.concatenate([gold[tr], extra])
        fz, coef, icpt = _fit_core([texts[i] for i in train_idx], y[train_idx], seed, is_gold[train_idx])
        scores[te] = np.asarray(fz.transform([texts[i] for i in gold[te]]) @ coef) + icpt
    return scores


def oof_probabilities(
    texts: Sequence[str], y: np.ndarray, is_gold: np.ndarray, folds: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of the gold posts (extra posts always stay in training)."""
    return y[np.asarray(is_gold, bool)], _softmax_ovr(oof_scores(texts, y, is_gold, folds, seed))


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    attrs: dict[str, Sequence[str]],
    is_gold: Sequence[bool] | None = None,
    seed: int = 0,
    confusion_folds: int = 5,
    meta: dict[str, Any] | None = None,
) -> Model:
    """Fit a Model. ``is_gold`` marks the posts whose out-of-fold predictions estimate the confusion."""
    texts = list(texts)
    y = np.array([CLASSES.index(c) for c in labels])
    gold_mask = np.ones(len(texts), bool) if is_gold is None else np.asarray(is_gold, bool)
    fz, coef, icpt = _fit_core(texts, y, seed, gold_mask)
    disc = np.flatnonzero(y == CLASSES.index("disclosure"))
    attr = _fit_attributes(fz, [texts[i] for i in disc], {k: [v[i] for i in disc] for k, v in attrs.items()}, seed)
    oof_true = y[gold_mask] if confusion_folds > 1 else np.zeros(0, np.int64)
    scores = (
        oof_scores(texts, y, gold_mask, confusion_folds, seed)
        if confusion_folds > 1
        else np.zeros((0, len(CLASSES)), np.float32)
    )
    m = Model(fz, coef, icpt, attr, oof_true, _softmax_ovr(scores), dict(meta or {}))
    m.meta.update(
        {
            "classes": list(CLASSES),
            "alpha": ALPHA,
            "epochs": EPOCHS,
            "gold_weight": GOLD_WEIGHT,
            "seed": seed,
            "n_train": len(texts),
        }
    )
    return m
