"""Which readers exist, and which one a file is.

Order matters: more specific signatures first. ``--format NAME`` bypasses sniffing.
"""

from __future__ import annotations

from groundswell.sources.base import Reader
from groundswell.sources.getoldtweets import GetOldTweetsReader
from groundswell.sources.twarc2 import Twarc2Reader
from groundswell.sources.twarc_csv import TwarcCsvReader

READERS: list[type[Reader]] = [
    GetOldTweetsReader,
    Twarc2Reader,
    TwarcCsvReader,
]


class UnknownFormat(ValueError):
    pass


def reader_named(name: str) -> type[Reader]:
    for r in READERS:
        if r.name == name:
            return r
    raise UnknownFormat(f"unknown format {name!r}; known: {', '.join(r.name for r in READERS)}")


def detect(head: bytes, name: str = "") -> type[Reader]:
    """The reader whose signature matches the first bytes of a file."""
    for r in READERS:
        if r.sniff(head):
            return r
    if not head.strip():
        raise UnknownFormat(f"{name}: empty file")
    raise UnknownFormat(
        f"{name}: not a format groundswell reads (first bytes: {head[:80]!r}); "
        f"use --format with one of: {', '.join(r.name for r in READERS)}"
    )
