"""Twitter API v1.1 statuses: the format of most #MeToo collections made in 2017 (streaming and REST).

Accepted shapes: one status a line (the streaming API, twarc 1), a JSON array of statuses (``user_timeline``,
``statuses/lookup`` saved whole) and a search page ``{"statuses": [...], "search_metadata": {...}}``.

What the format hides, undone here:

* long tweets: with ``tweet_mode=extended`` the text is ``full_text``; in the stream a tweet over 140 characters
  has ``truncated: true`` and its whole text and entities in ``extended_tweet``.
* a retweet carries the original in ``retweeted_status`` and a quote tweet carries the quoted one in
  ``quoted_status``: both are stored too, marked ``is_reference``, so cascades have their parents.
* the stream interleaves notices with statuses. ``delete`` and ``status_withheld`` are deletion notices
  (quarantined as such so counts reconcile and ``forget`` can use them); ``limit`` says how many matching
  tweets the stream did *not* deliver, which matters for any count, so its reason carries the number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Reject
from groundswell.sources.json_doc import JsonDocReader, head_record
from groundswell.sources.snowflake import snowflake_time


class _Hashtag(msgspec.Struct, gc=False):
    text: str = ""


class _Mention(msgspec.Struct, gc=False):
    screen_name: str = ""
    id_str: str | None = None


class _Url(msgspec.Struct, gc=False):
    url: str | None = None
    expanded_url: str | None = None


class _Entities(msgspec.Struct, gc=False):
    hashtags: list[_Hashtag] = []
    user_mentions: list[_Mention] = []
    urls: list[_Url] = []


class _Extended(msgspec.Struct, gc=False):
    full_text: str = ""
    entities: _Entities | None = None


class _User(msgspec.Struct, gc=False):
    id_str: str | None = None
    screen_name: str | None = None
    followers_count: int | None = None


class _Place(msgspec.Struct, gc=False):
    full_name: str | None = None
    country_code: str | None = None


class _Point(msgspec.Struct, gc=False):
    coordinates: list[float] = []


class _Status(msgspec.Struct, gc=False, kw_only=True):
    created_at: str
    id_str: str | None = None
    id: int | None = None
    text: str | None = None
    full_text: str | None = None
    extended_tweet: _Extended | None = None
    entities: _Entities | None = None
    user: _User | None = None
    in_reply_to_status_id_str: str | None = None
    in_reply_to_user_id_str: str | None = None
    in_reply_to_screen_name: str | None = None
    retweeted_status: _Status | None = None
    quoted_status: _Status | None = None
    quoted_status_id_str: str | None = None
    place: _Place | None = None
    coordinates: _Point | None = None
    geo: _Point | None = None  # deprecated twin of coordinates, in [lat, lon] order
    lang: str | None = None
    retweet_count: int | None = None
    favorite_count: int | None = None
    reply_count: int | None = None
    quote_count: int | None = None


class _Page(msgspec.Struct, gc=False):
    statuses: list[_Status]


_status_decoder = msgspec.json.Decoder(_Status)
_page_decoder = msgspec.json.Decoder(_Page)

# Stream notices that are not posts (developer docs, "Streaming message types").
_NOTICES = {
    "scrub_geo": "not a post: scrub_geo notice (remove location from the user's earlier tweets)",
    "user_withheld": "not a post: user_withheld notice",
    "disconnect": "not a post: disconnect message",
    "warning": "not a post: stall warning",
    "friends": "not a post: friends list preamble",
    "event": "not a post: user stream event",
    "control": "not a post: site stream control message",
}


def v1_time(created_at: str, post_id: str | None) -> datetime | None:
    """``Wed Oct 10 20:19:24 +0000 2018`` → aware UTC datetime (the snowflake when the text is unusable)."""
    try:
        return datetime.strptime(created_at, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return snowflake_time(post_id) if post_id else None


class TwitterV1Reader(JsonDocReader):
    name = "twitter-v1"
    platform = "twitter"
    description = "Twitter API v1.1 statuses: JSON lines, arrays, or search pages (extended_tweet, retweets, quotes)"
    list_keys = ("statuses",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head)
        if first.startswith(b"["):
            first = first[1:].lstrip()
        if not first.startswith(b"{"):
            return False
        if first.startswith((b'{"delete":', b'{"limit":', b'{"status_withheld":', b'{"scrub_geo":')):
            return True
        if b'"statuses":' in first and b'"search_metadata":' in head:
            return True
        return b'"id_str":' in first and b'"created_at":' in first and b'"user":' in first

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            status = _status_decoder.decode(line)
        except msgspec.ValidationError:
            return self._not_a_status(line, line_no, source, cols, rejects)
        except msgspec.DecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if _status_id(status) is None:
            rejects.append(Reject.of(source, line_no, "status without id_str or id", line))
            return 0
        _add(cols, status, source, line_no, False)
        return 1

    def _not_a_status(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            obj: Any = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if isinstance(obj, dict) and isinstance(obj.get("statuses"), list):
            try:
                page = _page_decoder.decode(line)
            except msgspec.ValidationError as e:
                rejects.append(Reject.of(source, line_no, f"search page with a malformed status: {e}", line))
                return 0
            for st in page.statuses:
                _add(cols, st, source, line_no, False)
            return len(page.statuses)
        rejects.append(Reject.of(source, line_no, _explain(obj), line))
        return 0


def _explain(obj: Any) -> str:
    if not isinstance(obj, dict):
        return f"not a status: JSON {type(obj).__name__}"
    if "delete" in obj:
        st = (obj["delete"] or {}).get("status") or {}
        return f"deletion notice: status {st.get('id_str') or st.get('id')} deleted"
    if "status_withheld" in obj:
        w = obj["status_withheld"] or {}
        where = ",".join(w.get("withheld_in_countries") or [])
        return f"deletion notice: status {w.get('id_str') or w.get('id')} withheld in {where or 'some countries'}"
    if "limit" in obj:
        track = (obj["limit"] or {}).get("track")
        return f"not a post: limit notice ({track} matching tweets not delivered so far)"
    for key, reason in _NOTICES.items():
        if key in obj:
            return reason
    if "errors" in obj:
        errs = obj["errors"]
        err = errs[0] if isinstance(errs, list) and errs else errs
        msg = err.get("message") if isinstance(err, dict) else err
        return f"API error object: {msg}"
    if "screen_name" in obj and "followers_count" in obj:
        return "not posts: user object"
    missing = [k for k in ("created_at", "id_str") if k not in obj]
    return f"not a status: missing {', '.join(missing) or 'required fields'}"


def _status_id(st: _Status) -> str | None:
    if st.id_str:
        return st.id_str
    return str(st.id) if st.id is not None else None


def _add(cols: Columns, st: _Status, source: str, line_no: int, is_reference: bool) -> None:
    post_id = _status_id(st)
    if post_id is None:
        return
    kind = "original"
    parent = repost_of = quote_of = None
    if st.retweeted_status is not None:
        kind = "repost"
        repost_of = _status_id(st.retweeted_status)
        _add(cols, st.retweeted_status, source, line_no, True)
    if st.in_reply_to_status_id_str:
        parent = st.in_reply_to_status_id_str
        if kind == "original":
            kind = "reply"
    elif st.in_reply_to_user_id_str and kind == "original":
        kind = "reply"  # reply to a deleted / protected tweet: the reference is gone, the reply isn't
    quoted = st.quoted_status
    if st.quoted_status_id_str or quoted is not None:
        quote_of = st.quoted_status_id_str or (_status_id(quoted) if quoted is not None else None)
        if kind == "original":
            kind = "quote"
        if quoted is not None:
            _add(cols, quoted, source, line_no, True)
    text = st.full_text if st.full_text is not None else st.text or ""
    ent = st.entities
    if st.extended_tweet is not None and st.extended_tweet.full_text:
        text = st.extended_tweet.full_text
        ent = st.extended_tweet.entities or ent
    user = st.user
    handle = user.screen_name if user is not None else None
    lon = lat = None
    if st.coordinates is not None and len(st.coordinates.coordinates) == 2:
        lon, lat = st.coordinates.coordinates
    elif st.geo is not None and len(st.geo.coordinates) == 2:
        lat, lon = st.geo.coordinates
    place = st.place
    cols.add(
        platform="twitter",
        post_id=post_id,
        created_at=v1_time(st.created_at, post_id),
        text=text,
        lang=st.lang,
        kind=kind,
        parent_id=parent,
        repost_of=repost_of,
        quote_of=quote_of,
        hashtags=[h.text for h in ent.hashtags] if ent is not None else None,
        mentions=[m.id_str or "@" + m.screen_name.lower() for m in ent.user_mentions] if ent is not None else None,
        urls=[u.expanded_url or u.url for u in ent.urls if u.expanded_url or u.url] if ent is not None else None,
        like_count=st.favorite_count,
        repost_count=st.retweet_count,
        reply_count=st.reply_count,
        quote_count=st.quote_count,
        author_followers=user.followers_count if user is not None else None,
        country=place.country_code or None if place is not None else None,
        place=place.full_name if place is not None else None,
        lon=lon,
        lat=lat,
        is_reference=is_reference,
        source_file=source,
        source_line=line_no,
        raw_author=(user.id_str or ("@" + handle.lower() if handle else None)) if user is not None else None,
        raw_parent_author=(st.in_reply_to_user_id_str or _at(st.in_reply_to_screen_name)) if parent is None else None,
        author_handle=handle,
    )


def _at(handle: str | None) -> str | None:
    return "@" + handle.lower() if handle else None
