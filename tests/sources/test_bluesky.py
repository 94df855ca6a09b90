"""Bluesky: Jetstream events (current and pre-October-2024 field names) and AppView API responses."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.conftest import FIXTURES, read_all

A = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
B = "did:plc:z72i7hdynmk6r22z27h6tvur"
C = "did:plc:4hqjfn7m6n5hno3doamuhgef"
ROOT = f"at://{A}/app.bsky.feed.post/3l3qo2vutsw2b"


def test_jetstream_counts_kinds_references() -> None:
    r = read_all(FIXTURES / "bluesky_jetstream" / "jetstream_metoo_sample.jsonl")
    assert r.reader.name == "bluesky-jetstream"
    assert (len(r.posts), len(r.rejects), r.n_records) == (8, 5, 13)
    assert [p["kind"] for p in r.posts] == [
        "original",
        "reply",
        "quote",
        "quote",
        "repost",
        "original",
        "original",
        "original",
    ]
    first = r.by_id(ROOT)
    assert (
        first["hashtags"] == ["MeToo"] and first["mentions"] == [B] and first["urls"] == ["https://example.org/thread"]
    )
    assert first["raw_author"] == A and first["created_at"] == datetime(2025, 10, 15, 14, 0, tzinfo=UTC)
    reply = r.by_id(f"at://{C}/app.bsky.feed.post/3l3qo3aaaaa2d")
    assert (reply["parent_id"], reply["root_id"], reply["raw_parent_author"]) == (ROOT, ROOT, A)
    assert reply["hashtags"] == ["MeToo", "YoTambién"] and reply["lang"] == "es"  # facets in text order
    assert r.by_id(f"at://{B}/app.bsky.feed.post/3l3qo4bbbbb2e")["quote_of"] == ROOT
    with_media = r.by_id(f"at://{C}/app.bsky.feed.post/3l3qo5ccccc2f")
    assert with_media["quote_of"] == f"at://{B}/app.bsky.feed.post/3l3qoaaaaaa2c" and with_media["hashtags"] == [
        "MeToo"
    ]
    repost = r.by_id(f"at://{B}/app.bsky.feed.repost/3l3qo6ddddd2g")
    assert repost["repost_of"] == ROOT and repost["text"] is None


def test_jetstream_clock_and_edge_cases() -> None:
    r = read_all(FIXTURES / "bluesky_jetstream" / "jetstream_metoo_sample.jsonl")
    future = r.by_id(f"at://{B}/app.bsky.feed.post/3l3qo9ggggg2j")
    # createdAt a day after the relay saw it: the relay's time_us is used
    assert future["created_at"] == datetime(2025, 10, 15, 14, 33, 20, tzinfo=UTC)
    assert future["hashtags"] is None  # no facets: enrich reads #MeToo from the text
    chinese = [p for p in r.posts if p["post_id"].endswith("3l3qo8fffff2i")]
    assert len(chinese) == 2 and chinese[0]["hashtags"] == ["MeToo", "我也是"]  # create, then update
    assert r.reasons()[:4] == [
        "not a post: app.bsky.feed.like record",
        f"deletion notice: app.bsky.feed.post at://{C}/app.bsky.feed.post/3l3qo3aaaaa2d",
        "not a post: identity event",
        "not a post: account event",
    ]
    assert r.reasons()[4].startswith("invalid JSON")


def test_jetstream_legacy_field_names() -> None:
    r = read_all(FIXTURES / "bluesky_jetstream" / "legacy_2024_format.jsonl")
    assert r.reader.name == "bluesky-jetstream"
    assert [p["post_id"] for p in r.posts] == [f"at://{A}/app.bsky.feed.post/3kyzaaaaaaa2a"]
    assert r.posts[0]["created_at"] == datetime(2024, 8, 1, 10, 0, tzinfo=UTC)
    assert (
        r.reasons()[0].startswith("deletion notice: app.bsky.feed.post")
        and r.reasons()[1] == "not a post: identity event"
    )


def test_get_posts_document() -> None:
    r = read_all(FIXTURES / "bluesky_api" / "get_posts.json")
    assert r.reader.name == "bluesky-api"
    assert [p["kind"] for p in r.posts] == ["original", "reply", "quote"]
    first = r.posts[0]
    assert first["post_id"] == ROOT and first["author_handle"] == "ana.bsky.social" and first["raw_author"] == A
    assert (first["like_count"], first["repost_count"], first["reply_count"], first["quote_count"]) == (41, 9, 3, 2)
    assert r.posts[2]["quote_of"] == ROOT


def test_search_pages_one_a_line() -> None:
    r = read_all(FIXTURES / "bluesky_api" / "search_posts_pages.jsonl")
    assert (len(r.posts), len(r.rejects), r.n_records) == (3, 1, 4)
    no_created = r.by_id(f"at://{A}/app.bsky.feed.post/3l3qo8fffff2i")
    assert no_created["created_at"] == datetime(2025, 10, 15, 14, 25, 3, tzinfo=UTC)  # indexedAt stands in
    assert r.reasons() == ["not a postView: missing record"]


def test_author_feed_document() -> None:
    r = read_all(FIXTURES / "bluesky_api" / "author_feed.json")
    assert [p["post_id"] for p in r.posts] == [ROOT, f"at://{C}/app.bsky.feed.post/3l3qo3aaaaa2d", ROOT]
    assert [p["source_line"] for p in r.posts] == [1, 2, 3]
