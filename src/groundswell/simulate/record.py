"""One simulated post as the writers see it: every fact a platform format needs, already decided.

Writers only format; they never draw random numbers. Everything here is fixed by the process (time,
kind, visible parent) and by ``run`` (author, class, language, text draw), so two writers for the same
platform would produce the same post.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from groundswell.simulate.authors import Author


@dataclass(slots=True)
class Thread:
    """What a reply needs to know about the top of its thread (Bluesky reply root, Reddit link, conversation)."""

    post_id: str
    uri: str = ""
    cid: str = ""
    community: str = ""
    title: str = ""


@dataclass(slots=True)
class Post:
    ordinal: int  # position in the whole run's time order (all platforms)
    platform: str
    unix_ms: int
    post_id: str
    kind: str  # original / reply / repost / quote / comment
    author: Author
    text: str  # the author's own words (a repost repeats its original's text; writers add "RT @…" etc.)
    lang: str
    cls: str  # participation class (a repost carries its original's)
    draw: int  # 64-bit draw the text and incidental details come from
    parent: Post | None = None  # visible parent (cleared once written, so chains don't pin memory)
    thread: Thread | None = None  # top of the thread this post belongs to
    community: str = ""  # subreddit / Facebook page category; empty elsewhere
    uri: str = ""  # Bluesky at:// uri, Mastodon / Facebook URL
    cid: str = ""  # Bluesky record CID
    # counts at collection time, from the offspring known when the post is written
    replies: int = 0
    reposts: int = 0
    quotes: int = 0
    likes: int = 0
    #: what a writer keeps on a post for the posts that will point at it (rendered text, JSON, …)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def created(self) -> datetime:
        return datetime.fromtimestamp(self.unix_ms / 1000, tz=UTC)

    def iso_ms(self) -> str:
        """``2017-10-15T20:21:00.000Z``: the millisecond ISO form Twitter, Bluesky and Mastodon use."""
        return iso_seconds(self.unix_ms // 1000) + f".{self.unix_ms % 1000:03d}Z"


@lru_cache(maxsize=4096)
def iso_seconds(unix_s: int) -> str:
    """``2017-10-15T20:21:00`` for a Unix second (cached: posts come in time order, many share a second)."""
    g = time.gmtime(unix_s)
    return f"{g.tm_year:04d}-{g.tm_mon:02d}-{g.tm_mday:02d}T{g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d}"
