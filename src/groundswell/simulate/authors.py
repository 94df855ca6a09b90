"""Simulated accounts: heavy-tailed activity and followers, fictional names, the platform's id scheme.

Who posts in a movement is very unequal: a few accounts (activists, news pages, bots) post hundreds of
times while most people post once. Participation counts ("how many people said #MeToo") are only honest if
the analytics separate posts from people, so the simulator must reproduce that inequality. Each post's
author is a *rank* drawn with probability ∝ (rank + 1)^-β; an author's followers are log-normal, larger for
more active ranks. Everything about an account is a pure function of (seed, platform, rank), so nothing is
stored per account and a run of any size uses the same memory.

Names and handles are built from invented syllables: no real person's account is ever named.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from groundswell.simulate.ids import base36, mastodon_id, mix

_ONSETS = ("ma", "li", "so", "ka", "ne", "ro", "ta", "vi", "el", "da", "mi", "jo", "sa", "ar", "no", "ze", "lu", "be")
_CODAS = ("ra", "n", "lia", "ko", "ne", "ri", "ya", "sh", "to", "la", "mo", "x", "dy", "na", "ti", "el", "va", "ck")
_WORDS = (
    "river", "maple", "ember", "north", "quill", "harbor", "sparrow", "willow", "cedar", "lumen",
    "meadow", "atlas", "fern", "violet", "orbit", "juniper", "coral", "slate", "birch", "echo",
)  # fmt: skip
MASTODON_INSTANCES = ("social.example", "toot.example.org", "mastodon.example.net", "fedi.example.com")
#: when the fictional accounts were created (spread over the decade before the movement)
_ACCOUNTS_FROM_MS = 1_230_768_000_000  # 2009-01-01
_ACCOUNTS_SPAN_MS = 277_000_000_000  # ~8.8 years


@dataclass(frozen=True, slots=True)
class Author:
    rank: int
    id: str
    handle: str
    name: str
    followers: int
    following: int
    statuses: int
    created_ms: int
    instance: str = ""  # Mastodon only


def draw_ranks(rng: np.random.Generator, n: int, pool: int, beta: float) -> np.ndarray:
    """``n`` author ranks in ``[0, pool)`` with P(rank) ∝ (rank + 1)^-beta (inverse-CDF, vectorized)."""
    u = rng.random(n)
    a = 1.0 - beta
    x = (1.0 + u * ((pool + 1.0) ** a - 1.0)) ** (1.0 / a) - 1.0
    return np.minimum(x.astype(np.int64), pool - 1)


@lru_cache(maxsize=50_000)
def author(seed: int, platform: str, rank: int, pool: int) -> Author:
    """The account of a given activity rank on a platform."""
    p = _PLATFORM_SALT[platform]
    h = mix(seed, p, rank)
    handle = (
        _ONSETS[h % 18] + _CODAS[(h >> 5) % 18] + ("_" if h >> 10 & 1 else "") + _WORDS[(h >> 11) % 20] + base36(rank)
    )
    name = (_ONSETS[(h >> 16) % 18] + _CODAS[(h >> 21) % 18]).capitalize() + " " + _WORDS[(h >> 26) % 20].capitalize()
    # log-normal followers, shifted up for the most active ranks
    z = _normal(h >> 31)
    activity_boost = 1.2 * math.log10(pool / (rank + 1.0) + 1.0)
    followers = int(math.exp(4.2 + 1.6 * z + activity_boost))
    following = int(math.exp(5.0 + 0.9 * _normal(h >> 7)))
    statuses = int(math.exp(7.0 + 1.5 * _normal(h >> 19) + 0.5 * activity_boost))
    created = _ACCOUNTS_FROM_MS + (mix(h, 1) % _ACCOUNTS_SPAN_MS)
    instance = ""
    if platform == "twitter":
        ident = str(14_000_000 + rank * 3001 + h % 3001)
    elif platform == "facebook":
        ident = str(100_000_000_000_000 + rank * 9973 + h % 9973)
    elif platform == "bluesky":
        digest = hashlib.sha256(f"{seed}:{rank}".encode()).digest()
        ident = "did:plc:" + base64_32(digest)[:24]
        handle = handle.replace("_", "-") + ".bsky.social"
    elif platform == "mastodon":
        ident = mastodon_id(created, rank)
        instance = MASTODON_INSTANCES[(h >> 40) % len(MASTODON_INSTANCES)]
    else:  # reddit
        ident = "t2_" + base36(10_000_000 + rank * 997 + h % 997)
    return Author(rank, ident, handle, name, followers, following, statuses, created, instance)


def base64_32(b: bytes) -> str:
    return base64.b32encode(b).decode("ascii").lower().rstrip("=")


def _normal(bits: int) -> float:
    """A standard normal from 32 hash bits (Box–Muller on two 16-bit uniforms)."""
    u1 = ((bits & 0xFFFF) + 0.5) / 65536.0
    u2 = (((bits >> 16) & 0xFFFF) + 0.5) / 65536.0
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


_PLATFORM_SALT = {"twitter": 1, "facebook": 2, "bluesky": 3, "mastodon": 4, "reddit": 5}
