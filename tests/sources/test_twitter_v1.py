"""Twitter API v1.1 statuses: stream lines with notices, extended arrays, search pages, truncated documents."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "twitter_v1"


def test_stream_counts_kinds_and_notices() -> None:
    r = read_all(D / "stream_with_notices.jsonl")
    assert r.reader.name == "twitter-v1"
    # 6 statuses in the collection, 2 embedded (retweeted_status, quoted_status), 5 notices / broken lines
    assert (len(r.posts), len(r.rejects), r.n_records, r.n_primary) == (8, 5, 13, 6)
    assert r.n_records == len(r.posts) + len(r.rejects)
    primary = [p for p in r.posts if not p["is_reference"]]
    assert [p["kind"] for p in primary] == ["original", "original", "repost", "quote", "reply", "reply"]
    assert sorted(p["post_id"] for p in r.posts if p["is_reference"]) == ["919666689438646277", "919670506255286283"]


def test_stream_references_and_entities() -> None:
    r = read_all(D / "stream_with_notices.jsonl")
    original = r.by_id("919670506255286283", is_reference=False)
    assert original["hashtags"] == ["MeToo", "BelieveSurvivors"]
    assert (original["lon"], original["lat"]) == (-118.2437, 34.0522)  # coordinates are [lon, lat]
    assert (original["country"], original["place"]) == ("US", "Los Angeles, CA")
    assert original["created_at"] == datetime(2017, 10, 15, 21, 5, 10, tzinfo=UTC)
    assert original["raw_author"] == "2900000001" and original["author_followers"] == 1500
    retweet = r.by_id("919679272350646275")
    assert retweet["repost_of"] == "919670506255286283" and retweet["mentions"] == ["2900000001"]
    quote = r.by_id("919686822097846281")
    assert quote["quote_of"] == "919666689438646277"
    reply = r.by_id("919691855262646274")
    assert reply["parent_id"] == "919670506255286283" and reply["raw_parent_author"] is None
    orphan = r.by_id("919699405009846276")
    assert orphan["kind"] == "reply" and orphan["parent_id"] is None and orphan["raw_parent_author"] == "2900000004"


def test_extended_tweet_gives_full_text_and_its_entities() -> None:
    r = read_all(D / "stream_with_notices.jsonl")
    long = r.by_id("919752253240246279")
    assert long["text"].startswith("声を上げた") and long["text"].endswith("#MeToo #私も")
    assert "…" not in long["text"]
    assert long["hashtags"] == ["MeToo", "私も"] and long["lang"] == "ja"


def test_notices_are_quarantined_with_reasons() -> None:
    reasons = read_all(D / "stream_with_notices.jsonl").reasons()
    assert reasons[0] == "deletion notice: status 919669206021046280 deleted"
    assert reasons[1] == "deletion notice: status 919674239185846278 withheld in DE,FR"
    assert "limit notice (1289 matching tweets" in reasons[2]
    assert reasons[3].startswith("invalid JSON")
    assert reasons[4] == "not a status: missing created_at"
    lines = [rj.line for rj in read_all(D / "stream_with_notices.jsonl").rejects]
    assert lines == [7, 8, 9, 10, 11]


def test_pretty_printed_array_with_full_text() -> None:
    r = read_all(D / "timeline_extended_array.json")
    assert (len(r.posts), len(r.rejects), r.n_records) == (3, 0, 3)
    assert [p["source_line"] for p in r.posts] == [1, 2, 3]  # element number in the document
    assert r.posts[0]["hashtags"] == ["أنا_أيضا", "MeToo"] and r.posts[0]["lang"] == "ar"
    assert r.posts[2]["hashtags"] == []
    assert all(p["created_at"].tzinfo is not None and p["created_at"].utcoffset().total_seconds() == 0 for p in r.posts)


def test_search_page_document() -> None:
    r = read_all(D / "search_page.json")
    assert [p["post_id"] for p in r.posts] == ["919691855262646274", "919699405009846276"]
    assert r.n_primary == 2 and not r.rejects


def test_truncated_array_keeps_what_was_read_and_says_where_it_broke() -> None:
    r = read_all(D / "truncated_array.json")
    assert len(r.posts) == 2 and len(r.rejects) == 1
    assert r.rejects[0].reason.startswith("document breaks off after element 2")
    assert r.n_records == 3
