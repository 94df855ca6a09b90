"""What the stream readers hand to the watcher, and the small async helpers they share."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Item:
    """One frame off a socket (or one status from a REST backfill), as raw bytes of one JSON line.

    ``cursor`` is the stream position the frame stands for (Jetstream ``time_us``, Mastodon status id),
    ``received`` the wall-clock time it was read: event-to-store latency is measured from there.
    """

    source: str
    data: bytes
    cursor: str | None
    received: float


async def messages_until(ws: Any, stop: asyncio.Event) -> AsyncIterator[str | bytes]:
    """Messages of a websocket until it closes (raising as ``recv`` does) or ``stop`` is set."""
    stopper = asyncio.ensure_future(stop.wait())
    try:
        while True:
            recv = asyncio.ensure_future(ws.recv())
            done, _ = await asyncio.wait({recv, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if recv not in done:
                recv.cancel()
                return
            yield recv.result()
    finally:
        stopper.cancel()


async def sleep_or_stop(delay: float, stop: asyncio.Event) -> None:
    """Sleep ``delay`` seconds, or less if ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
