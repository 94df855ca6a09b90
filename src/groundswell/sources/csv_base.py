"""Base for CSV exports (twarc-csv, CrowdTangle, Meta Content Library, …).

CSV can't be cut at newlines (quoted fields hold them), so the main process runs Python's csv module to find
record boundaries and hands workers lists of rows, each chunk carrying the header. Rows are mapped to posts by
the subclass's ``row_to_post``; a row that raises ``ValueError`` is quarantined with its message.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from typing import BinaryIO

from groundswell.schema import Columns
from groundswell.sources.base import Chunk, Parsed, Reader, Reject

ROWS_PER_CHUNK = 5000
csv.field_size_limit(min(sys.maxsize, 1 << 30))


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
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        try:
            yield from self._row_chunks(csv.reader(text), source)
        finally:
            text.detach()  # the caller still owns (and drains, for the content hash) the byte stream

    def _row_chunks(self, reader: Iterator[list[str]], source: str) -> Iterator[Chunk]:
        header = [c.strip() for c in next(reader, [])]
        rows: list[tuple[int, list[str]]] = []
        first = 2
        line = reader.line_num + 1  # type: ignore[attr-defined]
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1  # type: ignore[attr-defined]
            if len(rows) >= ROWS_PER_CHUNK:
                yield Chunk((header, rows), source, first, 0)
                rows = []
                first = line
        if rows:
            yield Chunk((header, rows), source, first, 0)

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
