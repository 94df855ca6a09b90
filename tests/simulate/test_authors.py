"""Authors: heavy-tailed activity and followers, fictional, stable."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from groundswell.simulate.authors import author, draw_ranks


def test_top_1pct_of_authors_write_at_least_10pct_of_posts(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    for platform in ("twitter", "facebook"):
        per_author = sorted(Counter(r.author for r in all_platforms_rows[platform]).values(), reverse=True)
        top = max(1, len(per_author) // 100)
        share = sum(per_author[:top]) / sum(per_author)
        assert share >= 0.10, (platform, share)
        assert truth.authors[platform]["distinct"] == len(per_author)
        assert abs(truth.authors[platform]["top1pct_share"] - share) < 1e-6


def test_most_authors_post_once(all_platforms_rows) -> None:
    per_author = Counter(r.author for r in all_platforms_rows["twitter"])
    once = sum(1 for v in per_author.values() if v == 1)
    assert once / len(per_author) > 0.5


def test_followers_are_heavy_tailed(all_platforms_run) -> None:
    out, truth = all_platforms_run
    followers = {}
    for line in (out / truth.files["twitter"][0]).read_text("utf-8").splitlines():
        for u in json.loads(line)["includes"]["users"]:
            followers[u["id"]] = u["public_metrics"]["followers_count"]
    f = np.array(sorted(followers.values()))
    assert len(f) > 1000
    assert f[-1] > 100 * np.median(f)
    assert f[-len(f) // 100 :].sum() > 0.2 * f.sum()


def test_ranks_follow_the_power_law() -> None:
    ranks = draw_ranks(np.random.default_rng(0), 200_000, 10_000, 0.6)
    counts = np.bincount(ranks, minlength=10_000)
    # P(rank) ∝ (rank + 1)^-0.6: rank 0 vs rank 99 differ by 100^0.6 ≈ 15.8
    assert 10 < counts[0] / counts[99:100].mean() < 25
    assert ranks.min() >= 0 and ranks.max() < 10_000


def test_accounts_are_stable_and_distinct() -> None:
    a = author(1, "twitter", 5, 1000)
    author.cache_clear()
    assert author(1, "twitter", 5, 1000) == a
    handles = {author(1, "twitter", r, 50_000).handle for r in range(5_000)}
    ids = {author(1, "twitter", r, 50_000).id for r in range(5_000)}
    assert len(handles) == len(ids) == 5_000
    dids = {author(1, "bluesky", r, 50_000).id for r in range(2_000)}
    assert len(dids) == 2_000 and all(d.startswith("did:plc:") and len(d) == 32 for d in dids)
