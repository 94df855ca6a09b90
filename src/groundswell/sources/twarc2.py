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
from operator import attrgetter
from typing import Any

import msgspec
import orjson
import pyarrow as pa

from groundswell.schema import columns_batch
from groundswell.sources.base import Chunk, LineReader, Parsed, Reject
from groundswell.sources.snowflake import snowflake_time
from groundswell.text.batch import list_array


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
        # flattened or bare v2 objects (tweets, and the users / compliance lines twarc2 also writes, which
        # parse then quarantines with a reason): v2 has string "id", v1.1 adds "id_str"
        return b'"id"' in first and b'"id_str"' not in first

    def parse(self, chunk: Chunk) -> Parsed:
        rows = _Rows()
        rejects: list[Reject] = []
        n_primary = 0
        for i, line in enumerate(chunk.data.split(b"\n")):
            if line.strip():
                n_primary += self._line(line, chunk.first_line + i, chunk.source, rows, rejects)
        return Parsed(rows.batch(chunk.source), rejects, len(rows.tweets) + len(rejects), n_primary)

    def _line(self, line: bytes, line_no: int, source: str, rows: _Rows, rejects: list[Reject]) -> int:
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
            rows.extend(tweets, users, places, line_no, False)
            if inc and inc.tweets:
                rows.extend(inc.tweets, users, places, line_no, True)
            return len(tweets)
        if obj.id is not None:
            try:
                t = _tweet_decoder.decode(line)
            except msgspec.ValidationError as e:
                rejects.extend(_explain(line, line_no, source, str(e)))
                return 0
            rows.extend([t], {}, {}, line_no, False)
            refs = [r for r in t.referenced_tweets or () if r.text is not None]
            if refs:
                rows.extend(refs, {}, {}, line_no, True)
            return 1
        rejects.extend(_explain(line, line_no, source, "no tweet in the line"))
        return 0


class _Rows:
    """Tweets of a chunk with their page context, turned into columns one field at a time.

    A comprehension per field over the decoded structs is several times faster than appending post by
    post, and this reader's speed is the ingest benchmark's.
    """

    def __init__(self) -> None:
        self.tweets: list[_Ref] = []
        self.users: list[_User | None] = []
        self.places: list[_Place | None] = []
        self.lines: list[int] = []
        self.refs: list[bool] = []

    def extend(
        self,
        tweets: list[_Tweet] | list[_Ref],
        users: dict[str, _User],
        places: dict[str, _Place],
        line_no: int,
        ref: bool,
    ) -> None:
        self.tweets.extend(tweets)
        if users:
            self.users.extend([t.author or users.get(t.author_id or "") for t in tweets])
        else:
            self.users.extend([t.author for t in tweets])
        if places:
            self.places.extend([places.get(t.geo.place_id or "") if t.geo else None for t in tweets])
        else:
            self.places.extend([None] * len(tweets))
        self.lines.extend([line_no] * len(tweets))
        self.refs.extend([ref] * len(tweets))

    def batch(self, source: str) -> pa.RecordBatch:
        ts = self.tweets
        n = len(ts)
        kinds: list[str] = []
        parents: list[str | None] = []
        reposts: list[str | None] = []
        quotes: list[str | None] = []
        for t in ts:
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
            kinds.append(kind)
            parents.append(parent)
            reposts.append(repost_of)
            quotes.append(quote_of)
        ents = [(t.note_tweet.entities or t.entities) if t.note_tweet else t.entities for t in ts]
        metrics = [t.public_metrics or _NO_METRICS for t in ts]
        geos = list(map(_geo, ts))
        places = self.places
        coords = [
            g.coordinates.coordinates if g and g.coordinates and len(g.coordinates.coordinates) == 2 else None
            for g in geos
        ]
        users = self.users
        handles = [u.username if u else None for u in users]
        cols = {
            "platform": pa.array(["twitter"] * n, pa.string()),
            "post_id": list(map(_id, ts)),
            "created_at": [_ts(t.created_at, t.id) for t in ts],
            "author_handle": handles,
            "text": [t.note_tweet.text if t.note_tweet and t.note_tweet.text else t.text or "" for t in ts],
            "lang": list(map(_lang, ts)),
            "kind": kinds,
            "parent_id": parents,
            "root_id": list(map(_conversation, ts)),
            "repost_of": reposts,
            "quote_of": quotes,
            # the API's own entities: absent means none (unlike scrapes, where enrich extracts from text)
            **_entity_columns(ents),
            "like_count": list(map(_likes, metrics)),
            "repost_count": list(map(_retweets, metrics)),
            "reply_count": list(map(_replies, metrics)),
            "quote_count": list(map(_quotes, metrics)),
            "author_followers": [u.public_metrics.followers_count if u and u.public_metrics else None for u in users],
            "country": [
                p.country_code if p else g.country_code if g else None for p, g in zip(places, geos, strict=True)
            ],
            "place": [p.full_name if p else g.full_name if g else None for p, g in zip(places, geos, strict=True)],
            "lon": [c[0] if c else None for c in coords],
            "lat": [c[1] if c else None for c in coords],
            "is_reference": self.refs,
            "source_file": pa.array([source] * n, pa.string()),
            "source_line": self.lines,
            "raw_author": [t.author_id or ("@" + h.lower() if h else None) for t, h in zip(ts, handles, strict=True)],
            "raw_parent_author": [
                t.in_reply_to_user_id if p is None else None for t, p in zip(ts, parents, strict=True)
            ],
        }
        return columns_batch(cols, n)


_id = attrgetter("id")
_lang = attrgetter("lang")
_conversation = attrgetter("conversation_id")
_geo = attrgetter("geo")
_likes = attrgetter("like_count")
_retweets = attrgetter("retweet_count")
_replies = attrgetter("reply_count")
_quotes = attrgetter("quote_count")
_tag = attrgetter("tag")


def _entity_columns(ents: list[_Entities | None]) -> dict[str, pa.Array]:
    """``hashtags``, ``mentions`` and ``urls`` as list arrays built from flat values and offsets.

    A Python list per post and per column, handed to ``pa.array``, cost more than the rest of the batch;
    one flat list per column and the running offsets build the same arrays without them.
    """
    tags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    tag_offs = [0]
    mention_offs = [0]
    url_offs = [0]
    for e in ents:
        if e is not None:
            if e.hashtags:
                tags.extend(map(_tag, e.hashtags))
            for m in e.mentions:
                mentions.append(m.id or "@" + m.username.lower())
            for u in e.urls:
                urls.append(u.unwound_url or u.expanded_url or u.url)
        tag_offs.append(len(tags))
        mention_offs.append(len(mentions))
        url_offs.append(len(urls))
    return {
        "hashtags": list_array(tags, tag_offs),
        "mentions": list_array(mentions, mention_offs),
        "urls": list_array(urls, url_offs),
    }


_NO_METRICS = _Metrics(retweet_count=None, reply_count=None, like_count=None, quote_count=None)  # type: ignore[arg-type]


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
