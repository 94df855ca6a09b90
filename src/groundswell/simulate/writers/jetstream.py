"""Bluesky posts as Jetstream commit events (NDJSON), the firehose's JSON face.

One event a line: ``{"did", "time_us", "kind": "commit", "commit": {"rev", "operation": "create",
"collection": "app.bsky.feed.post", "rkey", "record", "cid"}}``. The record is an ``app.bsky.feed.post``:
``$type``, ``createdAt``, ``langs``, ``text``, ``facets`` (one ``app.bsky.richtext.facet`` per hashtag with an
``app.bsky.richtext.facet#tag`` feature and **UTF-8 byte** ``byteStart``/``byteEnd`` — not code points), and
for replies ``reply: {root: {cid, uri}, parent: {cid, uri}}``; quotes embed the quoted post as
``app.bsky.embed.record``. ``rkey`` and ``rev`` are TIDs of the creation time; the post's id is its
``at://<did>/app.bsky.feed.post/<rkey>`` URI. ``time_us`` is when Jetstream relayed the commit, a fixed
quarter second after ``createdAt``. JSON is compact and UTF-8, like Jetstream's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from groundswell.simulate.config import SimConfig
from groundswell.simulate.ids import cid
from groundswell.simulate.record import Post
from groundswell.simulate.texts import hashtags
from groundswell.simulate.writers.base import Writer

RELAY_DELAY_US = 250_000


class JetstreamWriter(Writer):
    platform = "bluesky"

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        super().__init__(out, cfg)
        self.f = self.open(f"bluesky/{cfg.movement}-jetstream.jsonl")

    def write(self, post: Post) -> None:
        rkey = post.extra["rkey"]
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": post.iso_ms(), "langs": [post.lang]}
        text = post.text
        record["text"] = text
        facets = []
        for tag, start, end in hashtags(text):
            b0 = len(text[:start].encode("utf-8"))
            b1 = b0 + len(text[start:end].encode("utf-8"))
            facets.append(
                {
                    "$type": "app.bsky.richtext.facet",
                    "index": {"byteStart": b0, "byteEnd": b1},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
                }
            )
        if facets:
            record["facets"] = facets
        parent = post.parent
        if post.kind == "reply" and parent is not None:
            root = post.thread
            assert root is not None
            record["reply"] = {
                "root": {"cid": root.cid, "uri": root.uri},
                "parent": {"cid": parent.cid, "uri": parent.uri},
            }
        elif post.kind == "quote" and parent is not None:
            record["embed"] = {"$type": "app.bsky.embed.record", "record": {"cid": parent.cid, "uri": parent.uri}}
        post.cid = cid(orjson.dumps(record) + post.author.id.encode())
        event = {
            "did": post.author.id,
            "time_us": post.unix_ms * 1000 + RELAY_DELAY_US,
            "kind": "commit",
            "commit": {
                "rev": rkey,
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": rkey,
                "record": record,
                "cid": post.cid,
            },
        }
        self.f.write(orjson.dumps(event) + b"\n")

    def close(self) -> None:
        self.f.close()
