"""Meta Content Library CSV exports: posts (pages, profiles, shares) and comments (threads)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "meta_content_library"


def test_posts() -> None:
    r = read_all(D / "facebook_posts.csv")
    assert r.reader.name == "meta-content-library"
    assert (len(r.posts), len(r.rejects), r.n_records) == (3, 1, 4)
    page, share, naive = r.posts
    assert page["kind"] == "original" and page["community"] == "Example Page" and page["like_count"] == 540
    assert page["created_at"] == datetime(2024, 10, 15, 16, 0, tzinfo=UTC) and page["raw_author"] == "771000000000001"
    assert (page["reply_count"], page["repost_count"]) == (12, 3)
    assert share["kind"] == "repost" and share["repost_of"] == "881000000000001"
    assert share["created_at"] == datetime(2024, 10, 15, 16, 30, tzinfo=UTC)  # +0200
    assert share["community"] is None  # a profile is not a community: no person's name there
    assert share["like_count"] == 9  # no reaction_count: the per-reaction counts are summed
    assert naive["created_at"] == datetime(2024, 10, 15, 20, 0, tzinfo=UTC)
    assert naive["urls"] == ["https://example.org/article"]
    assert r.reasons() == ["bad row: no creation_time"]


def test_comments() -> None:
    r = read_all(D / "facebook_comments.csv")
    assert (len(r.posts), len(r.rejects), r.n_records) == (3, 1, 4)
    assert {p["kind"] for p in r.posts} == {"comment"}
    top, reply, russian = r.posts
    assert (top["parent_id"], top["root_id"]) == ("881000000000001", "881000000000001")
    assert (reply["parent_id"], reply["root_id"]) == ("991000000000001", "881000000000001")
    assert russian["created_at"] == datetime(2024, 10, 15, 14, 0, tzinfo=UTC) and russian["text"] == "Я тоже. #MeToo"
    assert r.reasons() == ["bad row: no id"]
