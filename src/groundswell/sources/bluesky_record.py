"""The ``app.bsky.feed.post`` record, shared by the Jetstream and the AppView API readers.

Both carry the same record (lexicon ``app.bsky.feed.post``): ``text``, ``createdAt``, ``langs``, ``facets``
(byte ranges of the text with ``#tag`` / ``#mention`` / ``#link`` features), ``reply`` (``root`` and
``parent`` strong refs) and ``embed`` (``app.bsky.embed.record`` for a quote, ``recordWithMedia`` for a quote
with pictures, ``external`` for a link card), plus optional extra ``tags`` not shown in the text.

Bluesky posts are identified by their AT URI (``at://<did>/app.bsky.feed.post/<rkey>``): replies and quotes
point at URIs, so the URI is the ``post_id`` and references join without a lookup.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from groundswell.sources.clock import iso_utc

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"


class Ref(msgspec.Struct, gc=False):
    uri: str = ""
    cid: str | None = None


class _Reply(msgspec.Struct, gc=False):
    root: Ref | None = None
    parent: Ref | None = None


class _Index(msgspec.Struct, gc=False):
    byteStart: int = 0


class _Feature(msgspec.Struct, gc=False, rename={"type": "$type"}):
    type: str = ""
    tag: str | None = None
    did: str | None = None
    uri: str | None = None


class _Facet(msgspec.Struct, gc=False):
    index: _Index | None = None
    features: list[_Feature] = []


class _External(msgspec.Struct, gc=False):
    uri: str | None = None


class _EmbedRecord(msgspec.Struct, gc=False, rename={"type": "$type"}):
    """``app.bsky.embed.record`` holds a strong ref; ``recordWithMedia`` nests that embed one level down."""

    type: str = ""
    uri: str | None = None
    record: _EmbedRecord | None = None


class _Embed(msgspec.Struct, gc=False, rename={"type": "$type"}):
    type: str = ""
    record: _EmbedRecord | None = None
    external: _External | None = None


class PostRecord(msgspec.Struct, gc=False, kw_only=True, rename={"type": "$type"}):
    type: str = POST
    text: str = ""
    createdAt: str | None = None
    langs: list[str] | None = None
    facets: list[_Facet] = []
    reply: _Reply | None = None
    embed: _Embed | None = None
    tags: list[str] = []
    subject: Ref | None = None  # reposts and likes: the post they point at


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def did_of(uri: str | None) -> str | None:
    """The author DID of an AT URI (``at://did:plc:x/app.bsky.feed.post/y`` → ``did:plc:x``)."""
    if not uri or not uri.startswith("at://"):
        return None
    return uri[5:].split("/", 1)[0]


def quoted_uri(embed: _Embed | None) -> str | None:
    if embed is None or embed.record is None:
        return None
    r = embed.record
    if embed.type.startswith("app.bsky.embed.recordWithMedia"):
        r = r.record if r.record is not None else r
    return r.uri or None


def record_time(created_at: str | None, seen: datetime | None) -> datetime:
    """The post's time: its ``createdAt``, unless missing, unreadable or later than the server saw it.

    ``createdAt`` is written by the client and can be anything; a post cannot be created after the network
    received it, so a future-dated record falls back to the server's clock (``time_us`` / ``indexedAt``).
    """
    when = None
    if created_at:
        try:
            when = iso_utc(created_at)
        except ValueError:
            when = None
    if when is None or (seen is not None and when > seen):
        if seen is None:
            raise ValueError(f"unreadable createdAt {created_at!r} and no server time")
        return seen
    return when


def post_fields(rec: PostRecord) -> dict[str, object]:
    """Schema fields that come from the record itself (kind, references, entities, language)."""
    hashtags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    for facet in sorted(rec.facets, key=lambda f: f.index.byteStart if f.index else 0):
        for feat in facet.features:
            if feat.type.endswith("#tag") and feat.tag:
                hashtags.append(feat.tag)
            elif feat.type.endswith("#mention") and feat.did:
                mentions.append(feat.did)
            elif feat.type.endswith("#link") and feat.uri:
                urls.append(feat.uri)
    hashtags.extend(t for t in rec.tags if t not in hashtags)
    card = rec.embed.external.uri if rec.embed is not None and rec.embed.external is not None else None
    if card and card not in urls:
        urls.append(card)
    parent = rec.reply.parent.uri if rec.reply is not None and rec.reply.parent is not None else None
    root = rec.reply.root.uri if rec.reply is not None and rec.reply.root is not None else None
    quote_of = quoted_uri(rec.embed)
    kind = "reply" if parent else "quote" if quote_of else "original"
    if not rec.facets and not rec.tags:
        hashtags_or_none: list[str] | None = None  # no facets at all (some clients): enrich reads the text
    else:
        hashtags_or_none = hashtags
    return {
        "text": rec.text,
        "lang": rec.langs[0] if rec.langs else None,
        "kind": kind,
        "parent_id": parent,
        "root_id": root,
        "quote_of": quote_of,
        "hashtags": hashtags_or_none,
        "mentions": mentions,
        "urls": urls,
        "raw_parent_author": did_of(parent),
    }
