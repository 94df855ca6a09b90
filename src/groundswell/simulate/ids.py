"""Platform ids that look and decode like the real ones, computed (never drawn) from time and ordinal.

Readers trust ids: groundswell repairs broken clocks from Twitter snowflakes, Bluesky record keys are
TIDs that sort by time, Reddit ids are base-36 counters. So simulated ids follow each platform's scheme
exactly, and are pure functions of (time, ordinal, seed) so a run is reproducible byte for byte.
"""

from __future__ import annotations

import base64
import hashlib

TWITTER_EPOCH_MS = 1288834974657
_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_MASK64 = (1 << 64) - 1


def snowflake(unix_ms: int, seq: int) -> str:
    """Twitter id: ``((ms - epoch) << 22) | seq``; ``seq`` must be unique among posts of the same ms."""
    return str(((unix_ms - TWITTER_EPOCH_MS) << 22) | (seq & 0x3FFFFF))


def mastodon_id(unix_ms: int, seq: int) -> str:
    """Mastodon id: milliseconds in the high bits, a 16-bit sequence below (``Mastodon::Snowflake``)."""
    return str((unix_ms << 16) | (seq & 0xFFFF))


def tid(unix_us: int, clock_id: int) -> str:
    """atproto TID: 64-bit ``(µs << 10) | clock_id`` in base32-sortable, 13 characters."""
    n = ((unix_us & ((1 << 53) - 1)) << 10) | (clock_id & 0x3FF)
    out = []
    for _ in range(13):
        out.append(_B32_SORTABLE[n & 31])
        n >>= 5
    return "".join(reversed(out))


def cid(data: bytes) -> str:
    """CIDv1 (dag-cbor, sha2-256) of some bytes, base32 multibase: the ``bafyrei…`` form atproto uses."""
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def base36(n: int) -> str:
    if n == 0:
        return "0"
    out = []
    while n:
        n, r = divmod(n, 36)
        out.append(_B36[r])
    return "".join(reversed(out))


def mix(*parts: int) -> int:
    """splitmix64 over a few integers: a deterministic, well-spread 64-bit hash (no Python ``hash()``)."""
    h = 0x9E3779B97F4A7C15
    for p in parts:
        h = (h ^ (p & _MASK64)) & _MASK64
        h = (h + 0x9E3779B97F4A7C15) & _MASK64
        z = h
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        h = z ^ (z >> 31)
    return h
