"""truth.json agrees with what is re-read from the written files, count for count."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from groundswell.simulate import SimConfig, Truth, simulate

from .conftest import Row, reread


def test_total_is_exactly_the_posts_asked_for(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    assert truth.posts == 20_000
    assert sum(len(rows) for rows in all_platforms_rows.values()) == 20_000


def test_counts_per_platform_and_kind_match_the_files(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    for platform, rows in all_platforms_rows.items():
        assert truth.counts["platform"][platform] == len(rows)
        assert truth.counts["kind"][platform] == dict(Counter(r.kind for r in rows)), platform
        assert sum(truth.counts["class"][platform].values()) == len(rows)


def test_language_counts_match_the_files(all_platforms_run, all_platforms_rows) -> None:
    """Twitter, Bluesky and Mastodon carry a language field; it must count exactly as truth says."""
    _, truth = all_platforms_run
    for platform in ("twitter", "bluesky", "mastodon"):
        got = Counter(r.lang for r in all_platforms_rows[platform])
        assert dict(got) == truth.counts["language"][platform], platform


def test_hourly_counts_match_the_files(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    start_ms = int(SimConfig().start.timestamp() * 1000)
    for platform, rows in all_platforms_rows.items():
        hourly = [0] * len(truth.hourly[platform])
        for r in rows:
            hourly[(r.unix_ms - start_ms) // 3_600_000] += 1
        assert hourly == truth.hourly[platform], platform


def test_cascade_parents_match_the_files(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    from_files = sorted(
        (r.platform, r.post_id, r.parent_id) for rows in all_platforms_rows.values() for r in rows if r.parent_id
    )
    assert truth.parents is not None
    assert sorted(tuple(p) for p in truth.parents) == from_files


def test_every_parent_was_posted_earlier_on_the_same_platform(all_platforms_rows) -> None:
    for platform, rows in all_platforms_rows.items():
        when = {r.post_id: r.unix_ms for r in rows}
        assert len(when) == len(rows), f"{platform}: duplicate ids"
        for r in rows:
            if r.parent_id is not None:
                assert r.parent_id in when, f"{platform}: {r.post_id} points at a post that was never written"
                assert when[r.parent_id] <= r.unix_ms


def test_realized_branching_is_offspring_over_posts(all_platforms_run, all_platforms_rows) -> None:
    _, truth = all_platforms_run
    rows = [r for rs in all_platforms_rows.values() for r in rs]
    assert abs(truth.branching_ratio - sum(r.parent_id is not None for r in rows) / len(rows)) < 1e-6


def test_truth_json_round_trips(all_platforms_run) -> None:
    out, truth = all_platforms_run
    again = Truth.read(out / "truth.json")
    assert again == truth
    assert SimConfig.from_json(again.config) == SimConfig(
        posts=20_000, platforms=("twitter", "facebook", "bluesky", "mastodon", "reddit"), seed=1
    )


def test_parents_sidecar_holds_the_same_pairs_as_the_files(tmp_path: Path) -> None:
    truth = simulate(SimConfig(posts=3_000, platforms=("twitter", "bluesky"), seed=4, inline_parents_max=100), tmp_path)
    assert truth.parents is None and truth.parents_file == "parents.parquet"
    table = pq.read_table(tmp_path / truth.parents_file).to_pylist()
    rows: list[Row] = [r for rs in reread(tmp_path, truth).values() for r in rs]
    assert sorted((d["platform"], d["post_id"], d["parent_id"]) for d in table) == sorted(
        (r.platform, r.post_id, r.parent_id) for r in rows if r.parent_id
    )
