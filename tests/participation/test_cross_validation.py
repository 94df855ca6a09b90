"""5-fold CV on the gold file (extra labels only ever train).

Issue #4 asks for macro-F1 >= 0.70 and disclosure F1 >= 0.75; this model measures 0.664 and 0.750 (trained
with 7,910 extra labels, gold weighted 6×), so the issue stays open. What this test holds is the floor the shipped model reaches today (a little under what it
measures, for fold noise), so a change that makes it worse fails here; the prevalence bound is the issue's own.
"""

from __future__ import annotations

from groundswell.participation import CLASSES, cross_validate

#: measured 0.664 / 0.750 (see the module docstring); the issue's targets are 0.70 / 0.75
MACRO_F1_FLOOR = 0.64
DISCLOSURE_F1_FLOOR = 0.72


def test_five_fold_cv(gold_path):
    r = cross_validate(gold_path, folds=5, seed=0)
    assert r["n"] == 2000
    errors = {c: abs(v["estimated"] - v["true"]) for c, v in r["prevalence"].items()}
    report = (
        f"macro-F1 {r['macro_f1']:.3f}, disclosure F1 {r['per_class']['disclosure']['f1']:.3f}, "
        f"prevalence errors { ({c: round(e, 3) for c, e in errors.items()}) }"
    )
    assert set(errors) == set(CLASSES)
    assert max(errors.values()) <= 0.03, report
    assert r["macro_f1"] >= MACRO_F1_FLOOR, report
    assert r["per_class"]["disclosure"]["f1"] >= DISCLOSURE_F1_FLOOR, report
    # EMQ, measured beside PACC on the same folds (3.2 points against 5.2 at worst per fold)
    assert r["max_fold_prevalence_error_emq"] < r["max_fold_prevalence_error"], report
