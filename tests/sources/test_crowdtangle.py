"""CrowdTangle CSV exports: the 2017 and 2021 Facebook page variants, a group export and an Instagram export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from groundswell.sources.clock import wall_time_utc
from tests.sources.conftest import FIXTURES, read_all

D = FIXTURES / "crowdtangle"


def test_2017_export() -> None:
    r = read_all(D / "facebook_pages_2017_export.csv")
    assert r.reader.name == "crowdtangle"
    assert (len(r.posts), len(r.rejects), r.n_records) == (3, 3, 6)
    first = r.by_id("101000000000001_1500000000000001")
    assert first["created_at"] == datetime(2017, 10, 15, 21, 10, tzinfo=UTC)  # 17:10 EDT
    assert first["kind"] == "original" and first["community"] == "Example Women's Network"
    assert first["like_count"] == 1204 + 88 + 40  # all reactions; "1,204" has a thousands separator
    assert (first["reply_count"], first["repost_count"], first["author_followers"]) == (310, 95, 120443)
    assert first["raw_author"] == "101000000000001" and first["hashtags"] is None
    video = r.by_id("101000000000001_1500000000000002")  # id from a /videos/<n>/ URL
    assert video["created_at"] == datetime(2017, 10, 16, 13, 0, tzinfo=UTC)
    spanish = r.by_id("101000000000002_1500000000000003")
    assert spanish["created_at"] == datetime(2017, 10, 16, 16, 30, tzinfo=UTC)  # CEST
    assert spanish["urls"] == ["https://example.es/articulo/yotambien"] and spanish["text"].startswith("#YoTambién")
    assert r.reasons() == [
        "bad row: unknown or ambiguous time zone 'IST' in '2017-10-16 20:00:00 IST'",
        "bad row: no post id in URL ''",
        "3 fields where the header has 32",
    ]


def test_2021_export_with_care_and_offsets() -> None:
    r = read_all(D / "facebook_pages_2021_export.csv")
    assert [p["post_id"] for p in r.posts] == ["102000000000001_2500000000000001", "102000000000001_2500000000000002"]
    assert r.posts[0]["like_count"] == 435 and r.posts[0]["author_followers"] == 91000
    assert r.posts[1]["created_at"] == datetime(2021, 10, 15, 11, 0, tzinfo=UTC)  # +0200


def test_group_export_has_no_author() -> None:
    r = read_all(D / "facebook_group_export.csv")
    (post,) = r.posts
    assert post["post_id"] == "103000000000001_3500000000000001"
    assert post["raw_author"] is None and post["author_handle"] is None
    assert post["community"] == "Example Survivors Support Circle"
    assert post["created_at"] == datetime(2019, 10, 15, 15, 0, tzinfo=UTC)


def test_instagram_export() -> None:
    r = read_all(D / "instagram_accounts_export.csv")
    (post,) = r.posts
    assert (post["platform"], post["post_id"], post["raw_author"]) == ("instagram", "CGaBcDeFgHi", "@examplevoices")
    assert post["text"] == "Three years of #MeToo. Link in bio." and post["like_count"] == 1500


def test_wall_time_rejects_what_it_cannot_place() -> None:
    assert wall_time_utc("2017-10-15 16:21:00 EDT") == datetime(2017, 10, 15, 20, 21, tzinfo=UTC)
    with pytest.raises(ValueError, match="ambiguous"):
        wall_time_utc("2017-10-15 16:21:00 CST")
    with pytest.raises(ValueError, match="no time zone"):
        wall_time_utc("2017-10-15 16:21:00")
