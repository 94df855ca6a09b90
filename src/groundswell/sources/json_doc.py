"""Base for JSON formats that arrive either as lines or as whole documents.

The same API objects get saved in two shapes: one object a line (streaming APIs, ``jq -c``, most collectors)
or one JSON document per file (a timeline page saved with ``curl``, ``{"posts": [...]}`` from Bluesky's
``getPosts`` / ``searchPosts``, a v1.1 ``{"statuses": [...]}`` search page), often pretty-printed.

Lines go through ``LineReader`` unchanged. A document is streamed with ijson's C backend: each element of the
top-level array (or of the known list key, e.g. ``posts``) is rebuilt on its own and re-encoded as one compact
JSON line, so memory is bounded by the largest *element*, not by the file, and every subclass parses exactly
one shape of bytes. ``source_line`` of a streamed element is its 1-based position in the document.

A document that breaks off mid-way (truncated download) keeps the elements read before the break and adds one
quarantined record saying where and why it stopped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

import ijson
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Chunk, LineReader, Reject

HEAD_BYTES = 64 << 10
ITEMS_PER_CHUNK = 2000
# Streamed elements that could not be read become one line starting with this marker (never valid JSON).
_BROKEN = b"\x00broken-document\x00"


class _Prefixed(io.RawIOBase):
    """The bytes already read to look at the file, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self.head:
            n = min(len(b), len(self.head))
            b[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.rest.read(len(b))
        b[: len(data)] = data
        return len(data)


def _first_line_is_whole(head: bytes) -> bool:
    """True when the file is JSON lines: its first line is a complete JSON value (or longer than the head)."""
    body = head.lstrip()
    cut = body.find(b"\n")
    if cut < 0:
        return True  # one line (or a first line longer than the head): read it as a line
    try:
        orjson.loads(body[:cut])
    except orjson.JSONDecodeError:
        return False
    return True


class JsonDocReader(LineReader):
    """A LineReader that also streams the elements of a JSON document (top-level array or known list key)."""

    #: ijson prefixes of the list that holds the records in a document (``posts`` for Bluesky, ``statuses``
    #: for a v1.1 search page, ``data.children`` for a Reddit listing)
    list_keys: ClassVar[tuple[str, ...]] = ()

    def chunks(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        head = stream.read(HEAD_BYTES) or b""
        whole = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 20)
        start = head.lstrip()[:1]
        if start == b"[":
            yield from self._stream_items(whole, "item", source)
        elif start == b"{" and not _first_line_is_whole(head):
            key = self._list_key(head)
            if key is not None:
                yield from self._stream_items(whole, key + ".item", source)
            else:  # one pretty-printed object of unknown shape: bounded by the document, read it whole
                yield from self._whole_document(whole, source)
        else:
            yield from super().chunks(whole, source)

    def _list_key(self, head: bytes) -> str | None:
        """The ijson prefix (``posts``, ``data.children``) of the first known list opening in the head."""
        by_last = {k.rsplit(".", 1)[-1].encode(): k for k in self.list_keys}
        if not by_last:
            return None
        alternatives = b"|".join(re.escape(k) for k in by_last)
        m = re.search(rb'"(' + alternatives + rb')"\s*:\s*\[', head)
        return by_last[m.group(1)] if m else None

    def _stream_items(self, stream: BinaryIO, prefix: str, source: str) -> Iterator[Chunk]:
        lines: list[bytes] = []
        first = 1
        n = 0
        try:
            for item in ijson.items(stream, prefix, use_float=True):
                lines.append(orjson.dumps(item))
                n += 1
                if len(lines) >= ITEMS_PER_CHUNK:
                    yield Chunk(b"\n".join(lines) + b"\n", source, first, 0)
                    first = n + 1
                    lines = []
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as e:
            detail = " ".join(str(e).split())
            lines.append(_BROKEN + f"document breaks off after element {n}: {detail}".encode())
        if lines:
            yield Chunk(b"\n".join(lines) + b"\n", source, first, 0)

    def _whole_document(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        raw = stream.read()
        try:
            yield Chunk(orjson.dumps(orjson.loads(raw)) + b"\n", source, 1, 0)
        except orjson.JSONDecodeError as e:
            detail = " ".join(str(e).split())
            yield Chunk(_BROKEN + f"not a JSON document: {detail}".encode() + b"\n", source, 1, 0)

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        if line.startswith(_BROKEN):
            rejects.append(Reject.of(source, line_no, line[len(_BROKEN) :].decode("utf-8", "replace"), line))
            return 0
        return self.parse_record(line, line_no, source, cols, rejects)

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        """Add the posts of one JSON record to ``cols`` (or a reject); return how many were primary posts."""
        raise NotImplementedError


def head_record(head: bytes, limit: int = 16384) -> bytes:
    """The start of a file's first record, for sniffing: a line for JSONL, the opening of a document otherwise."""
    return head.lstrip()[:limit]
