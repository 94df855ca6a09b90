"""Mastodon statuses: REST arrays (timelines, hashtag timelines, ``statuses/:id/context`` lists) and the
streaming API, saved either as raw server-sent events (``event: update`` / ``data: {...}``) or as WebSocket
messages (``{"stream": [...], "event": "update", "payload": "<status as a JSON string>"}``), or as one status a
line.

Mapping choices, and why:

* ``post_id`` is the status ``id``. Ids are local to the server the data was fetched from, and so are
  ``in_reply_to_id`` and ``reblog.id``; keeping the local id keeps those references joinable. (The
  federation-wide ``uri`` would dedupe across servers but would orphan every reference.)
* the author is ``@user@server`` in lower case, built from ``acct`` (``user`` for local accounts, completed
  with the server of ``account.url``), so one person has one pseudonym whichever server reported them.
  ``community`` is that server.
* ``content`` is HTML, converted to text (``html_text``). A content warning (``spoiler_text``) is text the
  author wrote and the first thing readers see — on #MeToo posts often the most telling line — so it leads
  the text, followed by a blank line.
* a reblog is a repost of ``reblog`` (stored too, as a reference); a quote (Mastodon 4.4 ``quote``) is a quote.
* the parent's author is known only as a server-local account id; it is mapped to ``@user@server`` through
  the status's own mentions (a reply mentions whom it answers) and left empty otherwise.
* ``delete`` events are deletion notices; ``status.update`` is an edited status (stored again, same key:
  the newest version wins downstream); notifications and other events are not posts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import msgspec
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Reject
from groundswell.sources.clock import iso_utc
from groundswell.sources.html_text import html_to_text
from groundswell.sources.json_doc import JsonDocReader, head_record


class _Account(msgspec.Struct, gc=False):
    id: str = ""
    username: str = ""
    acct: str = ""
    url: str | None = None
    followers_count: int | None = None


class _Tag(msgspec.Struct, gc=False):
    name: str = ""


class _Mention(msgspec.Struct, gc=False):
    id: str = ""
    username: str = ""
    acct: str = ""
    url: str | None = None


class _Card(msgspec.Struct, gc=False):
    url: str | None = None


class _Quote(msgspec.Struct, gc=False):
    state: str | None = None
    quoted_status: _Status | None = None
    quoted_status_id: str | None = None


class _Status(msgspec.Struct, gc=False, kw_only=True):
    id: str
    created_at: str
    account: _Account
    content: str  # required: notifications also have id, created_at and account
    spoiler_text: str = ""
    language: str | None = None
    in_reply_to_id: str | None = None
    in_reply_to_account_id: str | None = None
    reblog: _Status | None = None
    quote: _Quote | None = None
    tags: list[_Tag] = []
    mentions: list[_Mention] = []
    card: _Card | None = None
    replies_count: int | None = None
    reblogs_count: int | None = None
    favourites_count: int | None = None
    quotes_count: int | None = None


class _Event(msgspec.Struct, gc=False):
    event: str
    payload: str | None = None


_status_decoder = msgspec.json.Decoder(_Status)
_event_decoder = msgspec.json.Decoder(_Event)


def _server(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _full_acct(acct: str, url: str | None) -> str:
    """``user`` (local) or ``user@server`` → ``@user@server``, lower case."""
    if "@" not in acct:
        server = _server(url)
        acct = f"{acct}@{server}" if server else acct
    return "@" + acct.lower()


class MastodonReader(JsonDocReader):
    name = "mastodon"
    platform = "mastodon"
    description = "Mastodon API statuses: timeline arrays, streaming events (SSE or WebSocket), one status a line"

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        first = head_record(head)
        if first.startswith((b"event:", b":")):  # server-sent events, possibly after a heartbeat comment
            return b"\ndata:" in first or first.startswith(b"data:")
        if first.startswith(b"["):
            first = first[1:].lstrip()
        if not first.startswith(b"{"):
            return False
        if b'"event":' in first and b'"payload":' in first:
            return True
        return b'"content":' in first and b'"account":' in first and b'"visibility":' in first

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        if line.startswith((b"event:", b":", b"id:", b"retry:")):
            return 0  # SSE framing and heartbeats: not records
        if line.startswith(b"data:"):
            return self._sse_data(line[5:].strip(), line, line_no, source, cols, rejects)
        try:
            st = _status_decoder.decode(line)
        except msgspec.DecodeError:
            return self._other(line, line_no, source, cols, rejects)
        try:
            _add(cols, st, source, line_no, False)
        except ValueError as e:
            rejects.append(Reject.of(source, line_no, f"bad status: {e}", line))
            return 0
        return 1

    def _sse_data(
        self, data: bytes, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]
    ) -> int:
        if data.isdigit() or data.startswith(b'"'):  # the payload of a delete event is the bare status id
            status_id = data.strip(b'"').decode("utf-8", "replace")
            rejects.append(Reject.of(source, line_no, f"deletion notice: status {status_id}", line))
            return 0
        return self.parse_record(data, line_no, source, cols, rejects)

    def _other(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        try:
            obj: Any = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            rejects.append(Reject.of(source, line_no, f"invalid JSON: {e}", line))
            return 0
        if isinstance(obj, dict) and "event" in obj:
            ev = msgspec.convert(obj, _Event, strict=False)
            if ev.event in ("update", "status.update") and ev.payload:
                return self.parse_record(ev.payload.encode(), line_no, source, cols, rejects)
            if ev.event == "delete":
                rejects.append(Reject.of(source, line_no, f"deletion notice: status {ev.payload}", line))
                return 0
            rejects.append(Reject.of(source, line_no, f"not a post: {ev.event} event", line))
            return 0
        if isinstance(obj, dict) and "type" in obj and "account" in obj and "content" not in obj:
            rejects.append(Reject.of(source, line_no, f"not a post: {obj['type']} notification", line))
            return 0
        if isinstance(obj, dict) and "error" in obj:
            rejects.append(Reject.of(source, line_no, f"API error object: {obj['error']}", line))
            return 0
        missing = [k for k in ("id", "created_at", "account") if not isinstance(obj, dict) or k not in obj]
        detail = f"missing {', '.join(missing)}" if missing else "malformed field"
        rejects.append(Reject.of(source, line_no, f"not a status: {detail}", line))
        return 0


def _add(cols: Columns, st: _Status, source: str, line_no: int, is_reference: bool) -> None:
    created = iso_utc(st.created_at)  # first: a bad clock rejects the record before any row
    kind = "original"
    parent = repost_of = quote_of = None
    if st.reblog is not None:
        kind = "repost"
        repost_of = st.reblog.id
        _add(cols, st.reblog, source, line_no, True)
    if st.in_reply_to_id:
        parent = st.in_reply_to_id
        if kind == "original":
            kind = "reply"
    q = st.quote
    if q is not None and (q.quoted_status is not None or q.quoted_status_id):
        quote_of = q.quoted_status.id if q.quoted_status is not None else q.quoted_status_id
        if kind == "original":
            kind = "quote"
        if q.quoted_status is not None:
            _add(cols, q.quoted_status, source, line_no, True)
    acc = st.account
    author = _full_acct(acc.acct or acc.username, acc.url)
    body = html_to_text(st.content)
    text = f"{st.spoiler_text}\n\n{body}" if st.spoiler_text and body else st.spoiler_text or body
    parent_author = None
    if st.in_reply_to_account_id:
        for m in st.mentions:
            if m.id == st.in_reply_to_account_id:
                parent_author = _full_acct(m.acct or m.username, m.url)
                break
    cols.add(
        platform="mastodon",
        post_id=st.id,
        created_at=created,
        text=text,
        lang=st.language,
        kind=kind,
        parent_id=parent,
        repost_of=repost_of,
        quote_of=quote_of,
        community=author.rsplit("@", 1)[1] if author.count("@") == 2 else None,
        hashtags=[t.name for t in st.tags],
        mentions=[_full_acct(m.acct or m.username, m.url) for m in st.mentions],
        urls=[st.card.url] if st.card is not None and st.card.url else [],
        like_count=st.favourites_count,
        repost_count=st.reblogs_count,
        reply_count=st.replies_count,
        quote_count=st.quotes_count,
        author_followers=acc.followers_count,
        is_reference=is_reference,
        source_file=source,
        source_line=line_no,
        raw_author=author,
        raw_parent_author=parent_author,
        author_handle=acc.acct or acc.username,
    )
