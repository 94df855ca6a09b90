"""The Reader interface: how a file format becomes batches of normalized posts.

A reader has two halves so that parsing can run on every core:

* ``chunks(stream)`` runs in the main process and cuts the (already decompressed) byte stream into
  self-contained pieces — whole lines for JSON-lines formats, whole documents otherwise. It must be cheap:
  it does no parsing beyond finding record boundaries.
* ``parse(chunk)`` is a pure function of one chunk. It runs in worker processes (or inside Spark's
  ``mapInArrow``), so it touches no store, no global state and no file.

Every record a chunk holds ends up either as a row of ``posts`` or as a ``Reject`` with a reason, and
``n_records`` counts them, so ingest can reconcile read = stored + duplicates + rejected.

Input defenses live here, once, rather than in each reader (see ``defended``): every subclass's ``parse``
is wrapped when the class is defined, so a reader written tomorrow gets them too, and so do callers that
use ``parse`` directly (tests, Spark). A chunk is cleaned before the reader sees it: lines over the size
limit and lines holding NUL bytes are quarantined, invalid UTF-8 is decoded with U+FFFD and counted in
``Parsed.replaced_utf8`` (the record is kept). A reader that still raises (a JSON nesting bomb hitting
msgspec's recursion limit, a bug) has its chunk bisected until the offending records are isolated and
quarantined with the exception as reason: one bad record never costs its neighbours, and ingest never dies
of its input.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO, ClassVar

import pyarrow as pa

from groundswell.schema import RAW_SCHEMA, Columns

EXCERPT_CHARS = 200
#: default limit on one record's size in bytes (a line, a CSV row, a document element); configurable per
#: reader instance (``reader.max_line_bytes``) and on ``groundswell ingest --max-line-bytes``
MAX_LINE_BYTES = 64 << 20


@dataclass(frozen=True, slots=True)
class Chunk:
    """Whole records, with where they came from: raw bytes for line formats, parsed rows for CSV."""

    data: Any
    source: str
    first_line: int  # 1-based line (or record) number of the first record in ``data``
    byte_offset: int
    #: records the chunker already had to reject (a line over the size limit it did not keep in memory, a
    #: CSV record the csv module could not read, a document that breaks off): counted by ``parse``
    rejects: tuple[Reject, ...] = ()
    #: records in ``data`` the chunker decoded with U+FFFD for invalid UTF-8 (CSV decodes in the chunker)
    replaced_utf8: int = 0
    #: where the next chunk starts (line / record number and decompressed byte offset; 0 when unknown):
    #: ingest records it with each commit so an interrupted ingest can resume after the last stored chunk
    end_line: int = 0
    end_offset: int = 0


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
    replaced_utf8: int = 0  # records whose invalid UTF-8 was decoded with U+FFFD (kept, not rejected)


def _skip_line(stream: BinaryIO, start: bytes, block_bytes: int) -> tuple[int, bytes | None]:
    """Read past the rest of an over-long line: (its length, the bytes after its newline or None at EOF)."""
    n = len(start)
    while True:
        block = stream.read(block_bytes)
        if not block:
            return n, None
        cut = block.find(b"\n")
        if cut >= 0:
            return n + cut, block[cut + 1 :]
        n += len(block)


def _oversize(source: str, line: int, size: int, limit: int, raw: bytes) -> Reject:
    return Reject.of(
        source,
        line,
        f"record over the size limit: {size:,} bytes > {limit:,} (raise it with --max-line-bytes)",
        raw[:EXCERPT_CHARS],
    )


def _nul(source: str, line: int, raw: bytes) -> Reject:
    what = (
        "a zero-filled region, as a writer that crashed or a preallocated file leaves"
        if not raw.strip(b"\x00 \t\r")
        else f"{raw.count(0)} NUL byte(s) inside the record"
    )
    return Reject.of(source, line, f"NUL bytes: {what}", raw.replace(b"\x00", b"")[:EXCERPT_CHARS] or b"\\0")


def _valid_utf8(data: bytes) -> bool:
    """UTF-8 validation without building a str: Arrow's (SIMD) check, about twice as fast as ``decode``."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    arr = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        arr.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _clean_lines(data: bytes, chunk: Chunk, limit: int) -> tuple[bytes, list[Reject], int]:
    """Blank out lines over the limit or holding NUL bytes (as rejects) and repair invalid UTF-8.

    Blanked lines stay as empty lines, so every other line keeps its number. The common case, a chunk of
    valid UTF-8 with nothing to do, costs one scan for NUL and one validation of the bytes.
    """
    if len(data) <= limit and b"\x00" not in data and (data.isascii() or _valid_utf8(data)):
        return data, [], 0
    lines = data.split(b"\n")
    rejects: list[Reject] = []
    repaired = 0
    for i, line in enumerate(lines):
        if len(line) > limit:
            rejects.append(_oversize(chunk.source, chunk.first_line + i, len(line), limit, line))
            lines[i] = b""
        elif b"\x00" in line:
            rejects.append(_nul(chunk.source, chunk.first_line + i, line))
            lines[i] = b""
        elif not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                lines[i] = line.decode("utf-8", "replace").encode("utf-8")
                repaired += 1
    return b"\n".join(lines), rejects, repaired


def _explain_exception(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return f"nested too deeply to read (a JSON nesting bomb?): {e}"
    detail = " ".join(str(e).split())[:300]
    return f"unreadable record: {type(e).__name__}: {detail}"


def _units(chunk: Chunk) -> tuple[list[Any], Callable[[list[Any], int], Chunk]] | None:
    """Split a chunk into records and say how to rebuild a chunk from a run of them (for bisection)."""
    data = chunk.data
    if isinstance(data, bytes):
        lines = data.split(b"\n")
        return lines, lambda part, i: replace(chunk, data=b"\n".join(part), first_line=chunk.first_line + i)
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], list):  # CSV: (header, rows)
        header, rows = data
        return rows, lambda part, i: replace(chunk, data=(header, part))
    return None


def _unit_reject(chunk: Chunk, unit: Any, e: BaseException) -> Reject | None:
    if isinstance(unit, bytes):
        if not unit.strip():
            return None
        return Reject.of(chunk.source, chunk.first_line, _explain_exception(e), unit)
    line, row = unit  # CSV (line number, fields)
    if not any(row):
        return None
    return Reject.of(chunk.source, line, _explain_exception(e), ",".join(row))


def _bisect(parse: Callable[[Any, Chunk], Parsed], self: Any, chunk: Chunk) -> list[Parsed]:
    """Parse a chunk that raised by halves, down to the single records that raise; those become rejects."""
    split = _units(chunk)
    if split is None:
        raise RuntimeError(f"{chunk.source}: a reader failed on a chunk it cannot split")
    units, rebuild = split
    out: list[Parsed] = []
    stack = [(0, len(units))]  # depth first, lower half first: results come out in record order
    while stack:
        lo, hi = stack.pop()
        part = rebuild(units[lo:hi], lo)
        try:
            out.append(parse(self, part))
            continue
        except Exception as e:
            if hi - lo == 1:
                r = _unit_reject(part, units[lo], e)
                if r is not None:
                    out.append(Parsed(_empty_batch(), [r], 1, 0))
                continue
        mid = (lo + hi) // 2
        stack += [(mid, hi), (lo, mid)]
    return out


def _empty_batch() -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=RAW_SCHEMA)


def _merge(parts: list[Parsed]) -> Parsed:
    batches = [p.posts for p in parts if p.posts.num_rows] or [_empty_batch()]
    posts = batches[0] if len(batches) == 1 else pa.concat_batches(batches)
    return Parsed(
        posts,
        [r for p in parts for r in p.rejects],
        sum(p.n_records for p in parts),
        sum(p.n_primary for p in parts),
        sum(p.replaced_utf8 for p in parts),
    )


def defended(parse: Callable[[Any, Chunk], Parsed]) -> Callable[[Any, Chunk], Parsed]:
    """Wrap a reader's ``parse`` with the input defenses every reader shares (see the module docstring)."""
    if getattr(parse, "__defended__", False):
        return parse

    @functools.wraps(parse)
    def wrapper(self: Reader, chunk: Chunk) -> Parsed:
        pre = list(chunk.rejects)
        repaired = chunk.replaced_utf8
        if pre or repaired:
            chunk = replace(chunk, rejects=(), replaced_utf8=0)  # an inner (super) parse must not count them again
        if isinstance(chunk.data, bytes):
            data, found, n = _clean_lines(chunk.data, chunk, self.max_line_bytes)
            if found or n:
                chunk = replace(chunk, data=data)
                pre += found
                repaired += n
        try:
            parsed = parse(self, chunk)
        except Exception:
            parsed = _merge(_bisect(parse, self, chunk))
        if pre or repaired:
            parsed.rejects = pre + parsed.rejects
            parsed.n_records += len(pre)
            parsed.replaced_utf8 += repaired
        return parsed

    wrapper.__defended__ = True  # type: ignore[attr-defined]
    return wrapper


class Reader(ABC):
    """One file format. Subclasses live one per module in ``groundswell.sources``."""

    #: short name used by ``--format``
    name: ClassVar[str]
    #: platform of the posts this format carries
    platform: ClassVar[str]
    #: one line for ``groundswell formats``
    description: ClassVar[str] = ""
    #: records (lines, CSV rows, document elements) longer than this are quarantined, never held in memory
    max_line_bytes: int = MAX_LINE_BYTES

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "parse" in cls.__dict__ and not getattr(cls.__dict__["parse"], "__isabstractmethod__", False):
            cls.parse = defended(cls.__dict__["parse"])  # type: ignore[method-assign]

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
        """Newline-aligned blocks; a line longer than ``max_line_bytes`` is skipped, never held whole."""
        line_no = 1
        offset = 0
        tail = b""
        limit = self.max_line_bytes
        while True:
            block = stream.read(self.chunk_bytes)
            if not block:
                break
            block = tail + block
            cut = block.rfind(b"\n")
            if cut < 0:
                tail = block
                if len(tail) > limit:  # a line over the limit: drop it up to its newline, reject it
                    skipped, rest = _skip_line(stream, tail, self.chunk_bytes)
                    reject = _oversize(source, line_no, skipped, limit, tail)
                    end = offset + skipped + (1 if rest is not None else 0)
                    yield Chunk(b"", source, line_no, offset, (reject,), end_line=line_no + 1, end_offset=end)
                    line_no, offset, tail = line_no + 1, end, rest or b""
                continue
            body, tail = block[: cut + 1], block[cut + 1 :]
            end_line, end_offset = line_no + body.count(b"\n"), offset + len(body)
            yield Chunk(body, source, line_no, offset, end_line=end_line, end_offset=end_offset)
            line_no, offset = end_line, end_offset
        if tail:  # the last line has no newline (after an over-long line, ``tail`` may hold several)
            end_line = line_no + tail.count(b"\n") + (not tail.endswith(b"\n"))
            yield Chunk(tail, source, line_no, offset, end_line=end_line, end_offset=offset + len(tail))

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
