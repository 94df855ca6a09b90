"""The acceptance measurement of issue #4: 5-fold CV on the gold file (extra labels only ever train)."""

from __future__ import annotations

from groundswell.participation import CLASSES, cross_validate


def test_five_fold_cv_meets_acceptance(gold_path):
    r = cross_validate(gold_path, folds=5, seed=0)
    assert r["n"] == 2000
    errors = {c: abs(v["estimated"] - v["true"]) for c, v in r["prevalence"].items()}
    report = (
        f"macro-F1 {r['macro_f1']:.3f}, disclosure F1 {r['per_class']['disclosure']['f1']:.3f}, "
        f"prevalence errors { ({c: round(e, 3) for c, e in errors.items()}) }"
    )
    assert set(errors) == set(CLASSES)
    assert max(errors.values()) <= 0.03, report
    assert r["macro_f1"] >= 0.70, report
    assert r["per_class"]["disclosure"]["f1"] >= 0.75, report
