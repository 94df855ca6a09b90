"""Mastodon: a hashtag stream per instance, and the REST timeline to fill what a disconnect missed.

The streaming API (``/api/v1/streaming?stream=hashtag&tag=metoo`` over a websocket) has no cursor: what is
posted while we are away is simply not sent. So after every (re)connection we page through the hashtag
timeline (``/api/v1/timelines/tag/:tag``) from the newest status id we have. We page with ``min_id``, not
``since_id``: both return statuses newer than the id, but ``since_id`` returns the *newest* page and would skip
the middle of a long gap, while ``min_id`` returns the page right after the id, so paging forward cannot skip.
The socket is opened *before* the backfill, so nothing posted during the backfill falls between the two;
what both deliver is dropped by the store's key.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.request
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode, urlsplit

import msgspec
import orjson
import websockets
from websockets.asyncio.client import connect

from groundswell.live.reconnect import Backoff
from groundswell.live.stream import Item, sleep_or_stop
from groundswell.sources.mastodon import MastodonReader

log = logging.getLogger(__name__)

PAGE = 40  # the largest page Mastodon serves for timelines


class _Event(msgspec.Struct, gc=False):
    event: str = ""
    payload: str | None = None


class _Id(msgspec.Struct, gc=False):
    id: str | None = None


_event = msgspec.json.Decoder(_Event)
_id = msgspec.json.Decoder(_Id)


def status_id_of(frame: bytes) -> str | None:
    """The status id an ``update`` streaming message carries (None for other events or malformed frames)."""
    try:
        ev = _event.decode(frame)
        if ev.event in ("update", "status.update") and ev.payload:
            return _id.decode(ev.payload).id
    except (msgspec.DecodeError, msgspec.ValidationError):
        pass
    return None


def newer(a: str | None, b: str | None) -> str | None:
    """The later of two status ids (numeric on Mastodon; compared as numbers, then as text)."""
    if a is None or b is None:
        return a or b
    if a.isdigit() and b.isdigit():
        return a if int(a) >= int(b) else b
    return max(a, b)


def instance_url(instance: str) -> str:
    """``example.social`` → ``https://example.social``; a URL with a scheme is kept (local test servers)."""
    return instance.rstrip("/") if "://" in instance else f"https://{instance.rstrip('/')}"


class MastodonSource:
    """The hashtag stream of one tag on one instance."""

    reader = MastodonReader
    platform = "mastodon"

    def __init__(
        self,
        instance: str,
        tag: str,
        *,
        token: str | None = None,
        backoff: Backoff | None = None,
        max_queue: int = 64,
        http_timeout: float = 15.0,
    ) -> None:
        self.base = instance_url(instance)
        self.tag = tag.lstrip("#")
        self.name = f"mastodon:{urlsplit(self.base).netloc}/{self.tag.lower()}"
        self.token = token
        self.backoff = backoff or Backoff()
        self.max_queue = max_queue
        self.http_timeout = http_timeout
        self.last_id: str | None = None
        self.connections = 0
        self.backfilled = 0

    def start_from(self, cursor: str | None) -> None:
        self.last_id = cursor

    def stream_url(self) -> str:
        scheme = "wss" if self.base.startswith("https") else "ws"
        params = {"stream": "hashtag", "tag": self.tag}
        if self.token:
            params["access_token"] = self.token
        return f"{scheme}://{urlsplit(self.base).netloc}/api/v1/streaming?{urlencode(params)}"

    def _get_page(self, min_id: str) -> list[dict]:
        url = f"{self.base}/api/v1/timelines/tag/{self.tag}?{urlencode({'min_id': min_id, 'limit': PAGE})}"
        req = urllib.request.Request(url, headers={"Accept": "application/json"})
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=self.http_timeout) as resp:
            page = json.loads(resp.read())
        return page if isinstance(page, list) else []

    async def backfill(self, put: Callable[[Item], Awaitable[None]]) -> int:
        """Page forward from ``last_id`` to the newest status; return how many statuses were fetched."""
        if self.last_id is None:
            return 0
        n = 0
        while True:
            page = await asyncio.to_thread(self._get_page, self.last_id)
            if not page:
                return n
            # a page is newest first; hand them over oldest first, as the stream would have
            for st in reversed(page):
                sid = str(st.get("id")) if isinstance(st, dict) and st.get("id") is not None else None
                await put(Item(self.name, orjson.dumps(st), sid, time.time()))
                self.last_id = newer(self.last_id, sid)
                n += 1
            self.backfilled += len(page)
            if len(page) < PAGE:
                return n

    async def run(self, put: Callable[[Item], Awaitable[None]], stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with connect(self.stream_url(), max_queue=self.max_queue, open_timeout=10) as ws:
                    self.connections += 1
                    await self.backfill(put)
                    self.backoff.reset()
                    async for msg in ws:
                        frame = (msg if isinstance(msg, bytes) else msg.encode()).replace(b"\n", b" ")
                        sid = status_id_of(frame)
                        await put(Item(self.name, frame, sid, time.time()))
                        self.last_id = newer(self.last_id, sid)
            except (OSError, websockets.WebSocketException, TimeoutError, ValueError) as e:
                log.warning("%s: connection lost (%s)", self.name, e)
            if not stop.is_set():
                await sleep_or_stop(self.backoff.next_delay(), stop)
