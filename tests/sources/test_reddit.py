"""Reddit Pushshift dumps: submissions (self, link, removed, crosspost) and comments (threads, deleted, wrapped)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "reddit"


def test_submissions() -> None:
    r = read_all(D / "RS_2017-10_sample.ndjson")
    assert r.reader.name == "reddit"
    assert (len(r.posts), len(r.rejects), r.n_records) == (4, 2, 6)
    assert [p["kind"] for p in r.posts] == ["original", "original", "original", "repost"]
    selfpost = r.by_id("76vq1a")
    assert selfpost["text"].startswith("The #MeToo posts in my feed today\n\nNot sharing details")
    assert selfpost["root_id"] == "76vq1a" and selfpost["community"] == "TwoXChromosomes"
    assert selfpost["created_at"] == datetime(2017, 10, 15, 21, 0, tzinfo=UTC)
    assert selfpost["hashtags"] is None  # Reddit has no hashtag entities: enrich extracts them
    assert (selfpost["like_count"], selfpost["reply_count"]) == (57, 3)
    assert r.by_id("76vr2b")["urls"] == ["https://example.org/support-guide"]
    removed = r.by_id("76vs3c")  # created_utc written as a string in this dump
    assert removed["text"] == "Thread title stays after removal" and removed["raw_author"] is None
    assert removed["created_at"] == datetime(2017, 10, 15, 23, 0, tzinfo=UTC)
    assert r.by_id("76vt4d")["repost_of"] == "76vq1a"
    assert r.reasons()[0] == "submission without title" and r.reasons()[1].startswith("invalid JSON")


def test_comments_thread_structure() -> None:
    r = read_all(D / "RC_2017-10_sample.ndjson")
    assert (len(r.posts), len(r.rejects), r.n_records) == (5, 3, 8)
    assert {p["kind"] for p in r.posts} == {"comment"}
    top, reply, deleted, hindi, wrapped = (r.by_id(f"dohx00{i}") for i in range(1, 6))
    assert (top["parent_id"], top["root_id"]) == ("76vq1a", "76vq1a")  # t3_ parent: on the submission
    assert (reply["parent_id"], reply["root_id"]) == ("dohx001", "76vq1a")  # t1_ parent: on a comment
    assert reply["created_at"] == datetime(2017, 10, 15, 21, 20, 0, 500000, tzinfo=UTC)  # float created_utc
    assert reply["raw_author"] == "@marigold_88" and reply["author_handle"] == "Marigold_88"
    assert deleted["text"] is None and deleted["raw_author"] is None
    assert hindi["text"].startswith("मैं भी")
    assert wrapped["root_id"] == "76vr2b"  # {"kind": "t1", "data": {...}} as the Reddit API returns it
    assert r.reasons() == [
        "comment without link_id / parent_id",
        "missing created_utc",
        "not a post: Reddit more object",
    ]
