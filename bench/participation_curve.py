"""Learning curve of the participation classifier: 5-fold CV on gold as extra labels are added.

Every point is ``groundswell.participation.cross_validate`` (the acceptance measurement) with only the first
N rows of ``labels/extra.tsv`` in training (file order: the first labeling round, then the second). Scores
are always on the 2,000 gold posts. A curve still rising at the right end says more labels would help.

    .venv/bin/python bench/participation_curve.py [--sizes 0 823 2000 3500 5510]
"""

from __future__ import annotations

import argparse
import time

from groundswell.participation import CLASSES, cross_validate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 823, 2000, 3500, 5510])
    args = ap.parse_args()
    print("extra   macro-F1  accuracy  " + "  ".join(f"{c[:6]:>6}" for c in CLASSES) + "  max fold prev. err  seconds")
    for n in args.sizes:
        t = time.perf_counter()
        r = cross_validate(max_extra=n)
        f1 = "  ".join(f"{r['per_class'][c]['f1']:6.3f}" for c in CLASSES)
        print(
            f"{r['n_extra_train']:5d}   {r['macro_f1']:.3f}     {r['accuracy']:.3f}     {f1}"
            f"  {r['max_fold_prevalence_error'] * 100:10.1f} pts  {time.perf_counter() - t:7.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
