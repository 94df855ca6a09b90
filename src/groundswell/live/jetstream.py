"""Bluesky Jetstream: a websocket of JSON commit events, resumable by ``time_us``.

Jetstream (``wss://jetstream2.us-east.bsky.network/subscribe``) sends one JSON event per message;
``wantedCollections=app.bsky.feed.post`` keeps it to posts (plus identity and account events, which the
reader sets aside). Every event carries ``time_us``, the relay's clock, and ``?cursor=<time_us>`` replays
from there. We resume a little *before* the last event we saw (``rewind_us``): an event that shared its
microsecond with the last one, or arrived out of order by a hair, is not lost, and the replayed ones are
dropped by the store's ``(platform, post_id)`` key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import msgspec
import websockets
from websockets.asyncio.client import connect

from groundswell.live.reconnect import Backoff
from groundswell.live.stream import Item, sleep_or_stop
from groundswell.sources.bluesky_jetstream import BlueskyJetstreamReader

log = logging.getLogger(__name__)

DEFAULT_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
POST_COLLECTION = "app.bsky.feed.post"


class _Stamp(msgspec.Struct, gc=False):
    time_us: int | None = None


_stamp = msgspec.json.Decoder(_Stamp)


def time_us_of(frame: bytes) -> int | None:
    """The event's ``time_us``, or None for a frame that is not a JSON object with one."""
    try:
        return _stamp.decode(frame).time_us
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


class JetstreamSource:
    """One Jetstream connection; ``name`` keys its cursor in the store."""

    reader = BlueskyJetstreamReader
    platform = "bluesky"

    def __init__(
        self,
        url: str = DEFAULT_URL,
        *,
        name: str = "bluesky",
        rewind_us: int = 2_000_000,
        backoff: Backoff | None = None,
        max_queue: int = 64,
    ) -> None:
        self.url, self.name, self.rewind_us = url, name, rewind_us
        self.backoff = backoff or Backoff()
        self.max_queue = max_queue
        self.last_cursor: int | None = None
        self.connections = 0

    def resume_url(self) -> str:
        params: list[tuple[str, str]] = [("wantedCollections", POST_COLLECTION)]
        if self.last_cursor is not None:
            params.append(("cursor", str(max(0, self.last_cursor - self.rewind_us))))
        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode(params)}"

    def start_from(self, cursor: str | None) -> None:
        """Resume after a restart from the cursor saved in the store."""
        self.last_cursor = int(cursor) if cursor else None

    async def run(self, put: Callable[[Item], Awaitable[None]], stop: asyncio.Event) -> None:
        """Read until ``stop`` is set, reconnecting with backoff; every frame goes to ``put`` (awaited, so a
        full queue stops the reading and TCP pushes back on the relay)."""
        while not stop.is_set():
            try:
                async with connect(self.resume_url(), max_queue=self.max_queue, open_timeout=10) as ws:
                    self.connections += 1
                    got = False
                    async for msg in ws:
                        frame = (msg if isinstance(msg, bytes) else msg.encode()).replace(b"\n", b" ")
                        t = time_us_of(frame)
                        await put(Item(self.name, frame, str(t) if t is not None else None, time.time()))
                        if t is not None and (self.last_cursor is None or t > self.last_cursor):
                            self.last_cursor = t
                        if not got:
                            got = True
                            self.backoff.reset()
            except (TimeoutError, OSError, websockets.WebSocketException) as e:
                log.warning("%s: connection lost (%s)", self.name, e)
            if not stop.is_set():
                await sleep_or_stop(self.backoff.next_delay(), stop)
