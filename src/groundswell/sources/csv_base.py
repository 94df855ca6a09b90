"""Base for CSV exports (twarc-csv, CrowdTangle, Meta Content Library, …).

CSV can't be cut at newlines (quoted fields hold them), so the main process runs Python's csv module to find
record boundaries and hands workers lists of rows, each chunk carrying the header. Rows are mapped to posts by
the subclass's ``row_to_post``; a row that raises ``ValueError`` is quarantined with its message.

The csv module is fed decoded lines by ``_Lines`` rather than a ``TextIOWrapper``, for three defenses:
invalid UTF-8 is decoded with U+FFFD *and counted per record* (a wrapper would replace it silently);
a physical line is never held beyond ``max_line_bytes`` (a wrapper reads a whole line, however long); and
a record holding NUL bytes is quarantined. Whatever the csv module itself cannot read (a field over the
limit, an unterminated quote at the end of the file) is quarantined with its line numbers, and reading
goes on with the next record.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO

from groundswell.schema import Columns
from groundswell.sources.base import EXCERPT_CHARS, MAX_LINE_BYTES, Chunk, Parsed, Reader, Reject

ROWS_PER_CHUNK = 5000
# one field may not exceed the record limit (csv's own default, 128 KiB, is too small for real exports)
csv.field_size_limit(min(sys.maxsize, MAX_LINE_BYTES))


_CR = re.compile(r"(?<=\r)(?!\n)(?=.)", re.S)


class _Lines:
    """Physical lines of a byte stream, decoded for the csv module, noting what each record contained.

    ``replaced``, ``nul`` and ``over`` say whether the lines handed out since the last ``take()`` held
    invalid UTF-8, NUL bytes, or a line over the limit (whose bytes past the limit are skipped).
    """

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.first = True
        self.replaced = self.nul = False
        self.over = 0
        self.queue: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.queue:
            return self.queue.pop()
        text = self._line()
        if "\r" in text[:-2]:  # old Mac line ends: a lone CR ends a line too, as in universal newlines mode
            parts = _CR.split(text)
            self.queue = parts[:0:-1]
            return parts[0]
        return text

    def _line(self) -> str:
        raw = self.stream.readline(self.limit + 1)
        if not raw:
            raise StopIteration
        if len(raw) > self.limit and not raw.endswith(b"\n"):
            size = len(raw)
            while True:  # skip the rest of the line without keeping it
                more = self.stream.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            self.over = max(self.over, size)
            raw = raw[:200] + b"\n"
        if self.first:
            self.first = False
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
        if b"\x00" in raw:
            self.nul = True
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.replaced = True
            return raw.decode("utf-8", "replace")

    def take(self) -> tuple[bool, bool, int]:
        """(invalid UTF-8, NUL bytes, longest over-limit line) of the record just read; then reset."""
        out = (self.replaced, self.nul, self.over)
        self.replaced = self.nul = False
        self.over = 0
        return out


class CsvReader(Reader):
    #: header columns that identify the format (all must be present)
    signature: tuple[str, ...] = ()

    @classmethod
    def header_of(cls, head: bytes) -> list[str]:
        text = head.decode("utf-8-sig", "replace")
        first = next(csv.reader(io.StringIO(text)), [])
        return [c.strip() for c in first]

    @classmethod
    def sniff(cls, head: bytes) -> bool:
        if head.lstrip()[:1] in (b"{", b"["):
            return False
        cols = set(cls.header_of(head))
        return bool(cls.signature) and all(c in cols for c in cls.signature)

    def chunks(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        lines = _Lines(stream, self.max_line_bytes)
        reader = csv.reader(lines)
        try:
            header = [c.strip() for c in next(reader, [])]
        except csv.Error:
            header = []  # every row is then quarantined for its field count, the header's fault named there
        lines.take()
        rows: list[tuple[int, list[str]]] = []
        rejects: list[Reject] = []
        replaced = 0
        first = line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:  # csv resets itself: the next record starts on the next line
                lines.take()
                rejects.append(
                    Reject.of(source, line, f"unreadable CSV record: {e} (lines {line}-{reader.line_num})", "")
                )
                line = reader.line_num + 1
                continue
            bad_utf8, nul, over = lines.take()
            if over:
                reason = f"record over the size limit: a line of {over:,} bytes > {self.max_line_bytes:,}"
                rejects.append(Reject.of(source, line, reason, ",".join(row)[:EXCERPT_CHARS]))
            elif nul:
                rejects.append(Reject.of(source, line, "NUL bytes in the record", ",".join(row).replace("\x00", "")))
            else:
                rows.append((line, row))
                replaced += bad_utf8
            line = reader.line_num + 1
            if len(rows) + len(rejects) >= ROWS_PER_CHUNK:
                yield Chunk((header, rows), source, first, 0, tuple(rejects), replaced, end_line=line)
                rows, rejects, replaced, first = [], [], 0, line
        if rows or rejects:
            yield Chunk((header, rows), source, first, 0, tuple(rejects), replaced, end_line=line)

    def parse(self, chunk: Chunk) -> Parsed:
        header, rows = chunk.data
        cols = Columns()
        rejects: list[Reject] = []
        for line_no, row in rows:
            if not any(row):
                continue
            if len(row) != len(header):
                rejects.append(
                    Reject.of(
                        chunk.source, line_no, f"{len(row)} fields where the header has {len(header)}", ",".join(row)
                    )
                )
                continue
            try:
                self.row_to_post(dict(zip(header, row, strict=True)), cols, chunk.source, line_no)
            except (ValueError, KeyError) as e:
                rejects.append(Reject.of(chunk.source, line_no, f"bad row: {e}", ",".join(row)))
        return Parsed(cols.to_batch(), rejects, cols.n + len(rejects), cols.n)

    def row_to_post(self, row: dict[str, str], cols: Columns, source: str, line_no: int) -> None:
        raise NotImplementedError


def int_or_none(value: str | None) -> int | None:
    if value is None or value.strip() == "":
        return None
    return int(float(value))
