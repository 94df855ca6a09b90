"""Bluesky through Jetstream: one JSON event a line, as a Jetstream client writes them.

An event is ``{"did", "time_us", "kind": "commit" | "identity" | "account", "commit": {"rev", "operation":
"create" | "update" | "delete", "collection", "rkey", "record", "cid"}}``. Before Jetstream's October 2024
rename the same events read ``"type": "com" | "id" | "acc"`` and ``"commit": {"type": "c" | "u" | "d"}``;
archives recorded then are read too.

Only ``app.bsky.feed.post`` records are posts; an ``app.bsky.feed.repost`` record is a repost (kind
``repost`` of its ``subject``), the Bluesky counterpart of a retweet. Deletes of either are deletion notices.
Likes, follows, blocks, profiles, identity and account events are not posts: quarantined, each with its
kind in the reason, so a firehose sample reconciles to the line.

``time_us`` is when the relay saw the commit; it bounds the client-written ``createdAt`` (see
``bluesky_record.record_time``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from groundswell.schema import Columns
from groundswell.sources.base import LineReader, Reject
from groundswell.sources.bluesky_record import POST, REPOST, PostRecord, at_uri, post_fields, record_time
from groundswell.sources.json_doc import head_record

_OPS = {"c": "create", "u": "update", "d": "delete"}
_KINDS = {"com": "commit", "id": "identity", "acc": "account"}


class _Commit(msgspec.Struct, gc=False, kw_only=True):
    operation: str | None = None
    type: str | None = None  # pre-2024 name of ``operation``
    collection: str = ""
    rkey: str = ""
    record: PostRecord | None = None


class _Event(msgspec.Struct, gc=False, kw_only=True):
    did: str
    time_us: int | None = None
    kind: str | None = None
    type: str | None = None  # pre-2024 name of ``kind``
    commit: _Commit | None = None


_decoder = msgspec.json.Decoder(_Event)


class BlueskyJetstreamReader(LineReader):
    name = "bluesky-jetstream"
    platform = "bluesky"
    description = "Bluesky Jetstream events (JSON lines): app.bsky.feed.post and repost commits"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head, 4096)
        return first.startswith(b"{") and b'"did":' in first and b'"time_us":' in first

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            ev = _decoder.decode(line)
        except msgspec.ValidationError as e:
            rejects.append(Reject.of(source, line_no, f"not a Jetstream event: {e}", line))
            return 0
        except msgspec.DecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        kind = ev.kind or _KINDS.get(ev.type or "", ev.type)
        if kind != "commit" or ev.commit is None:
            rejects.append(Reject.of(source, line_no, f"not a post: {kind} event", line))
            return 0
        c = ev.commit
        op = c.operation or _OPS.get(c.type or "", c.type)
        uri = at_uri(ev.did, c.collection, c.rkey)
        if op == "delete":
            rejects.append(Reject.of(source, line_no, f"deletion notice: {c.collection} {uri}", line))
            return 0
        if c.collection not in (POST, REPOST):
            rejects.append(Reject.of(source, line_no, f"not a post: {c.collection} record", line))
            return 0
        if c.record is None:
            rejects.append(Reject.of(source, line_no, f"{op} commit without a record", line))
            return 0
        seen = datetime.fromtimestamp(ev.time_us / 1e6, tz=UTC) if ev.time_us else None
        try:
            created = record_time(c.record.createdAt, seen)
        except ValueError as e:
            rejects.append(Reject.of(source, line_no, str(e), line))
            return 0
        if c.collection == REPOST:
            subject = c.record.subject.uri if c.record.subject is not None else None
            if not subject:
                rejects.append(Reject.of(source, line_no, "repost record without a subject", line))
                return 0
            fields: dict[str, object] = {"kind": "repost", "repost_of": subject, "text": None}
        else:
            fields = post_fields(c.record)
        cols.add(
            platform="bluesky",
            post_id=uri,
            created_at=created,
            is_reference=False,
            source_file=source,
            source_line=line_no,
            raw_author=ev.did,
            **fields,
        )
        return 1
