"""CSV written by ``twarc2 csv`` (twarc-csv): one tweet a row, expansions flattened into dotted columns.

Entities arrive as JSON text (``["#tag", …]``); ids as text. twarc-csv merges retweets by default and drops
duplicates, so what it writes is already the collection — referenced tweets are not separate rows.
"""

from __future__ import annotations

from datetime import datetime

import orjson

from groundswell.schema import Columns
from groundswell.sources.csv_base import CsvReader, int_or_none
from groundswell.sources.snowflake import snowflake_time


def _json_list(value: str) -> list[str] | None:
    if not value:
        return None
    items = orjson.loads(value)
    if not isinstance(items, list):
        raise ValueError(f"expected a JSON list, got {value[:40]!r}")
    return [str(i) for i in items]


def _unescape(text: str) -> str:
    # twarc-csv writes line breaks inside text as the two characters backslash-n (seen in its real output)
    return text.replace("\\r", "\r").replace("\\n", "\n") if "\\" in text else text


class TwarcCsvReader(CsvReader):
    name = "twarc-csv"
    platform = "twitter"
    description = "CSV written by `twarc2 csv` (twarc-csv): dotted columns such as referenced_tweets.quoted.id"
    signature = ("id", "conversation_id", "author_id", "created_at", "text", "referenced_tweets.replied_to.id")

    def row_to_post(self, row: dict[str, str], cols: Columns, source: str, line_no: int) -> None:
        post_id = row["id"].strip()
        if not post_id.isdigit():
            raise ValueError(f"id {post_id!r} is not a tweet id")
        created = datetime.fromisoformat(row["created_at"]) if row["created_at"] else snowflake_time(post_id)
        parent = row.get("referenced_tweets.replied_to.id") or None
        repost_of = row.get("referenced_tweets.retweeted.id") or None
        quote_of = row.get("referenced_tweets.quoted.id") or None
        kind = "repost" if repost_of else "reply" if parent else "quote" if quote_of else "original"
        if kind == "original" and row.get("in_reply_to_user_id"):
            kind = "reply"
        hashtags = _json_list(row.get("entities.hashtags", ""))
        mentions = _json_list(row.get("entities.mentions", ""))
        lon = lat = None
        coords = _json_list(row.get("geo.coordinates.coordinates", ""))
        if coords and len(coords) == 2:
            lon, lat = float(coords[0]), float(coords[1])
        handle = row.get("author.username") or None
        cols.add(
            platform="twitter",
            post_id=post_id,
            created_at=created,
            text=_unescape(row["text"]),
            lang=row.get("lang") or None,
            kind=kind,
            parent_id=parent,
            root_id=row.get("conversation_id") or None,
            repost_of=repost_of,
            quote_of=quote_of,
            hashtags=[h.lstrip("#＃") for h in hashtags] if hashtags is not None else [],
            mentions=["@" + m.lstrip("@").lower() for m in mentions] if mentions is not None else [],
            urls=_json_list(row.get("entities.urls", "")) or [],
            like_count=int_or_none(row.get("public_metrics.like_count")),
            repost_count=int_or_none(row.get("public_metrics.retweet_count")),
            reply_count=int_or_none(row.get("public_metrics.reply_count")),
            quote_count=int_or_none(row.get("public_metrics.quote_count")),
            author_followers=int_or_none(row.get("author.public_metrics.followers_count")),
            country=row.get("geo.country_code") or None,
            place=row.get("geo.full_name") or None,
            lon=lon,
            lat=lat,
            is_reference=False,
            source_file=source,
            source_line=line_no,
            raw_author=row.get("author_id") or (("@" + handle.lower()) if handle else None),
            raw_parent_author=row.get("in_reply_to_user_id") or None if parent is None else None,
            author_handle=handle,
        )
