"""Cross-platform spread on a simulated two-platform movement with a known six-hour lag, and real links."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from groundswell.analytics.spread import cross_links, platform_onsets, platform_shares

from .data import TWARC2, TWARC2_FILES


def test_measured_lag_is_within_one_bin_of_six_hours(sim_two_platforms):
    o = {r["platform"]: r for r in platform_onsets(sim_two_platforms.store).to_pylist()}
    assert set(o) == {"twitter", "facebook"}
    assert o["twitter"]["lag_hours"] == 0
    assert abs(o["facebook"]["lag_hours"] - 6.0) <= 1.0
    # and each onset is within one bin of the hour the simulator put it in
    for p, r in o.items():
        true_bin = datetime.fromisoformat(sim_two_platforms.truth.onsets[p]["bin_start"])
        assert abs((r["onset"] - true_bin).total_seconds()) <= 3600
    assert o["twitter"]["posts"] == sim_two_platforms.truth.counts["platform"]["twitter"]


def test_shares_sum_to_one_per_bin(sim_two_platforms):
    s = platform_shares(sim_two_platforms.store, bin="day")
    totals = defaultdict(float)
    for r in s.to_pylist():
        totals[r["bin"]] += r["share"]
    assert totals and all(v == pytest.approx(1.0) for v in totals.values())
    assert sum(s.column("posts").to_pylist()) == sim_two_platforms.truth.posts


def test_cross_links_match_the_raw_urls(twarc2_store):
    """Oracle: hosts of the links of the collected tweets (the unwound / expanded form, as the API gives)."""
    hosts = {"instagram.com": "instagram", "facebook.com": "facebook", "reddit.com": "reddit", "bsky.app": "bluesky"}
    seen: dict[str, set[str]] = defaultdict(set)
    for name in TWARC2_FILES:
        for line in (TWARC2 / name).read_text("utf-8").splitlines():
            if not line.strip():
                continue
            data = json.loads(line).get("data") or []
            for t in [data] if isinstance(data, dict) else data:
                ents = (t.get("note_tweet") or {}).get("entities") or t.get("entities") or {}
                for u in ents.get("urls") or []:
                    host = (urlsplit(u.get("unwound_url") or u.get("expanded_url") or u["url"]).hostname or "").lower()
                    for h, plat in hosts.items():
                        if host == h or host.endswith("." + h):
                            seen[plat].add(t["id"])
    got = {r["to_platform"]: r["posts"] for r in cross_links(twarc2_store).to_pylist()}
    assert got == {p: len(ids) for p, ids in seen.items()}
    assert got  # the pages do link out
