"""Reddit as Pushshift archived it: NDJSON of submissions (``RS_*``) and comments (``RC_*``), mixed or not.

A submission has ``title`` / ``selftext``; a comment has ``body``, ``link_id`` (``t3_<submission id>``, the
thread root) and ``parent_id`` (``t1_<comment id>`` for a reply to a comment, ``t3_<submission id>`` for a
top-level comment). Ids are stored without their ``t1_`` / ``t3_`` prefix, as Reddit shows them in URLs.

Also read: the same objects wrapped the way Reddit's own API returns them (``{"kind": "t3", "data": {...}}``,
``{"kind": "Listing", "data": {"children": [...]}}``) and Pushshift API pages (``{"data": [...]}``).

Facts about the data handled here:

* ``created_utc`` is epoch seconds, written as an integer, a float or a string depending on the dump year.
* removed content stays in the archive as ``[deleted]`` / ``[removed]`` placeholders. The post existed and
  holds a place in its thread, so it is kept, with no text (a placeholder is not something anyone wrote) and,
  for ``[deleted]`` authors, no author.
* the author is ``"@" + username``: Reddit usernames never change and are in every dump year, while
  ``author_fullname`` (the account id) only appears from 2018 on — the handle keeps pseudonyms stable.
* ``score`` (upvotes minus downvotes) is the closest thing to a like count Reddit publishes.
* a crosspost (``crosspost_parent``) is Reddit's share: kind ``repost``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Reject
from groundswell.sources.json_doc import JsonDocReader, head_record

_PLACEHOLDERS = {"[deleted]", "[removed]", ""}


class _Thing(msgspec.Struct, gc=False, kw_only=True):
    id: str | None = None
    author: str | None = None
    created_utc: int | float | str | None = None
    subreddit: str | None = None
    title: str | None = None
    selftext: str | None = None
    body: str | None = None
    link_id: str | None = None
    parent_id: str | None = None
    url: str | None = None
    is_self: bool | None = None
    num_comments: int | None = None
    score: int | None = None
    crosspost_parent: str | None = None


_decoder = msgspec.json.Decoder(_Thing)


def _strip(fullname: str | None) -> str | None:
    """``t3_7abcde`` → ``7abcde`` (Reddit 'fullnames' are a type prefix plus the base-36 id)."""
    if not fullname:
        return None
    return fullname.split("_", 1)[1] if fullname[:1] == "t" and "_" in fullname[:4] else fullname


def _time(value: int | float | str | None) -> datetime:
    if value is None or value == "":
        raise ValueError("missing created_utc")
    return datetime.fromtimestamp(float(value), tz=UTC)


class RedditReader(JsonDocReader):
    name = "reddit"
    platform = "reddit"
    description = "Reddit submissions and comments as Pushshift NDJSON (RS_/RC_ dumps), or Reddit API things"
    list_keys = ("data", "data.children")

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head)
        if first.startswith(b"["):
            first = first[1:].lstrip()
        return (
            first.startswith(b"{")
            and b'"subreddit":' in first
            and (b'"created_utc":' in first or b'"link_id":' in first or b'"selftext":' in first)
        )

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            thing = _decoder.decode(line)
        except msgspec.ValidationError as e:
            rejects.append(Reject.of(source, line_no, f"malformed Reddit object: {e}", line))
            return 0
        except msgspec.DecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if thing.id is None and thing.title is None and thing.body is None:
            return self._wrapped(line, line_no, source, cols, rejects)
        try:
            _add(cols, thing, source, line_no)
        except ValueError as e:
            rejects.append(Reject.of(source, line_no, str(e), line))
            return 0
        return 1

    def _wrapped(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        obj: Any = orjson.loads(line)
        data = obj.get("data") if isinstance(obj, dict) else None
        kind = obj.get("kind") if isinstance(obj, dict) else None
        if kind == "Listing" and isinstance(data, dict) and isinstance(data.get("children"), list):
            data = data["children"]
        if isinstance(data, list):  # a listing or a Pushshift API page
            return sum(self.parse_record(orjson.dumps(i), line_no, source, cols, rejects) for i in data)
        if isinstance(data, dict) and obj.get("kind") in ("t1", "t3"):
            return self.parse_record(orjson.dumps(data), line_no, source, cols, rejects)
        reason = f"not a post: Reddit {kind} object" if kind else "neither a submission nor a comment (no id)"
        rejects.append(Reject.of(source, line_no, reason, line))
        return 0


def _add(cols: Columns, t: _Thing, source: str, line_no: int) -> None:
    if not t.id:
        raise ValueError("no id")
    created = _time(t.created_utc)
    is_comment = t.body is not None or t.link_id is not None
    author = t.author if t.author and t.author not in _PLACEHOLDERS else None
    if is_comment:
        if not t.link_id or not t.parent_id:
            raise ValueError("comment without link_id / parent_id")
        kind = "comment"
        text = t.body if t.body not in _PLACEHOLDERS else None
        parent = _strip(t.parent_id)
        root = _strip(t.link_id)
        repost_of = None
        urls = None
    else:
        if t.title is None:
            raise ValueError("submission without title")
        repost_of = _strip(t.crosspost_parent)
        kind = "repost" if repost_of else "original"
        body = t.selftext if t.selftext not in _PLACEHOLDERS else None
        text = t.title + ("\n\n" + body if body else "")
        parent = None
        root = t.id
        urls = [t.url] if t.url and not t.is_self else []
    cols.add(
        platform="reddit",
        post_id=t.id,
        created_at=created,
        text=text,
        kind=kind,
        parent_id=parent,
        root_id=root,
        repost_of=repost_of,
        community=t.subreddit,
        urls=urls,
        like_count=t.score,
        reply_count=t.num_comments,
        is_reference=False,
        source_file=source,
        source_line=line_no,
        raw_author="@" + author.lower() if author else None,
        author_handle=author,
    )
