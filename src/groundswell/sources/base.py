"""The Reader interface: how a file format becomes batches of normalized posts.

A reader has two halves so that parsing can run on every core:

* ``chunks(stream)`` runs in the main process and cuts the (already decompressed) byte stream into
  self-contained pieces — whole lines for JSON-lines formats, whole documents otherwise. It must be cheap:
  it does no parsing beyond finding record boundaries.
* ``parse(chunk)`` is a pure function of one chunk. It runs in worker processes (or inside Spark's
  ``mapInArrow``), so it touches no store, no global state and no file.

Every record a chunk holds ends up either as a row of ``posts`` or as a ``Reject`` with a reason, and
``n_records`` counts them, so ingest can reconcile read = stored + duplicates + rejected.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, ClassVar

import pyarrow as pa

from groundswell.schema import RAW_SCHEMA, Columns

EXCERPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole records, with where they came from: raw bytes for line formats, parsed rows for CSV."""

    data: Any
    source: str
    first_line: int  # 1-based line (or record) number of the first record in ``data``
    byte_offset: int


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that could not become a post, kept so nobody has to wonder where it went."""

    source: str
    line: int
    reason: str
    excerpt: str

    @classmethod
    def of(cls, source: str, line: int, reason: str, raw: bytes | str) -> Reject:
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        return cls(source, line, reason, text[:EXCERPT_CHARS])


@dataclass(slots=True)
class Parsed:
    """What ``parse`` returns for one chunk."""

    posts: pa.RecordBatch
    rejects: list[Reject] = field(default_factory=list)
    n_records: int = 0  # records read: every one is a post or a reject (referenced posts count as records)
    n_primary: int = 0  # of the posts, those that were matches of the collection (not includes/references)


class Reader(ABC):
    """One file format. Subclasses live one per module in ``groundswell.sources``."""

    #: short name used by ``--format``
    name: ClassVar[str]
    #: platform of the posts this format carries
    platform: ClassVar[str]
    #: one line for ``groundswell formats``
    description: ClassVar[str] = ""

    @classmethod
    @abstractmethod
    def sniff(cls, head: bytes) -> bool:
        """True when the first bytes of a (decompressed) file look like this format."""

    @abstractmethod
    def chunks(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        """Cut the stream into self-contained chunks of whole records."""

    @abstractmethod
    def parse(self, chunk: Chunk) -> Parsed:
        """Turn one chunk into posts and rejects. Pure: runs in worker processes."""


CHUNK_BYTES = 4 << 20


class LineReader(Reader):
    """Base for formats with one record per line (JSONL/NDJSON): chunks are newline-aligned blocks."""

    chunk_bytes: int = CHUNK_BYTES

    def chunks(self, stream: BinaryIO, source: str) -> Iterator[Chunk]:
        line_no = 1
        offset = 0
        tail = b""
        while True:
            block = stream.read(self.chunk_bytes)
            if not block:
                break
            block = tail + block
            cut = block.rfind(b"\n")
            if cut < 0:
                tail = block
                continue
            body, tail = block[: cut + 1], block[cut + 1 :]
            yield Chunk(body, source, line_no, offset)
            line_no += body.count(b"\n")
            offset += len(body)
        if tail:
            yield Chunk(tail, source, line_no, offset)

    def parse(self, chunk: Chunk) -> Parsed:
        cols = Columns()
        rejects: list[Reject] = []
        n_records = 0
        n_primary = 0
        for i, line in enumerate(chunk.data.split(b"\n")):
            if not line.strip():
                continue
            line_no = chunk.first_line + i
            before = cols.n
            n_rejected = len(rejects)
            primary = self.parse_line(line, line_no, chunk.source, cols, rejects)
            n_records += (cols.n - before) + (len(rejects) - n_rejected)
            n_primary += primary
        return Parsed(cols.to_batch(), rejects, n_records, n_primary)

    def parse_line(self, line: bytes, line_no: int, source: str, cols: Columns, rejects: list[Reject]) -> int:
        """Add the posts of one line to ``cols`` (or a reject); return how many were primary posts."""
        raise NotImplementedError


def batch_of(cols: Columns) -> pa.RecordBatch:
    return cols.to_batch() if cols.n else pa.RecordBatch.from_pylist([], schema=RAW_SCHEMA)
