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

ijson has no bound of its own on nesting depth (its cost grows with the square of the depth: a 20,000-deep
``[[[…]]]`` takes a gigabyte) nor on the size of one element, so the document is read through ``_Watch``,
which tracks the depth in C-speed passes over each block and stops the document, with a quarantined record
saying why, past ``MAX_DEPTH`` levels or ``max_line_bytes`` bytes in one element.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

import ijson
import numpy as np
import orjson

from groundswell.schema import Columns
from groundswell.sources.base import Chunk, LineReader, Reject

HEAD_BYTES = 64 << 10
ITEMS_PER_CHUNK = 2000
#: deeper than any real API object (a tweet with its quoted tweet nests about 10 levels)
MAX_DEPTH = 512


_ESCAPE = re.compile(rb"\\.", re.S)
_STRING = re.compile(rb'"[^"]*"')
_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))


class _Watch(io.RawIOBase):
    """The document stream as ijson reads it, with a depth bound and a per-element byte bound.

    Depth is tracked without a Python loop over bytes: escapes are removed, then everything but quotes and
    brackets, then whole strings; what is left is brackets, whose running sum (numpy) is the depth.
    """

    def __init__(self, raw: BinaryIO, max_bytes: int, max_depth: int = MAX_DEPTH) -> None:
        self.raw = raw
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.depth = 0
        self.in_string = False
        self.carry = b""  # a trailing backslash that escapes the next block's first byte
        self.since_mark = 0
        self.tripped: str | None = None

    def readable(self) -> bool:
        return True

    def mark(self) -> None:
        """An element was completed: its byte budget starts again."""
        self.since_mark = 0

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        # a bound ends the stream (an exception here would also drop what the buffer above had read)
        if self.tripped:
            return 0
        data = self.raw.read(len(b))
        if not data:
            return 0
        self.since_mark += len(data)
        if self.since_mark > self.max_bytes:
            self.tripped = f"an element is over the size limit of {self.max_bytes:,} bytes"
            return 0
        start = (self.depth, self.in_string, self.carry)
        if not self._track(data):
            # hand over the bytes before the bound, so the elements there are still read, then stop
            data = data[: self._cut(data, *start)]
            self.tripped = f"nested deeper than {self.max_depth} levels (a JSON nesting bomb?)"
        b[: len(data)] = data
        return len(data)

    def _track(self, block: bytes) -> bool:
        """Follow the depth through a block; False when it goes past ``max_depth``."""
        data = self.carry + block
        run = len(data) - len(data.rstrip(b"\\"))
        self.carry = b""
        if run % 2:
            self.carry, data = b"\\", data[:-1]
        s = _ESCAPE.sub(b"", data).translate(None, _NOT_STRUCTURE)
        if self.in_string:
            s = b'"' + s
        s = _STRING.sub(b"", s)
        q = s.find(b'"')
        self.in_string = q >= 0
        if q >= 0:
            s = s[:q]
        if not s:
            return True
        steps = np.frombuffer(s, np.uint8)
        depths = np.cumsum(np.where((steps == 91) | (steps == 123), 1, -1)) + self.depth
        self.depth = int(depths[-1])
        return int(depths.max()) <= self.max_depth

    def _cut(self, block: bytes, depth: int, in_string: bool, carry: bytes) -> int:
        """Where in ``block`` the depth first passes the bound: a plain scan, run once, on the block that trips."""
        escaped = bool(carry)
        for i, c in enumerate(block):
            if escaped:
                escaped = False
            elif in_string:
                if c == 92:  # backslash
                    escaped = True
                elif c == 34:
                    in_string = False
            elif c == 34:
                in_string = True
            elif c in (91, 123):
                depth += 1
                if depth > self.max_depth:
                    return i
            elif c in (93, 125):
                depth -= 1
        return len(block)


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
        rejects: list[Reject] = []
        watch = _Watch(stream, self.max_line_bytes)
        try:
            for item in ijson.items(io.BufferedReader(watch, 64 << 10), prefix, use_float=True):
                watch.mark()
                n += 1
                try:
                    lines.append(orjson.dumps(item))
                except orjson.JSONEncodeError as e:  # e.g. nested past orjson's limit, yet under MAX_DEPTH
                    lines.append(b"")
                    rejects.append(Reject.of(source, n, f"unreadable element: {e}", b""))
                if len(lines) >= ITEMS_PER_CHUNK:
                    yield self._items_chunk(lines, rejects, source, first, n)
                    first, lines, rejects = n + 1, [], []
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as e:
            detail = watch.tripped or " ".join(str(e).split())
            rejects.append(Reject.of(source, n + 1, f"document breaks off after element {n}: {detail}", detail))
            n += 1
        if lines or rejects:
            yield self._items_chunk(lines, rejects, source, first, n)

    @staticmethod
    def _items_chunk(lines: list[bytes], rejects: list[Reject], source: str, first: int, n: int) -> Chunk:
        # a rejected element stays as an empty line so the lines after it keep their element numbers
        data = b"\n".join(lines) + b"\n" if lines else b""
        return Chunk(data, source, first, 0, tuple(rejects), end_line=n + 1)

    def _whole_document(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        raw = stream.read(self.max_line_bytes + 1)
        if len(raw) > self.max_line_bytes:
            reason = f"record over the size limit: a document of more than {self.max_line_bytes:,} bytes"
            yield Chunk(b"", source, 1, 0, (Reject.of(source, 1, reason, raw[:200]),), end_line=2)
            return
        try:
            yield Chunk(orjson.dumps(orjson.loads(raw)) + b"\n", source, 1, 0, end_line=2)
        except orjson.JSONDecodeError as e:
            detail = " ".join(str(e).split())
            yield Chunk(b"", source, 1, 0, (Reject.of(source, 1, f"not a JSON document: {detail}", raw),), end_line=2)

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        return self.parse_record(line, line_no, source, cols, rejects)

    def parse_record(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        """Add the posts of one JSON record to ``cols`` (or a reject); return how many were primary posts."""
        raise NotImplementedError


def head_record(head: bytes, limit: int = 16384) -> bytes:
    """The start of a file's first record, for sniffing: a line for JSONL, the opening of a document otherwise."""
    return head.lstrip()[:limit]
