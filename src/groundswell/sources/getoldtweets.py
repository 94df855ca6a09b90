"""GetOldTweets-style scrapes of Twitter web search (the shape of the 2017 #MeToo research archive).

The scraper's quirks are facts about the data, so they are undone here and nowhere else:

* ``date`` is US/Eastern wall time with no offset; the snowflake ``tweet_id`` gives the true UTC time.
* ``username`` is the author *followed by the handles replied to*; the author is the handle in ``permalink``,
  and more than one handle means the tweet is a reply (to a tweet the scrape does not identify).
* every ``#tag`` / ``@handle`` was written as ``# tag`` / ``@ handle``; ``hashtags`` and ``mentions`` are
  mangled (``"# # #"``), so entities are re-extracted from the repaired text by the enrich stage.
"""

from __future__ import annotations

import re

import msgspec

from groundswell.schema import Columns
from groundswell.sources.base import LineReader, Reject
from groundswell.sources.snowflake import snowflake_time


class _Row(msgspec.Struct, gc=False):
    tweet_id: str | int
    text: str = ""
    permalink: str = ""
    username: str = ""
    favorites: int | None = None
    retweets: int | None = None
    geo: str | None = None
    date: str | None = None


_decoder = msgspec.json.Decoder(_Row)
# "# MeToo" -> "#MeToo", "@ handle" -> "@handle"; only where the sigil stands alone before a word.
_SPLIT_SIGIL = re.compile(r"(?<![\w&#@])([#@＃]) (?=\w)")
_PERMALINK = re.compile(r"twitter\.com/([A-Za-z0-9_]{1,20})/status/")


def repair_text(text: str) -> str:
    return _SPLIT_SIGIL.sub(r"\1", text)


class GetOldTweetsReader(LineReader):
    name = "getoldtweets"
    platform = "twitter"
    description = "GetOldTweets / snscrape-style JSONL scrapes (tweet_id, permalink, username, date)"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head.lstrip()[:4096]
        return first.startswith(b"{") and b'"permalink"' in first and b'"tweet_id"' in first

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            row = _decoder.decode(line)
        except msgspec.DecodeError as e:  # ValidationError is a subclass
            rejects.append(Reject.of(source, line_no, f"invalid record: {e}", line))
            return 0
        post_id = str(row.tweet_id)
        created = snowflake_time(post_id)
        if created is None:
            rejects.append(Reject.of(source, line_no, f"tweet_id {post_id!r} is not a snowflake id", line))
            return 0
        m = _PERMALINK.search(row.permalink)
        handles = row.username.split()
        author = m.group(1) if m else (handles[0] if handles else None)
        if author is None:
            rejects.append(Reject.of(source, line_no, "no author: neither permalink nor username", line))
            return 0
        # the author comes first; the rest are the accounts replied to (the author again for a self-reply)
        replied = handles[1:] if handles and handles[0].lower() == author.lower() else handles
        cols.add(
            platform="twitter",
            post_id=post_id,
            created_at=created,
            text=repair_text(row.text),
            kind="reply" if replied else "original",
            raw_parent_author=("@" + replied[0].lower()) if replied else None,
            like_count=row.favorites,
            repost_count=row.retweets,
            place=row.geo or None,
            is_reference=False,
            source_file=source,
            source_line=line_no,
            raw_author="@" + author.lower(),
            author_handle=author,
        )
        return 1
