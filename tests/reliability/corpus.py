"""A corrupted corpus with known outcomes: every defect the ingest must survive, between valid records.

Each record is written together with what must become of it (stored, duplicate, or rejected with a reason
prefix), so the expected counts come from how the corpus was built, not from the code under test. The
valid records are real tweets from the 2017 archive and real twarc-csv rows; the defects are made from
them the way they happen in practice (a half-written line, a zero-filled region, a cut download).
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

from tests.reliability.conftest import FIXTURES, SHARED, metoo_lines

#: the record size limit the corpus is ingested with (small, so oversized records stay cheap to build)
LIMIT = 64 << 10

STORED, DUPLICATE = "stored", "duplicate"
NUL = "NUL bytes"
OVERSIZE = "record over the size limit"
BOMB = "nested too deeply to read (a JSON nesting bomb?)"
INVALID = "invalid record"  # the GetOldTweets reader's reason for a line that is not a scraped tweet


@dataclass
class Expected:
    """What ingest must report for one file."""

    outcomes: list[str] = field(default_factory=list)  # one per record: stored / duplicate / reason prefix
    reject_lines: list[int] = field(default_factory=list)
    replaced_utf8: int = 0
    note: str | None = None  # a substring of FileResult.note
    error: str | None = None  # a substring of FileResult.error (fatal)

    @property
    def stored(self) -> int:
        return self.outcomes.count(STORED)

    @property
    def duplicates(self) -> int:
        return self.outcomes.count(DUPLICATE)

    @property
    def reasons(self) -> Counter[str]:
        return Counter(o for o in self.outcomes if o not in (STORED, DUPLICATE))

    @property
    def read(self) -> int:
        return len(self.outcomes)


class _Lines:
    """Builds a JSON-lines file line by line, recording each line's expected outcome."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.expected = Expected()

    def add(self, line: bytes, outcome: str | None) -> None:
        self.lines.append(line)
        if outcome is None:  # blank line: not a record
            return
        self.expected.outcomes.append(outcome)
        if outcome not in (STORED, DUPLICATE):
            self.expected.reject_lines.append(len(self.lines))

    def data(self, final_newline: bool = True) -> bytes:
        return b"\n".join(self.lines) + (b"\n" if final_newline else b"")


def _with_text(line: bytes, text: bytes) -> bytes:
    start = line.index(b'"text": "') + len(b'"text": "')
    return line[:start] + text + line[start:]


def _defects_jsonl(real: tuple[bytes, ...]) -> tuple[bytes, Expected]:
    f = _Lines()
    for line in real[0:50]:
        f.add(line, STORED)
    f.add(_with_text(real[50], b"caf\xe9 \xff\xfe "), STORED)  # Latin-1 bytes in a UTF-8 file: kept, flagged
    f.expected.replaced_utf8 = 1
    for line in real[51:60]:
        f.add(line, STORED)
    f.add(b"\x00" * 4096, NUL)  # the zero-filled block a crashed writer leaves
    f.add(_with_text(real[60], b"a\x00b"), NUL)
    f.add(b"", None)
    for line in real[61:70]:
        f.add(line, STORED)
    f.add(_with_text(real[70], b"x" * (LIMIT + 10)), OVERSIZE)  # valid JSON, too big
    f.add(b'{"tweet_id": "919365304114929665", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", BOMB)
    f.add(b'{"errors": [{"message": "Rate limit exceeded", "code": 88}]}', INVALID)  # API error object
    f.add(real[71][: len(real[71]) // 2], INVALID)  # half-written line
    for line in real[72:80]:
        f.add(line, STORED)
    for line in real[0:10]:  # a page collected twice
        f.add(line, DUPLICATE)
    f.add(b"   ", None)
    for line in real[80:100]:
        f.add(line, STORED)
    return f.data(final_newline=False), f.expected


def _giant_line_jsonl(real: tuple[bytes, ...]) -> tuple[bytes, Expected]:
    """A line longer than a whole read block (4 MiB): skipped in the chunker without being held."""
    f = _Lines()
    for line in real[300:310]:
        f.add(line, STORED)
    f.add(b"\x7f" * (5 << 20), OVERSIZE)
    for line in real[310:320]:
        f.add(line, STORED)
    return f.data(), f.expected


def _cut(lines: tuple[bytes, ...], compressed: bytes, decompress: bytes) -> Expected:
    """Expected outcome of a cut archive, from an independent decompression of what is left."""
    e = Expected(note="ends early")
    complete = decompress.count(b"\n")
    e.outcomes = [STORED] * complete
    assert decompress.split(b"\n")[:complete] == list(lines[:complete])
    if decompress.split(b"\n")[complete].strip():  # the record the cut went through
        e.outcomes.append(INVALID)
        e.reject_lines.append(complete + 1)
    return e


def _truncated_gzip(real: tuple[bytes, ...]) -> tuple[bytes, Expected]:
    lines = real[100:200]
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    whole = c.compress(b"\n".join(lines) + b"\n") + c.flush()
    cut = whole[: len(whole) * 6 // 10]
    d = zlib.decompressobj(31)
    return cut, _cut(lines, cut, d.decompress(cut))


def _truncated_zstd(real: tuple[bytes, ...]) -> tuple[bytes, Expected]:
    # zstd gives nothing of a block (128 KiB of text) it did not get whole: several blocks, cut in the third
    lines = real[400:2400]
    whole = zstandard.ZstdCompressor().compress(b"\n".join(lines) + b"\n")
    cut = whole[: len(whole) * 6 // 10]
    d = zstandard.ZstdDecompressor().decompressobj()
    return cut, _cut(lines, cut, d.decompress(cut))


def _odd_csv() -> tuple[bytes, Expected]:
    """twarc-csv rows (real) with embedded newlines, odd quoting, a short row, bad bytes, NUL, a repeat."""
    with open(SHARED / "twarc-csv-output" / "kpop.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:21]
    text = header.index("text")
    e = Expected()
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    raw: list[bytes] = []

    def flush() -> None:
        raw.append(out.getvalue().encode())
        out.seek(0)
        out.truncate()

    for i, row in enumerate(body):
        row = list(row)
        if i == 3:
            row[text] = "first line\nsecond line, with a comma\r\nthird"  # quoted, spans lines
        if i == 5:
            row[text] = 'she said "me too" and ""meant it""'  # doubled quotes inside a quoted field
        w.writerow(row)
        e.outcomes.append(STORED)
    flush()
    # odd quoting: a quote inside an unquoted field (csv keeps it as text); the rest of the row is simple
    odd = [""] * len(header)
    odd[header.index("id")] = "919000000000000001"
    odd[header.index("created_at")] = "2017-10-15T12:00:00.000Z"
    odd[header.index("author_id")] = "12345"
    odd[text] = 'an unquoted "quote" in the middle'
    raw.append(",".join(odd).encode() + b"\r\n")
    e.outcomes.append(STORED)
    raw.append(b"919000000000000002,only,three fields\r\n")
    e.outcomes.append(f"3 fields where the header has {len(header)}")
    bad = list(odd)
    bad[header.index("id")] = "919000000000000003"
    bad[text] = "caf\udce9"  # written below as the single byte 0xE9: invalid UTF-8
    raw.append(",".join(bad).encode("utf-8", "surrogateescape") + b"\r\n")
    e.outcomes.append(STORED)
    e.replaced_utf8 = 1
    nul = list(odd)
    nul[header.index("id")] = "919000000000000004"
    nul[text] = "zero\x00byte"
    raw.append(",".join(nul).encode() + b"\r\n")
    e.outcomes.append("NUL bytes in the record")
    w.writerow(body[0])  # the first row again: a duplicate
    e.outcomes.append(DUPLICATE)
    flush()
    data = b"".join(raw)
    # line numbers of the rejects: count physical lines up to each rejected row
    starts = [1 + data[: data.index(b"919000000000000002,only")].count(b"\n")]
    starts.append(1 + data[: data.index(b"919000000000000004")].count(b"\n"))
    e.reject_lines = starts
    return data, e


def _bomb_document() -> tuple[bytes, Expected]:
    """A v1.1 timeline page (a JSON array) whose third element is a nesting bomb: the first two are kept."""
    page = json.loads(
        (FIXTURES.parent.parent / "sources" / "fixtures" / "twitter_v1" / "timeline_extended_array.json").read_text()
    )
    data = b"[" + json.dumps(page[0]).encode() + b",\n" + json.dumps(page[1]).encode() + b",\n"
    data += b"[" * 100_000 + b"]" * 100_000 + b"]"
    e = Expected(outcomes=[STORED, STORED, "document breaks off after element 2"], reject_lines=[3])
    return data, e


def build(dest: Path) -> dict[str, Expected]:
    """Write the corpus into ``dest``; return the expected outcome per file path (as passed to ingest)."""
    real = metoo_lines(2400)
    files: dict[str, tuple[bytes, Expected]] = {
        "defects.jsonl": _defects_jsonl(real),
        "giant_line.jsonl": _giant_line_jsonl(real),
        "truncated.jsonl.gz": _truncated_gzip(real),
        "truncated.jsonl.zst": _truncated_zstd(real),
        "empty.jsonl": (b"", Expected(note="empty file")),
        "odd_quoting.csv": _odd_csv(),
        "bomb_document.json": _bomb_document(),
        "not_posts.png": (
            b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
            Expected(error="not a format groundswell reads"),
        ),
    }
    out = {}
    for name, (data, expected) in files.items():
        p = dest / name
        p.write_bytes(data)
        out[str(p)] = expected
    return out
