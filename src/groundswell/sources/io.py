"""Opening inputs: files or stdin, plain, gzip or zstd, with a content hash and byte progress.

Compression is recognised by magic bytes, not by the file name, because archives get renamed and stdin has
no name. The hash and the progress count are taken on the *compressed* bytes as they are read, so a 30 GB
archive is hashed in the same single pass that ingests it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SNIFF_BYTES = 64 << 10


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

    @property
    def sha256(self) -> str:
        return self.tap.sha.hexdigest()

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
    magic = buffered.peek(4)[:4]
    if magic.startswith(GZIP_MAGIC):
        stream: BinaryIO = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
        compression = "gzip"
    elif magic.startswith(ZSTD_MAGIC):
        stream = zstandard.ZstdDecompressor().stream_reader(buffered, read_size=1 << 20)  # type: ignore[assignment]
        compression = "zstd"
    else:
        stream = buffered  # type: ignore[assignment]
        compression = "none"
    try:
        head = stream.read(SNIFF_BYTES)
    except (OSError, EOFError, zstandard.ZstdError) as e:
        raise InputError(f"{name}: corrupt {compression} stream: {e}") from e
    replay = io.BufferedReader(_Replay(head, stream), buffer_size=1 << 20)
    return Opened(name, replay, head, compression, size, tap)  # type: ignore[arg-type]
