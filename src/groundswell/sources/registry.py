"""Which readers exist, and which one a file is.

Order matters: more specific signatures first. ``--format NAME`` bypasses sniffing. The platform readers
come before twarc2, whose sniff accepts any JSON object with an ``"id"`` and no ``"id_str"``; GNIP comes
before v1.1 because activities embed v1.1 ``user_mentions`` (with ``id_str``).
"""

from __future__ import annotations

from groundswell.sources.base import Reader
from groundswell.sources.bluesky_api import BlueskyApiReader
from groundswell.sources.bluesky_jetstream import BlueskyJetstreamReader
from groundswell.sources.crowdtangle import CrowdTangleReader
from groundswell.sources.getoldtweets import GetOldTweetsReader
from groundswell.sources.gnip import GnipReader
from groundswell.sources.mastodon import MastodonReader
from groundswell.sources.meta_content_library import MetaContentLibraryReader
from groundswell.sources.reddit import RedditReader
from groundswell.sources.twarc2 import Twarc2Reader
from groundswell.sources.twarc_csv import TwarcCsvReader
from groundswell.sources.twitter_v1 import TwitterV1Reader

READERS: list[type[Reader]] = [
    GetOldTweetsReader,
    GnipReader,
    TwitterV1Reader,
    RedditReader,
    MastodonReader,
    BlueskyJetstreamReader,
    BlueskyApiReader,
    Twarc2Reader,
    TwarcCsvReader,
    CrowdTangleReader,
    MetaContentLibraryReader,
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
