"""What the stream readers hand to the watcher, and the small async helpers they share."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass


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


async def sleep_or_stop(delay: float, stop: asyncio.Event) -> None:
    """Sleep ``delay`` seconds, or less if ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
