"""GNIP / PowerTrack activity streams: the format of the large licensed Twitter archives (Historical PowerTrack,
30-day and Full-Archive Search in ``publisher=twitter`` activity format).

An activity is ``{"id": "tag:search.twitter.com,2005:<tweet id>", "verb": "post" | "share", "postedTime",
"actor": {"id": "id:twitter.com:<user id>", "preferredUsername", "followersCount"}, "body", "object",
"twitter_entities", "inReplyTo": {"link"}, "location", "geo", "twitter_quoted_status", "long_object"}``.
A ``share`` (retweet) carries the original activity as its ``object``; a quote carries the quoted activity as
``twitter_quoted_status``: both are stored too, marked ``is_reference``.

Historical PowerTrack files end with an ``{"info": {"message": ..., "activity_count": N}}`` line and streams
carry ``{"error": ...}`` lines; compliance activities (``verb: delete``) are deletion notices. None is a post:
each is quarantined with a reason. Search API pages (``{"results": [...], "next": ...}``) are read as
documents.

Activity streams timestamps are already UTC (``2017-10-15T20:21:00.000Z``); the geo point is ``[lat, lon]``
(GeoJSON order reversed, as in the v1.1 ``geo`` field it was translated from).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Reject
from groundswell.sources.clock import iso_utc
from groundswell.sources.json_doc import JsonDocReader, head_record
from groundswell.sources.snowflake import snowflake_time
from groundswell.sources.twitter_v1 import _Entities  # GNIP embeds v1.1 entities as they are

_TWEET_ID_PREFIX = "tag:search.twitter.com,2005:"
_USER_ID_PREFIX = "id:twitter.com:"


class _Actor(msgspec.Struct, gc=False):
    id: str = ""
    preferredUsername: str | None = None
    followersCount: int | None = None


class _Link(msgspec.Struct, gc=False):
    link: str = ""


class _Location(msgspec.Struct, gc=False):
    displayName: str | None = None
    twitter_country_code: str | None = None


class _Point(msgspec.Struct, gc=False):
    coordinates: list[float] = []


class _Long(msgspec.Struct, gc=False):
    body: str = ""
    twitter_entities: _Entities | None = None


class _Activity(msgspec.Struct, gc=False, kw_only=True):
    id: str
    objectType: str = "activity"
    verb: str = "post"
    postedTime: str | None = None
    body: str | None = None
    actor: _Actor | None = None
    # a ``post``'s object is the tweet as a note (same text); a ``share``'s is the original activity
    object: _Activity | None = None
    twitter_entities: _Entities | None = None
    twitter_lang: str | None = None
    inReplyTo: _Link | None = None
    location: _Location | None = None
    geo: _Point | None = None
    twitter_quoted_status: _Activity | None = None
    long_object: _Long | None = None
    favoritesCount: int | None = None
    retweetCount: int | None = None


_activity_decoder = msgspec.json.Decoder(_Activity)


def _tweet_id(activity_id: str) -> str:
    return activity_id.removeprefix(_TWEET_ID_PREFIX).rsplit(":", 1)[-1]


def _time(posted: str | None, post_id: str) -> datetime | None:
    if posted:
        try:
            return iso_utc(posted)
        except ValueError:
            pass
    return snowflake_time(post_id)


class GnipReader(JsonDocReader):
    name = "gnip"
    platform = "twitter"
    description = "GNIP / PowerTrack activity streams (Historical PowerTrack files, Search API result pages)"
    list_keys = ("results",)

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head)
        if first.startswith(b'{"info":') and b'"activity_count"' in first:
            return True
        return (b'"objectType":' in first or b'"verb":' in first) and (
            b'"postedTime":' in first or _TWEET_ID_PREFIX.encode() in first
        )

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            act = _activity_decoder.decode(line)
        except msgspec.DecodeError:  # ValidationError included: say what the line is instead
            return self._not_an_activity(line, line_no, source, cols, rejects)
        if act.verb not in ("post", "share") or act.actor is None:
            return self._not_an_activity(line, line_no, source, cols, rejects)
        _add(cols, act, source, line_no, False)
        return 1

    def _not_an_activity(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            obj: Any = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if not isinstance(obj, dict):
            rejects.append(Reject.of(source, line_no, f"not an activity: JSON {type(obj).__name__}", line))
            return 0
        if isinstance(obj.get("results"), list):  # a Search API page on one line
            return sum(self.parse_record(orjson.dumps(i), line_no, source, cols, rejects) for i in obj["results"])
        reason = _not_a_post(obj) or "malformed activity"
        rejects.append(Reject.of(source, line_no, reason, line))
        return 0


def _not_a_post(obj: dict[str, Any]) -> str | None:
    if "info" in obj:
        info = obj["info"] or {}
        return f"not a post: PowerTrack info line ({info.get('message')}; activity_count {info.get('activity_count')})"
    if "error" in obj:
        err = obj["error"]
        return f"not a post: stream error ({err.get('message') if isinstance(err, dict) else err})"
    verb = obj.get("verb")
    if verb == "delete":
        target = obj.get("object") or {}
        return f"deletion notice: activity {_tweet_id(str(target.get('id', '')))} deleted"
    if verb not in (None, "post", "share"):
        return f"not a post: activity verb {verb!r}"
    if "id" not in obj or "actor" not in obj:
        missing = [k for k in ("id", "actor") if k not in obj]
        return f"not an activity: missing {', '.join(missing)}"
    return None


def _add(cols: Columns, a: _Activity, source: str, line_no: int, is_reference: bool) -> None:
    post_id = _tweet_id(a.id)
    kind = "original"
    parent = repost_of = quote_of = parent_author = None
    if a.verb == "share" and a.object is not None and a.object.objectType == "activity":
        kind = "repost"
        repost_of = _tweet_id(a.object.id)
        _add(cols, a.object, source, line_no, True)
    if a.inReplyTo is not None and a.inReplyTo.link:
        # http://twitter.com/<handle>/statuses/<id>
        parts = a.inReplyTo.link.rstrip("/").split("/")
        parent = parts[-1] if parts[-1].isdigit() else None
        if len(parts) >= 3 and parts[-2] == "statuses":
            parent_author = "@" + parts[-3].lower()
        if kind == "original":
            kind = "reply"
    if a.twitter_quoted_status is not None:
        quote_of = _tweet_id(a.twitter_quoted_status.id)
        if kind == "original":
            kind = "quote"
        _add(cols, a.twitter_quoted_status, source, line_no, True)
    text = a.body or ""
    ent = a.twitter_entities
    if a.long_object is not None and a.long_object.body:
        text = a.long_object.body
        ent = a.long_object.twitter_entities or ent
    actor = a.actor
    handle = actor.preferredUsername if actor is not None else None
    user_id = actor.id.removeprefix(_USER_ID_PREFIX) if actor is not None and actor.id else None
    lon = lat = None
    if a.geo is not None and len(a.geo.coordinates) == 2:
        lat, lon = a.geo.coordinates
    loc = a.location
    cols.add(
        platform="twitter",
        post_id=post_id,
        created_at=_time(a.postedTime, post_id),
        text=text,
        lang=a.twitter_lang,
        kind=kind,
        parent_id=parent,
        repost_of=repost_of,
        quote_of=quote_of,
        hashtags=[h.text for h in ent.hashtags] if ent is not None else None,
        mentions=[m.id_str or "@" + m.screen_name.lower() for m in ent.user_mentions] if ent is not None else None,
        urls=[u.expanded_url or u.url for u in ent.urls if u.expanded_url or u.url] if ent is not None else None,
        like_count=a.favoritesCount,
        repost_count=a.retweetCount,
        author_followers=actor.followersCount if actor is not None else None,
        country=loc.twitter_country_code if loc is not None else None,
        place=loc.displayName if loc is not None else None,
        lon=lon,
        lat=lat,
        is_reference=is_reference,
        source_file=source,
        source_line=line_no,
        raw_author=user_id or (("@" + handle.lower()) if handle else None),
        raw_parent_author=parent_author if parent is None else None,
        author_handle=handle,
    )
