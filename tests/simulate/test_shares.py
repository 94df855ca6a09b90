"""Participation classes and languages follow the configured shares; defaults are the gold labels'."""

from __future__ import annotations

import csv
import math
from collections import Counter

from groundswell.simulate import SimConfig, simulate
from groundswell.simulate.config import DEFAULT_CLASS_SHARES, DEFAULT_LANGUAGE_SHARES

from .conftest import DATA


def test_default_class_shares_are_the_gold_labels_shares() -> None:
    with (DATA / "gold" / "train.tsv").open(encoding="utf-8", newline="") as f:
        labels = Counter(r["category"] for r in csv.DictReader(f, delimiter="\t"))
    n = sum(labels.values())
    assert n == 2000
    assert {k: round(v / n, 4) for k, v in labels.items()} == DEFAULT_CLASS_SHARES


def test_authored_class_shares_within_sampling_error(all_platforms_run) -> None:
    """Authored posts draw their class independently: each share is binomial, 4 standard errors allowed."""
    _, truth = all_platforms_run
    counts = Counter()
    for per in truth.counts["class_authored"].values():
        counts.update(per)
    n = sum(counts.values())
    assert n > 10_000
    for cls, p in DEFAULT_CLASS_SHARES.items():
        se = math.sqrt(p * (1 - p) / n)
        assert abs(counts[cls] / n - p) < 4 * se, (cls, counts[cls] / n, p)


def test_original_posts_languages_within_sampling_error(all_platforms_rows) -> None:
    """Originals draw their language independently (replies may follow their parent's)."""
    langs = Counter(r.lang for p in ("twitter", "bluesky") for r in all_platforms_rows[p] if r.kind == "original")
    n = sum(langs.values())
    total = sum(DEFAULT_LANGUAGE_SHARES.values())
    for lang, share in DEFAULT_LANGUAGE_SHARES.items():
        p = share / total
        se = math.sqrt(p * (1 - p) / n)
        assert abs(langs[lang] / n - p) < 4 * se + 1 / n, (lang, langs[lang] / n, p)


def test_configured_shares_are_followed(tmp_path) -> None:
    cfg = SimConfig(
        posts=5_000,
        seed=9,
        class_shares={"disclosure": 0.5, "support": 0.5},
        language_shares={"fr": 0.7, "ja": 0.3},
    )
    truth = simulate(cfg, tmp_path)
    authored = truth.counts["class_authored"]["twitter"]
    assert set(authored) == {"disclosure", "support"}
    n = sum(authored.values())
    assert abs(authored["disclosure"] / n - 0.5) < 4 * math.sqrt(0.25 / n)
    assert set(truth.counts["language"]["twitter"]) == {"fr", "ja"}
