"""Bluesky AppView responses: ``app.bsky.feed.getPosts`` / ``searchPosts`` (``{"posts": [postView, …]}``, search
pages adding ``cursor`` and ``hitsTotal``) and feed responses (``getAuthorFeed``, ``getTimeline``,
``getFeed``: ``{"feed": [{"post": postView, "reason"?}]}``).

A file may hold one pretty-printed response (streamed post by post), one response a line (paginated
collection), or one postView a line. A postView wraps the record (see ``bluesky_record``) with the author
(``did``, ``handle``), ``indexedAt`` and the counts at collection time (``likeCount``, ``repostCount``,
``replyCount``, ``quoteCount``).

Feed items repeat a post when someone reposted it (``reason: reasonRepost``): the post is stored once per
appearance (same key, deduplicated downstream); the repost itself has no URI in a feed view and is not a post
here — Jetstream ``app.bsky.feed.repost`` records are where reposts are counted.
"""

from __future__ import annotations

from typing import Any

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Reject
from groundswell.sources.bluesky_record import PostRecord, post_fields, record_time
from groundswell.sources.clock import iso_utc
from groundswell.sources.json_doc import JsonDocReader, head_record


class _Author(msgspec.Struct, gc=False):
    did: str = ""
    handle: str | None = None


class _PostView(msgspec.Struct, gc=False, kw_only=True):
    uri: str
    author: _Author
    record: PostRecord
    indexedAt: str | None = None
    likeCount: int | None = None
    repostCount: int | None = None
    replyCount: int | None = None
    quoteCount: int | None = None


_decoder = msgspec.json.Decoder(_PostView)


class BlueskyApiReader(JsonDocReader):
    name = "bluesky-api"
    platform = "bluesky"
    description = "Bluesky getPosts / searchPosts / feed responses ({'posts': [...]}, {'feed': [...]}) or postViews"
    list_keys = ("posts", "feed")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head)
        if first.startswith(b"["):
            first = first[1:].lstrip()
        return first.startswith(b"{") and b'"at://' in first and b'"indexedAt":' in first

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            pv = _decoder.decode(line)
        except msgspec.DecodeError:
            return self._not_a_post_view(line, line_no, source, cols, rejects)
        try:
            _add(cols, pv, source, line_no)
        except ValueError as e:
            rejects.append(Reject.of(source, line_no, str(e), line))
            return 0
        return 1

    def _not_a_post_view(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            obj: Any = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if isinstance(obj, dict):
            if isinstance(obj.get("posts"), list):  # a whole response on one line
                return sum(self.parse_record(orjson.dumps(p), line_no, source, cols, rejects) for p in obj["posts"])
            if isinstance(obj.get("feed"), list):
                return sum(self.parse_record(orjson.dumps(i), line_no, source, cols, rejects) for i in obj["feed"])
            if isinstance(obj.get("post"), dict):  # a feed item
                return self.parse_record(orjson.dumps(obj["post"]), line_no, source, cols, rejects)
            if "error" in obj:
                rejects.append(
                    Reject.of(source, line_no, f"API error object: {obj.get('message') or obj['error']}", line)
                )
                return 0
            if obj.get("notFound") or obj.get("blocked"):
                state = "not found" if obj.get("notFound") else "blocked"
                rejects.append(Reject.of(source, line_no, f"deletion notice: post {obj.get('uri')} {state}", line))
                return 0
            missing = [k for k in ("uri", "author", "record") if k not in obj]
            if missing:
                reason = f"not a postView: missing {', '.join(missing)}"
                rejects.append(Reject.of(source, line_no, reason, line))
                return 0
        try:
            _decoder.decode(line)
        except msgspec.DecodeError as e:
            rejects.append(Reject.of(source, line_no, f"malformed postView: {e}", line))
        return 0


def _add(cols: Columns, pv: _PostView, source: str, line_no: int) -> None:
    seen = iso_utc(pv.indexedAt) if pv.indexedAt else None
    created = record_time(pv.record.createdAt, seen)
    cols.add(
        platform="bluesky",
        post_id=pv.uri,
        created_at=created,
        like_count=pv.likeCount,
        repost_count=pv.repostCount,
        reply_count=pv.replyCount,
        quote_count=pv.quoteCount,
        is_reference=False,
        source_file=source,
        source_line=line_no,
        raw_author=pv.author.did or ("@" + pv.author.handle.lower() if pv.author.handle else None),
        author_handle=pv.author.handle,
        **post_fields(pv.record),
    )
