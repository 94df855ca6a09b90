"""Participation prevalence of the stored posts: who acknowledged, disclosed, supported, opposed.

The store keeps each classified post's label (``groundswell ingest --classify``); what a report should show
is not the raw label counts but the shares corrected for the classifier's measured confusion, with intervals
(:func:`groundswell.participation.prevalence`). SQL does the counting (labels per class, optionally per time
bin, in the portable core, so the same query runs on DuckDB and Spark); the correction is numpy over those
few numbers. Stored labels are hard labels, so the correction is adjusted classify-and-count (``acc``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from groundswell.analytics.engine import Engine, where
from groundswell.participation import prevalence as _prevalence
from groundswell.participation.model import Model, load_model

BINS = ("day", "week")


def label_counts(engine: Engine, filters: dict[str, Any] | None = None, bin: str | None = None) -> pa.Table:
    """Classified posts per class (and per UTC ``bin``, if given): ``[period,] class, posts``."""
    w, p = where(filters)
    if bin is None:
        return engine.sql(
            f"""SELECT participation AS class, count(*) AS posts FROM posts
                WHERE {w} AND participation IS NOT NULL GROUP BY 1 ORDER BY 1""",
            p,
        )
    if bin not in BINS:
        raise ValueError(f"bin must be one of {BINS}")
    return engine.sql(
        f"""SELECT date_trunc('{bin}', created_at AT TIME ZONE 'UTC') AS period, participation AS class,
                   count(*) AS posts
            FROM posts WHERE {w} AND participation IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2""",
        p,
    )


def _authors(engine: Engine, filters: dict[str, Any] | None, bin: str | None) -> dict[Any, int]:
    w, p = where(filters)
    key = f"date_trunc('{bin}', created_at AT TIME ZONE 'UTC')" if bin else "'all'"
    rows = engine.sql(
        f"""SELECT {key} AS period, count(DISTINCT author_key) AS authors FROM posts
            WHERE {w} AND participation IS NOT NULL GROUP BY 1""",
        p,
    ).to_pylist()
    return {r["period"]: r["authors"] for r in rows}


def prevalence(
    engine: Engine,
    filters: dict[str, Any] | None = None,
    *,
    bin: str | None = None,
    model: Model | None = None,
    n_boot: int = 400,
    seed: int = 0,
) -> pa.Table:
    """Confusion-corrected share of each class with a 95% interval, over the classified posts.

    Columns: ``[period,] class, n, share, low, high, method, authors`` (``authors``: distinct authors of the
    classified posts in the period, for ``privacy.suppress``). ``model``: the classifier that labeled them
    (default: the shipped one, which ingest uses). Empty when no post is classified.
    """
    counts = label_counts(engine, filters, bin).to_pylist()
    if not counts:
        cols = ([("period", pa.string())] if bin else []) + [
            ("class", pa.string()),
            ("n", pa.int64()),
            ("share", pa.float64()),
            ("low", pa.float64()),
            ("high", pa.float64()),
            ("method", pa.string()),
            ("authors", pa.int64()),
        ]
        return pa.schema(cols).empty_table()
    labels = np.repeat([r["class"] for r in counts], [r["posts"] for r in counts])
    periods = np.repeat([r["period"] for r in counts], [r["posts"] for r in counts]) if bin else None
    out = _prevalence(labels, model or load_model(), by=periods, method="acc", n_boot=n_boot, seed=seed)
    authors = _authors(engine, filters, bin)
    if bin:
        by_text = {str(k): v for k, v in authors.items()}
        got = [by_text.get(v) for v in out.column("period").to_pylist()]
    else:
        got = [authors.get("all")] * out.num_rows
    return out.append_column("authors", pa.array(got, pa.int64()))
