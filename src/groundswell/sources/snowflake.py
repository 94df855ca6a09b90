"""Twitter snowflake ids carry their creation time; scrapes with broken clocks are repaired from it."""

from __future__ import annotations

from datetime import UTC, datetime

TWITTER_EPOCH_MS = 1288834974657


def snowflake_time(post_id: str) -> datetime | None:
    """UTC creation time of a snowflake id, or None for ids from before snowflakes (Nov 2010)."""
    try:
        n = int(post_id)
    except ValueError:
        return None
    if n < 1 << 40:
        return None
    return datetime.fromtimestamp(((n >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)
