"""The shipped artifact: provenance, size, determinism of training, and no memorized ids/handles/dates."""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from groundswell.participation import ATTRIBUTES, CLASSES, load_model, train
from groundswell.participation.data import sha256
from groundswell.participation.model import DEFAULT_MODEL


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_artifact_is_small_and_records_its_inputs(model, gold_path):
    assert DEFAULT_MODEL.stat().st_size < 5_000_000
    inputs = model.meta["inputs"]
    assert inputs["gold"]["sha256"] == sha256(gold_path)
    assert inputs["gold"]["rows"] == 2000
    assert model.meta["command"].startswith("groundswell train")
    assert model.meta["classes"] == list(CLASSES)


def test_predict_shapes_and_types(model, gold_rows):
    texts = [r["text"] for r in gold_rows[:200]]
    labels, p = model.predict(texts)
    probs = model.predict_proba(texts)
    assert labels.dtype.kind == "U" and p.dtype == np.float32
    assert set(labels) <= set(CLASSES)
    assert probs.shape == (200, 6)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(p, probs.max(axis=1))
    attrs = model.predict_disclosure(texts)
    for name, values in ATTRIBUTES.items():
        assert len(attrs[name]) == 200 and set(attrs[name]) <= set(values)


def test_training_is_deterministic(gold_rows, tmp_path, write_gold_subset):
    labeled = write_gold_subset(gold_rows[:500], tmp_path / "gold_subset.tsv")
    a, b = tmp_path / "a.npz", tmp_path / "b.npz"
    for out in (a, b):
        train(labeled, out, extra=None, texts=None, seed=0, command="groundswell train gold_subset.tsv")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    texts = [r["text"] for r in gold_rows[500:700]]
    np.testing.assert_array_equal(load_model(str(a)).predict_proba(texts), load_model(str(b)).predict_proba(texts))


def _perturb(text: str, k: int) -> str:
    # other handles, as store-style pseudonyms; the scraper glues links to the handle before them
    text = re.sub(r"@ ?\w+?(?=pic\.twitter|https?://|\W|$)", f"@u_{k:04x}zz", text)
    text = re.sub(r"status/\d+", f"status/{9 * 10**17 + k}", text)  # other tweet ids
    text = re.sub(r"\b20\d\d/\d\d/\d\d\b", "2018/03/0" + str(k % 9 + 1), text)  # other dates
    text = re.sub(r"\b\d\d:\d\d\b", f"0{k % 10}:1{k % 10}", text)  # other times
    return text.replace("# ", "#")  # store texts have the scraper's "# MeToo" repaired


def test_predictions_ignore_handles_ids_and_dates(model, gold_rows):
    touched = [r["text"] for r in gold_rows if re.search(r"@ ?\w+|status/\d+|\d\d:\d\d|20\d\d/\d\d/\d\d", r["text"])]
    assert len(touched) > 300
    perturbed = [_perturb(t, k) for k, t in enumerate(touched)]
    assert sum(a != b for a, b in zip(touched, perturbed, strict=True)) > 300
    np.testing.assert_allclose(model.predict_proba(touched), model.predict_proba(perturbed), rtol=0, atol=1e-6)
