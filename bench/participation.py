"""Throughput of the default participation model, beside an anchor measured in the same run.

Anchor: the plain baseline of issue #4 (scikit-learn word + char n-gram TF-IDF + logistic regression,
quoted at ~2,400 posts/s on 2 cores), fitted on the same gold file. The target is ≥ 20,000 posts/s on two
cores, i.e. ≥ 8.3× that anchor. Both run batch-wise on the same real posts from the 2017 archive; "2 cores"
runs the model in two worker processes (as Spark's mapInArrow would), one core runs it in this process.

    .venv/bin/python bench/participation.py [--posts 40000]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
GOLD = SHARED / "gold" / "train.tsv"
METOO = SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"


def _posts(n: int, skip: int = 0) -> list[str]:
    """The texts of n real posts of the 2017 archive, after its first ``skip`` lines."""
    out = []
    with gzip.open(METOO, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= skip:
                out.append(json.loads(line)["text"])
                if len(out) >= n:
                    break
    return out


def _ours(texts: list[str]) -> float:
    """Classify in batches of 8,192 (what enrich does); returns the CPU seconds this process spent."""
    from groundswell.participation import load_model

    m = load_model()
    c = time.process_time()
    for s in range(0, len(texts), 8192):
        m.predict_all(texts[s : s + 8192])
    return time.process_time() - c


def _rate(fn, texts) -> tuple[float, float]:
    """(posts/s of wall time, posts/s of this process's CPU time)."""
    t, c = time.perf_counter(), time.process_time()
    fn(texts)
    return len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - c)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=40000)
    args = ap.parse_args()
    texts = _posts(args.posts)

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    with open(GOLD, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    base = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=200),
    ).fit([r["text"] for r in rows], [r["category"] for r in rows])
    anchor, anchor_cpu = _rate(lambda t: base.predict(t), texts[:10000])

    _ours(texts[:1000])  # load + warm the artifact
    one, one_cpu = _rate(_ours, texts)
    halves = [texts[: len(texts) // 2], texts[len(texts) // 2 :]]
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(_ours, [t[:500] for t in halves]))  # load the model in both workers
        t0 = time.perf_counter()
        cpu = list(ex.map(_ours, halves))
        two = len(texts) / (time.perf_counter() - t0)
    # on an idle machine two workers run side by side: the slower one's CPU time is the wall time
    two_cpu = len(texts) / max(cpu)

    print(f"cpus visible: {os.cpu_count()}  load average: {os.getloadavg()[0]:.1f}  (other jobs share the cores)")
    print("posts/s by wall clock, and by the CPU time the process itself got (what an idle machine would give)")
    print(f"anchor  sklearn TF-IDF word+char + LR, 1 core : {anchor:8,.0f} wall  {anchor_cpu:8,.0f} cpu  (1.00x)")
    print(
        f"default model, 1 core                          : {one:8,.0f} wall  {one_cpu:8,.0f} cpu"
        f"  ({one / anchor:.2f}x / {one_cpu / anchor_cpu:.2f}x anchor)"
    )
    print(
        f"default model, 2 cores (2 processes)           : {two:8,.0f} wall  {two_cpu:8,.0f} cpu"
        f"  ({two / anchor:.2f}x / {two_cpu / anchor_cpu:.2f}x anchor)"
    )
    print("target: 20,000 posts/s on 2 cores = 8.3x the 2,400 posts/s quoted for the anchor")


if __name__ == "__main__":
    main()
