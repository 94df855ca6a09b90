"""enrich_participation on a real Arrow batch read from the 2017 archive by the project's own reader."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pyarrow as pa

from groundswell.participation import CLASSES, enrich_participation, load_model
from groundswell.schema import POST_SCHEMA
from groundswell.sources.getoldtweets import GetOldTweetsReader

OUT = (
    "participation",
    "participation_p",
    "disclosure_act",
    "disclosure_setting",
    "disclosure_age",
    "disclosure_perpetrator",
)


def _real_batch(metoo: Path) -> pa.RecordBatch:
    reader = GetOldTweetsReader()
    with gzip.open(metoo, "rb") as f:
        chunk = next(iter(reader.chunks(f, metoo.name)))
        return reader.parse(chunk).posts


def test_enrich_fills_participation_and_leaves_the_rest(metoo_path):
    batch = _real_batch(metoo_path)
    assert batch.num_rows > 1000
    out = enrich_participation(batch)
    assert out.schema.names == batch.schema.names
    for name in OUT:
        assert out.schema.field(name).type == POST_SCHEMA.field(name).type
    for name in batch.schema.names:
        if name not in OUT:
            assert out.column(name).equals(batch.column(name)), name
    labels = out.column("participation").to_pylist()
    assert set(labels) <= set(CLASSES) and None not in labels
    p = out.column("participation_p").to_numpy(zero_copy_only=False)
    assert np.all((p > 0) & (p <= 1))
    expected_labels, expected_p = load_model().predict(batch.column("text").to_pylist())
    assert labels == expected_labels.tolist()
    np.testing.assert_allclose(p, expected_p, rtol=1e-6)
    disclosed = np.array(labels) == "disclosure"
    assert disclosed.any()
    act = np.array(out.column("disclosure_act").to_pylist(), dtype=object)
    assert all(v is not None for v in act[disclosed]) and all(v is None for v in act[~disclosed])


def test_enrich_handles_missing_text(metoo_path):
    batch = _real_batch(metoo_path).slice(0, 5)
    texts = batch.column("text").to_pylist()
    texts[2] = None
    idx = batch.schema.get_field_index("text")
    batch = batch.set_column(idx, "text", pa.array(texts, pa.string()))
    out = enrich_participation(batch)
    assert out.column("participation")[2].as_py() is None
    assert out.column("participation_p")[2].as_py() is None
    assert out.column("participation")[0].as_py() in CLASSES
