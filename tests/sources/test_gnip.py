"""GNIP activity streams: PowerTrack replay lines (share, reply, quote, long_object, compliance, info) and search pages."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "gnip"


def test_powertrack_counts_and_kinds() -> None:
    r = read_all(D / "powertrack_replay.jsonl")
    assert r.reader.name == "gnip"
    assert (len(r.posts), len(r.rejects), r.n_records, r.n_primary) == (7, 3, 10, 5)
    primary = [p for p in r.posts if not p["is_reference"]]
    assert [p["kind"] for p in primary] == ["original", "repost", "reply", "quote", "original"]


def test_activity_fields() -> None:
    r = read_all(D / "powertrack_replay.jsonl")
    post = r.by_id("919664172856246273", is_reference=False)
    assert post["created_at"] == datetime(2017, 10, 15, 20, 40, tzinfo=UTC)
    assert post["raw_author"] == "3100000001" and post["author_handle"] == "ana_writes"
    assert (post["lat"], post["lon"]) == (42.3601, -71.0589)  # activity streams geo is [lat, lon]
    assert (post["country"], post["place"]) == ("US", "Boston, MA")
    assert post["hashtags"] == ["MeToo"] and (post["like_count"], post["repost_count"]) == (12, 4)
    share = r.by_id("919669206021046274")
    assert share["repost_of"] == "919664172856246273"
    reply = r.by_id("919671722603446275")
    assert reply["parent_id"] == "919664172856246273" and reply["mentions"] == ["3100000001"]
    quote = r.by_id("919674239185846277")
    assert quote["quote_of"] == "919639007032246276"
    assert r.by_id("919639007032246276")["is_reference"] is True


def test_long_object_gives_full_text() -> None:
    long = read_all(D / "powertrack_replay.jsonl").by_id("919729603998646278")
    assert long["text"].endswith("#미투 #MeToo") and "…" not in long["text"]
    assert long["hashtags"] == ["미투", "MeToo"] and long["lang"] == "ko"


def test_non_posts_quarantined() -> None:
    reasons = read_all(D / "powertrack_replay.jsonl").reasons()
    assert reasons[0] == "deletion notice: activity 919665431147446279 deleted"
    assert reasons[1].startswith("invalid JSON")
    assert reasons[2].startswith("not a post: PowerTrack info line (Replay Request Completed; activity_count 6)")


def test_search_results_document() -> None:
    r = read_all(D / "search_results_page.json")
    assert [p["kind"] for p in r.posts] == ["original", "reply"]
    assert r.n_records == 2 and r.n_primary == 2
