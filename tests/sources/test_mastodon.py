"""Mastodon: a timeline array, server-sent events and WebSocket messages; HTML converted to text."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.sources.html_text import html_to_text
from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "mastodon"
ORIG = "113300000000000101"


def test_timeline_counts_and_kinds() -> None:
    r = read_all(D / "hashtag_timeline.json")
    assert r.reader.name == "mastodon"
    # 6 statuses; the boosted and the quoted status come along as references
    assert (len(r.posts), len(r.rejects), r.n_records, r.n_primary) == (8, 0, 8, 6)
    primary = [p for p in r.posts if not p["is_reference"]]
    assert [p["kind"] for p in primary] == ["original", "reply", "repost", "original", "original", "quote"]


def test_html_to_text_keeps_breaks_and_links() -> None:
    r = read_all(D / "hashtag_timeline.json")
    orig = r.by_id(ORIG, is_reference=False)
    assert orig["text"] == (
        "Eight years on. #MeToo changed what we talk about at work.\n\n"
        "Resources:\nhttps://example.org/support/helplines-by-country & more"
    )
    assert orig["hashtags"] == ["MeToo"] and orig["urls"] == ["https://example.org/support/helplines-by-country"]
    assert orig["created_at"] == datetime(2025, 10, 15, 14, 0, tzinfo=UTC)
    assert orig["raw_author"] == "@lena@mastodon.social" and orig["community"] == "mastodon.social"
    assert (orig["like_count"], orig["repost_count"], orig["reply_count"]) == (7, 2, 1)


def test_references() -> None:
    r = read_all(D / "hashtag_timeline.json")
    reply = r.by_id("113300000000000102")
    assert reply["parent_id"] == ORIG and reply["raw_parent_author"] == "@lena@mastodon.social"
    assert reply["raw_author"] == "@omar@fosstodon.org" and reply["community"] == "fosstodon.org"
    assert reply["mentions"] == ["@lena@mastodon.social"] and reply["text"] == "@lena Thank you for the list."
    assert r.by_id("113300000000000103")["repost_of"] == ORIG
    assert r.by_id("113300000000000106")["quote_of"] == ORIG
    greek = r.by_id("113300000000000104")  # edited (edited_at set): the current text
    assert greek["hashtags"] == ["MeToo", "καιεγώ"] and greek["lang"] == "el"
    cw = r.by_id("113300000000000105")
    assert cw["text"] == "CW: harassment (no details)\n\nLong thread about my workplace, no names."


def test_server_sent_events() -> None:
    r = read_all(D / "streaming_hashtag.sse")
    assert r.reader.name == "mastodon"
    assert [p["post_id"] for p in r.posts] == [ORIG, "113300000000000102", "113300000000000104"]
    assert r.n_records == len(r.posts) + len(r.rejects) == 6
    assert r.reasons()[0] == "deletion notice: status 113300000000000099"
    assert r.reasons()[1] == "not a post: favourite notification"
    assert r.reasons()[2].startswith("invalid JSON")
    assert [p["source_line"] for p in r.posts] == [4, 9, 15]  # the data: line of each event


def test_websocket_messages() -> None:
    r = read_all(D / "websocket_messages.jsonl")
    assert (len(r.posts), r.n_primary, len(r.rejects)) == (4, 2, 3)
    assert r.reasons() == [
        "deletion notice: status 113300000000000098",
        "not a post: filters_changed event",
        "not a status: missing created_at",
    ]


def test_html_to_text_paragraphs_and_entities() -> None:
    assert html_to_text("<p>a<br>b</p><p>c &lt;3</p>") == "a\nb\n\nc <3"
    assert html_to_text("plain") == "plain"
    assert html_to_text(None) == ""
