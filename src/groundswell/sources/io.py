"""Opening inputs: files or stdin, plain, gzip or zstd, with a content hash and byte progress.

Compression is recognised by magic bytes, not by the file name, because archives get renamed and stdin has
no name. The hash and the progress count are taken on the *compressed* bytes as they are read, so a 30 GB
archive is hashed in the same single pass that ingests it.

A compressed stream that breaks off (a download cut short, a collector killed mid-write) or turns corrupt
part-way does not raise out of ``read``: the decompressed bytes before the break are delivered, the stream
then ends, and ``Opened.broken`` says where and why. Readers therefore keep every record before the break
(a half-written last record is quarantined like any malformed one) and ingest reports the break. zstd is
decoded with a frame-aware decompressor because zstandard's ``stream_reader`` ends a truncated frame
silently, as if the file were complete.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SNIFF_BYTES = 64 << 10
#: how much of a file's start identifies it for resuming an interrupted ingest (with its name and size)
HEAD_HASH_BYTES = 1 << 20
#: compressed bytes fed to the zstd decompressor at a time: bounds the output of one call (zstd can expand
#: a few bytes into 128 KiB, so a huge input slice could inflate into gigabytes at once)
ZSTD_FEED = 16 << 10


class InputError(Exception):
    """A file that cannot be read at all (missing, unreadable, corrupt container): fatal for that file."""


class _Tap(io.RawIOBase):
    """Raw stream wrapper that hashes and counts the bytes passing through it."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None] | None) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()
        self.count = 0
        self.on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        n = self.raw.readinto(b)  # type: ignore[attr-defined]
        if n:
            view = memoryview(b)[:n]
            self.sha.update(view)
            self.count += n
            if self.on_bytes:
                self.on_bytes(n)
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass
class Opened:
    """An opened input: decompressed stream plus what we learned opening it."""

    name: str
    stream: BinaryIO
    head: bytes  # first bytes of the decompressed content, for format sniffing
    compression: str
    size: int | None  # compressed size on disk (None for stdin)
    tap: _Tap = field(repr=False)
    guard: _Guard | None = field(default=None, repr=False)
    head_sha256: str | None = None  # sha256 of the first HEAD_HASH_BYTES on disk (None for stdin)

    @property
    def sha256(self) -> str:
        return self.tap.sha.hexdigest()

    @property
    def broken(self) -> str | None:
        """Why the compressed stream ended early, with the decompressed offset, or None if it was whole."""
        return self.guard.broken if self.guard else None

    def close(self) -> None:
        self.stream.close()


class _Replay(io.RawIOBase):
    """Gives back already-read head bytes before continuing with the underlying stream."""

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
        n = len(data)
        b[:n] = data
        return n

    def close(self) -> None:
        self.rest.close()
        super().close()


class _Guard(io.RawIOBase):
    """Turns a decompressor's truncation or corruption error into the end of the stream, and remembers it.

    Without it the exception would also discard what the decompressor had produced within the same
    buffered ``read`` call: up to a chunk of good records before the break.
    """

    def __init__(self, raw: BinaryIO, compression: str) -> None:
        self.raw = raw
        self.compression = compression
        self.offset = 0  # decompressed bytes delivered
        self.broken: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        if self.broken:
            return 0
        try:
            n = self.raw.readinto(b)  # type: ignore[attr-defined]
        except (OSError, EOFError, zlib.error, zstandard.ZstdError) as e:
            what = "ends early (truncated file?)" if isinstance(e, EOFError) else "is corrupt"
            self.broken = f"{self.compression} stream {what} after {self.offset:,} decompressed bytes: {e}"
            return 0
        n = n or 0
        self.offset += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Frames(io.RawIOBase):
    """Frame-aware decompression: delivers output as it comes and raises EOFError on a frame cut short.

    Subclasses make one decompressor per frame (gzip member, zstd frame); files made of several frames
    (``cat a.gz b.gz``, multi-threaded zstd) are read through. Python's ``GzipFile`` is not used because its
    internal buffer drops what it had decompressed when the stream breaks within a read.
    """

    feed = 64 << 10

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.dec = self._new()
        self.out = b""
        self.pos = 0
        self.in_frame = False  # input of the current frame was fed and its end not yet seen

    def _new(self):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def _decompress(self, data: bytes) -> bytes:
        raise NotImplementedError

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        data = self.raw.read(self.feed)
        if not data:
            if self.in_frame:
                raise EOFError(f"{self.kind} frame incomplete at end of input")
            return False
        out = []
        while data:
            if not self.in_frame and not data.strip(b"\x00"):
                break  # zero padding after the last frame (tape archives, preallocated files)
            self.in_frame = True
            out.append(self._decompress(data))
            if not self.dec.eof:
                break
            data = self.dec.unused_data
            self.dec = self._new()
            self.in_frame = False
        self.out, self.pos = b"".join(out), 0
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        while self.pos >= len(self.out):
            if not self._fill():
                return 0
        n = min(len(b), len(self.out) - self.pos)
        b[:n] = self.out[self.pos : self.pos + n]
        self.pos += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Gzip(_Frames):
    kind = "gzip"

    def _new(self):  # type: ignore[no-untyped-def]
        return zlib.decompressobj(wbits=31)  # gzip wrapper: zlib checks each member's CRC and length

    def _decompress(self, data: bytes) -> bytes:
        return self.dec.decompress(data)


class _Zstd(_Frames):
    kind = "zstd"
    feed = ZSTD_FEED

    def _new(self):  # type: ignore[no-untyped-def]
        return zstandard.ZstdDecompressor().decompressobj()

    def _decompress(self, data: bytes) -> bytes:
        return self.dec.decompress(data)


def _head_sha256(p: Path) -> str | None:
    try:
        with open(p, "rb") as f:
            return hashlib.sha256(f.read(HEAD_HASH_BYTES)).hexdigest()
    except OSError:
        return None


def open_input(path: str | os.PathLike[str], on_bytes: Callable[[int], None] | None = None) -> Opened:
    """Open ``path`` (``-`` for stdin) for reading, decompressing transparently."""
    name = str(path)
    try:
        if name == "-":
            raw: BinaryIO = sys.stdin.buffer
            size = None
        else:
            p = Path(name)
            if p.is_dir():
                raise InputError(f"{name}: is a directory (pass its files, e.g. {name}/*.jsonl)")
            raw = open(p, "rb")  # noqa: SIM115 - closed through Opened.close
            size = p.stat().st_size
    except OSError as e:
        raise InputError(f"{name}: cannot open: {e.strerror or e}") from e

    tap = _Tap(raw, on_bytes)
    buffered = io.BufferedReader(tap, buffer_size=1 << 20)
    try:
        magic = buffered.peek(4)[:4]
    except OSError as e:
        tap.close()
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from e
    guard: _Guard | None = None
    if magic.startswith(GZIP_MAGIC):
        guard = _Guard(_Gzip(buffered), "gzip")  # type: ignore[arg-type]
        compression = "gzip"
    elif magic.startswith(ZSTD_MAGIC):
        guard = _Guard(_Zstd(buffered), "zstd")  # type: ignore[arg-type]
        compression = "zstd"
    else:
        compression = "none"
    stream: BinaryIO = io.BufferedReader(guard, buffer_size=1 << 20) if guard else buffered  # type: ignore[assignment]
    try:
        head = stream.read(SNIFF_BYTES)
    except OSError as e:  # a read error of the device itself (decompression errors are caught by the guard)
        stream.close()
        raise InputError(f"{name}: cannot read: {e.strerror or e}") from e
    if guard and guard.broken and not head:
        stream.close()
        raise InputError(f"{name}: corrupt {compression} stream, nothing could be read: {guard.broken}")
    replay = io.BufferedReader(_Replay(head, stream), buffer_size=1 << 20)
    head_sha = None if name == "-" else _head_sha256(Path(name))
    return Opened(name, replay, head, compression, size, tap, guard, head_sha)  # type: ignore[arg-type]
