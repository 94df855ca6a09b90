"""The enrich stage: fill the participation columns of a post batch from its ``text`` column.

Pure function batch → batch, so the same code runs locally and inside Spark's ``mapInArrow``. Attributes
are filled for disclosures only (null otherwise), as the schema documents; every other column is passed
through untouched.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .model import Model, load_model

__all__ = ["OUTPUT_COLUMNS", "enrich_participation"]

OUTPUT_COLUMNS = (
    "participation",
    "participation_p",
    "disclosure_act",
    "disclosure_setting",
    "disclosure_age",
    "disclosure_perpetrator",
)


def enrich_participation(batch: pa.RecordBatch, model: Model | None = None) -> pa.RecordBatch:
    """Return ``batch`` with the six participation columns filled (types from ``POST_SCHEMA``)."""
    from groundswell.schema import POST_SCHEMA

    model = model or load_model()
    texts = batch.column("text").to_pylist()
    n = len(texts)
    has_text = np.array([bool(t) for t in texts], dtype=bool)
    labels = np.full(n, None, dtype=object)
    probs = np.full(n, np.nan, dtype=np.float32)
    attrs: dict[str, np.ndarray] = {k: np.full(n, None, dtype=object) for k in ("act", "setting", "age", "perpetrator")}
    idx = np.flatnonzero(has_text)
    if len(idx):
        lab, p, att = model.predict_all([texts[i] for i in idx])
        labels[idx] = lab
        probs[idx] = p
        disc = idx[lab == "disclosure"]
        for k in attrs:
            attrs[k][disc] = att[k][lab == "disclosure"]
    values = {
        "participation": labels,
        "participation_p": probs,
        "disclosure_act": attrs["act"],
        "disclosure_setting": attrs["setting"],
        "disclosure_age": attrs["age"],
        "disclosure_perpetrator": attrs["perpetrator"],
    }
    arrays = []
    names = batch.schema.names
    fields = []
    for name in names:
        if name in values:
            typ = POST_SCHEMA.field(name).type
            v = values[name]
            mask = ~has_text if name == "participation_p" else None
            arrays.append(pa.array(v, type=typ, mask=mask) if mask is not None else pa.array(v.tolist(), type=typ))
            fields.append(pa.field(name, typ))
        else:
            arrays.append(batch.column(name))
            fields.append(batch.schema.field(name))
    for name in OUTPUT_COLUMNS:
        if name not in names:
            typ = POST_SCHEMA.field(name).type
            v = values[name]
            mask = ~has_text if name == "participation_p" else None
            arrays.append(pa.array(v, type=typ, mask=mask) if mask is not None else pa.array(v.tolist(), type=typ))
            fields.append(pa.field(name, typ))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields, metadata=batch.schema.metadata))
