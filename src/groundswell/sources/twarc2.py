"""Twitter API v2 as twarc2 writes it: JSONL of response pages, or of flattened tweets.

A page is ``{"data": [tweet…] | tweet, "includes": {"users", "tweets", "places", …}, "meta", "errors"}``
(search/timeline pages hold a list, the filtered stream one tweet per line). ``twarc2 flatten`` writes one
tweet a line with its expansions merged in (``author``, ``referenced_tweets[*]`` as full tweets, ``geo``
with the place). Both shapes arrive here.

Tweets in ``data`` are the collection; tweets in ``includes.tweets`` (and the full referenced tweets of a
flattened line) are stored too, with ``is_reference`` set, because cascades need the parents and quoted
posts even when the query did not match them.

Decoding uses typed msgspec structs: fields we don't need are skipped by the decoder without building
Python objects, which is most of what makes this reader fast.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import LineReader, Reject
from groundswell.sources.snowflake import snowflake_time


class _Tag(msgspec.Struct, gc=False):
    tag: str = ""


class _Mention(msgspec.Struct, gc=False):
    username: str = ""
    id: str | None = None


class _Url(msgspec.Struct, gc=False):
    url: str = ""
    expanded_url: str | None = None
    unwound_url: str | None = None


class _Entities(msgspec.Struct, gc=False):
    hashtags: list[_Tag] = []
    mentions: list[_Mention] = []
    urls: list[_Url] = []


class _Metrics(msgspec.Struct, gc=False):
    retweet_count: int = 0
    reply_count: int = 0
    like_count: int = 0
    quote_count: int = 0


class _UserMetrics(msgspec.Struct, gc=False):
    followers_count: int | None = None


class _User(msgspec.Struct, gc=False):
    id: str = ""
    username: str | None = None
    public_metrics: _UserMetrics | None = None


class _Coords(msgspec.Struct, gc=False):
    coordinates: list[float] = []


class _Place(msgspec.Struct, gc=False):
    id: str = ""
    full_name: str | None = None
    country_code: str | None = None


class _Geo(msgspec.Struct, gc=False):
    place_id: str | None = None
    coordinates: _Coords | None = None
    # flattened lines merge the place into geo
    full_name: str | None = None
    country_code: str | None = None


class _Note(msgspec.Struct, gc=False):
    text: str = ""
    entities: _Entities | None = None


class _Ref(msgspec.Struct, gc=False, kw_only=True):
    """A referenced tweet: ``{"type", "id"}`` in pages, a whole tweet in flattened lines."""

    id: str
    type: str | None = None
    text: str | None = None
    created_at: str | None = None
    author_id: str | None = None
    conversation_id: str | None = None
    in_reply_to_user_id: str | None = None
    lang: str | None = None
    referenced_tweets: list[_Ref] | None = None
    entities: _Entities | None = None
    public_metrics: _Metrics | None = None
    geo: _Geo | None = None
    note_tweet: _Note | None = None
    author: _User | None = None


class _Tweet(_Ref, kw_only=True):
    text: str  # required: user, list and compliance objects have ids too


class _Includes(msgspec.Struct, gc=False):
    users: list[_User] = []
    tweets: list[_Tweet] = []
    places: list[_Place] = []


class _Line(msgspec.Struct, gc=False):
    """Either a page (``data`` set) or a flattened tweet (``id`` set)."""

    data: list[_Tweet] | _Tweet | None = None
    includes: _Includes | None = None
    id: str | None = None


_page_decoder = msgspec.json.Decoder(_Line)
_tweet_decoder = msgspec.json.Decoder(_Tweet)

_KIND_OF_REF = {"replied_to": "reply", "retweeted": "repost", "quoted": "quote"}


def _ts(created_at: str | None, post_id: str) -> datetime | None:
    if created_at:
        try:
            return datetime.fromisoformat(created_at)
        except ValueError:
            pass
    return snowflake_time(post_id)


class Twarc2Reader(LineReader):
    name = "twarc2"
    platform = "twitter"
    description = "Twitter API v2 JSONL as written by twarc2 (response pages or flattened tweets)"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head.lstrip()[:4096]
        if not first.startswith(b"{"):
            return False
        if first.startswith(b'{"data"') or b'"includes"' in first or b'"__twarc"' in first:
            return True
        # flattened or bare v2 tweets: v2 field names, none of v1.1's
        # flattened or bare v2 objects (tweets, and the users / compliance lines twarc2 also writes, which
        # parse_line then quarantines with a reason): v2 has string "id", v1.1 adds "id_str"
        return b'"id"' in first and b'"id_str"' not in first

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            obj = _page_decoder.decode(line)
        except msgspec.ValidationError as e:
            rejects.extend(_explain(line, line_no, source, str(e)))
            return 0
        except msgspec.DecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if obj.data is not None:
            tweets = obj.data if isinstance(obj.data, list) else [obj.data]
            inc = obj.includes
            users = {u.id: u for u in inc.users} if inc else {}
            places = {p.id: p for p in inc.places} if inc else {}
            for t in tweets:
                _add(cols, t, users, places, source, line_no, False)
            if inc:
                for t in inc.tweets:
                    _add(cols, t, users, places, source, line_no, True)
            return len(tweets)
        if obj.id is not None:
            try:
                t = _tweet_decoder.decode(line)
            except msgspec.ValidationError as e:
                rejects.extend(_explain(line, line_no, source, str(e)))
                return 0
            _add(cols, t, {}, {}, source, line_no, False)
            for ref in t.referenced_tweets or ():
                if ref.text or ref.created_at:
                    _add(cols, ref, {}, {}, source, line_no, True)
            return 1
        rejects.extend(_explain(line, line_no, source, "no tweet in the line"))
        return 0


def _add(
    cols: Columns,
    t: _Ref,
    users: dict[str, _User],
    places: dict[str, _Place],
    source: str,
    line_no: int,
    is_reference: bool,
) -> None:
    kind = "original"
    parent = repost_of = quote_of = None
    for r in t.referenced_tweets or ():
        k = _KIND_OF_REF.get(r.type or "")
        if k == "reply":
            parent = r.id
        elif k == "repost":
            repost_of = r.id
        elif k == "quote":
            quote_of = r.id
        else:
            continue
        if kind == "original" or k == "repost":
            kind = k
    if kind == "original" and t.in_reply_to_user_id:
        kind = "reply"  # reply to a deleted / unavailable tweet: the reference is gone, the reply isn't
    text = t.text or ""
    ent = t.entities
    if t.note_tweet is not None and t.note_tweet.text:
        text = t.note_tweet.text  # long posts: the full text lives in note_tweet
        ent = t.note_tweet.entities or ent
    user = t.author or users.get(t.author_id or "")
    followers = None
    handle = None
    if user is not None:
        handle = user.username
        if user.public_metrics is not None:
            followers = user.public_metrics.followers_count
    country = place = None
    lon = lat = None
    if t.geo is not None:
        g = t.geo
        p = places.get(g.place_id or "")
        if p is not None:
            country, place = p.country_code, p.full_name
        else:
            country, place = g.country_code, g.full_name
        if g.coordinates is not None and len(g.coordinates.coordinates) == 2:
            lon, lat = g.coordinates.coordinates
    m = t.public_metrics
    cols.add(
        platform="twitter",
        post_id=t.id,
        created_at=_ts(t.created_at, t.id),
        text=text,
        lang=t.lang,
        kind=kind,
        parent_id=parent,
        root_id=t.conversation_id,
        repost_of=repost_of,
        quote_of=quote_of,
        hashtags=[h.tag for h in ent.hashtags] if ent is not None else None,
        mentions=[mn.id or "@" + mn.username.lower() for mn in ent.mentions] if ent is not None else None,
        urls=[u.unwound_url or u.expanded_url or u.url for u in ent.urls] if ent is not None else None,
        like_count=m.like_count if m else None,
        repost_count=m.retweet_count if m else None,
        reply_count=m.reply_count if m else None,
        quote_count=m.quote_count if m else None,
        author_followers=followers,
        country=country,
        place=place,
        lon=lon,
        lat=lat,
        is_reference=is_reference,
        source_file=source,
        source_line=line_no,
        raw_author=t.author_id or (("@" + handle.lower()) if handle else None),
        raw_parent_author=t.in_reply_to_user_id if parent is None else None,
        author_handle=handle,
    )


def _explain(line: bytes, line_no: int, source: str, detail: str) -> list[Reject]:
    """Say what a line that is not a tweet page is, so the quarantine reason is useful."""
    try:
        obj: Any = orjson.loads(line)
    except orjson.JSONDecodeError as e:
        return [Reject.of(source, line_no, f"invalid JSON: {e}", line)]
    if not isinstance(obj, dict):
        return [Reject.of(source, line_no, f"not a tweet: JSON {type(obj).__name__}", line)]
    data = obj.get("data")
    if "errors" in obj and data is None:
        err = obj["errors"][0] if isinstance(obj["errors"], list) and obj["errors"] else obj["errors"]
        msg = err.get("detail") or err.get("title") or err.get("message") if isinstance(err, dict) else err
        return [Reject.of(source, line_no, f"API error object: {msg}", line)]
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    if items and all(isinstance(i, dict) and "tweet_count" in i for i in items):
        return [Reject.of(source, line_no, "not posts: tweet counts (counts endpoint output)", line)]
    if items and all(isinstance(i, dict) and "username" in i for i in items):
        return [Reject.of(source, line_no, "not posts: user objects", line)]
    if items and all(isinstance(i, dict) and ("member_count" in i or "owner_id" in i) for i in items):
        return [Reject.of(source, line_no, "not posts: list objects", line)]
    if "action" in obj and "id" in obj:
        return [
            Reject.of(source, line_no, "not a post: compliance event (use `groundswell forget --compliance`)", line)
        ]
    return [Reject.of(source, line_no, f"not a tweet: {detail}", line)]
