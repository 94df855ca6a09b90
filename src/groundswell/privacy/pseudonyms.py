"""Keyed, stable pseudonyms for authors and the accounts they mention.

A plain hash of a handle is not a pseudonym: anyone can hash a suspected handle and look it up. A keyed hash
(BLAKE2b in keyed mode, with a secret that lives beside the store, never inside it or in any output) gives a stable id
within one store, different ids across stores, and no way back without the key.

The same function rewrites ``@handle`` inside post text, so a stored text cannot name a private account
either. Public figures (an explicit list, or accounts above a follower threshold, both off by default) keep
their handles: a senator named in a #MeToo allegation is news, the person who replied to them is not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

PREFIX = "u_"
#: what a pseudonym looks like: the prefix and 80 bits of HMAC-SHA256 in hex
PSEUDONYM = re.compile(r"u_[0-9a-f]{20}")
# Twitter-style handles, fediverse @user@instance, Bluesky @name.bsky.social
#: profile and status links name their account: twitter.com/alice/status/1, x.com/alice, bsky.app/profile/alice…
PROFILE_URL = re.compile(
    r"(?i)(?<![\w.])((?:(?:mobile\.|www\.)?(?:twitter|x|instagram|facebook|tiktok)\.com/)|bsky\.app/profile/)"
    r"(?!(?:i|intent|search|hashtag|home|share|status|statuses|p|watch|events|groups|pages|story\.php)(?:[/?#]|$))"
    r"@?([A-Za-z0-9_.-]{1,50})"
)
_PROFILE_HOSTS = re.compile(r"(?i)twitter\.com/|x\.com/|instagram\.com/|facebook\.com/|tiktok\.com/|bsky\.app/")
MENTION = re.compile(
    r"(?<![\w@＠/])[@＠]([A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?|[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
)


#: entries a memo holds before it starts afresh (a few tens of MB), so a worker's memory does not grow with
#: the number of distinct accounts in the input
MEMO_ENTRIES = 200_000
#: texts a rewrite memo holds before it starts afresh: a repost copies its original's text, so a movement's
#: viral texts come back thousands of times; a few thousand entries catch them at a few MB
TEXT_MEMO_ENTRIES = 20_000


def remembered(memos: dict[Any, dict[str, str]], key: Any, texts: list[str], fn: Callable[[str], str]) -> list[str]:
    """``[fn(t) for t in texts]``, remembering the last ``TEXT_MEMO_ENTRIES`` results per ``key`` (settings,
    platform) in ``memos`` across calls: reposts bring the same texts back batch after batch."""
    try:
        memo = memos.setdefault(key, {})
    except TypeError:  # settings built with a plain (unhashable) set: no memo, same result
        return [fn(t) for t in texts]
    out = []
    for t in texts:
        r = memo.get(t)
        if r is None:
            if len(memo) >= TEXT_MEMO_ENTRIES:  # bounded: memory stays flat however many texts pass
                memo.clear()
            r = memo[t] = fn(t)
        out.append(r)
    return out


@dataclass(frozen=True)
class PrivacySettings:
    """What a store may keep of identities. Defaults are the safe ones."""

    keep_handles: bool = False  # store raw handles for everyone (explicit opt-in at store creation)
    public_figures: frozenset[str] = field(default_factory=frozenset)  # lowercased handles that keep theirs
    public_min_followers: int | None = None  # accounts with at least this many followers are public figures

    @classmethod
    def from_dict(cls, d: dict) -> PrivacySettings:
        return cls(
            keep_handles=bool(d.get("keep_handles", False)),
            public_figures=frozenset(h.lower().lstrip("@") for h in d.get("public_figures", [])),
            public_min_followers=d.get("public_min_followers"),
        )

    def to_dict(self) -> dict:
        return {
            "keep_handles": self.keep_handles,
            "public_figures": sorted(self.public_figures),
            "public_min_followers": self.public_min_followers,
        }

    def is_public(self, handle: str | None, followers: int | None = None) -> bool:
        if self.keep_handles:
            return True
        if handle and handle.lower().lstrip("@") in self.public_figures:
            return True
        return (
            self.public_min_followers is not None and followers is not None and followers >= self.public_min_followers
        )


class Pseudonymizer:
    """Maps (platform, account key) to a pseudonym; memoized, since a few accounts write most posts."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("pseudonym key must be at least 16 bytes")
        self._key = key
        # a keyed BLAKE2b state with the key block already absorbed: ``copy()`` of it costs less than keying
        # a new hash for every account (the key block is a whole compression), with the same digests
        self._keyed = hashlib.blake2b(key=key, digest_size=10)
        self._memo: dict[tuple[str, str], str] = {}
        # (platform, settings) → handle as written → its replacement ("" when it stays): rewrite_text meets
        # the same few handles in most texts (retweets of a popular post, replies in a thread)
        self._handles: dict[tuple[str, PrivacySettings], dict[str, str]] = {}
        # (platform, settings) → text → rewritten text, for ``rewrite_distinct``
        self._texts: dict[tuple[str, PrivacySettings], dict[str, str]] = {}

    def __call__(self, platform: str, account: str | None) -> str | None:
        if account is None or account == "":
            return None
        k = (platform, account.lower() if account.startswith("@") else account)
        p = self._memo.get(k)
        if p is None:
            # keyed BLAKE2b is a MAC in its own right (no HMAC construction needed) and 2-3x faster
            h = self._keyed.copy()
            h.update(f"{k[0]}:{k[1]}".encode())
            p = PREFIX + h.hexdigest()
            if len(self._memo) >= MEMO_ENTRIES:  # bounded: memory stays flat however many accounts pass
                self._memo.clear()
            self._memo[k] = p
        return p

    def _handle_memo(self, platform: str, settings: PrivacySettings) -> dict[str, str]:
        try:
            memo = self._handles.get((platform, settings))
        except TypeError:  # settings built with a plain (unhashable) set: no memo, same result
            return {}
        if memo is None or len(memo) >= MEMO_ENTRIES:
            memo = self._handles[(platform, settings)] = {}
        return memo

    def many(self, platform: str, accounts: Iterable[str] | None) -> list[str] | None:
        if accounts is None:
            return None
        return [p for a in accounts if (p := self(platform, a)) is not None]

    def of_distinct(self, platform: str, accounts: list[str | None]) -> list[str | None]:
        """``[self(platform, a) for a in accounts]`` for accounts that are already distinct (one batch's
        unique values): nothing to memoize, so the hash is computed inline, several times faster."""
        keyed = self._keyed
        head = platform + ":"
        out: list[str | None] = []
        for a in accounts:
            if not a:
                out.append(None)
                continue
            h = keyed.copy()
            h.update((head + (a.lower() if a[0] == "@" else a)).encode())
            out.append(PREFIX + h.hexdigest())
        return out

    def text_rewriter(self, platform: str, settings: PrivacySettings) -> Callable[[str], str]:
        """``rewrite_text`` for one platform and settings, with the per-call setup done once (for a batch)."""
        memo = self._handle_memo(platform, settings)

        def pseudonym_of(handle: str) -> str:
            p = memo.get(handle)
            if p is None:
                keep = PSEUDONYM.fullmatch(handle) or settings.is_public(handle)
                p = memo[handle] = "" if keep else self(platform, "@" + handle.lower()) or ""
            return p

        def sub(m: re.Match[str]) -> str:
            p = pseudonym_of(m.group(1))
            return "@" + p if p else m.group(0)

        def sub_url(m: re.Match[str]) -> str:
            p = pseudonym_of(m.group(2))
            return m.group(1) + p if p else m.group(0)

        mention_sub, url_sub, hosts = MENTION.sub, PROFILE_URL.sub, _PROFILE_HOSTS.search

        def rewrite(text: str) -> str:
            if "@" in text or "＠" in text:
                text = mention_sub(sub, text)
            if "/" in text and hosts(text):
                text = url_sub(sub_url, text)
            return text

        return rewrite

    def rewrite_distinct(self, platform: str, settings: PrivacySettings, texts: list[str]) -> list[str]:
        """``[rewrite_text(platform, t, settings) for t in texts]`` for non-empty texts, remembering the last
        ``TEXT_MEMO_ENTRIES`` texts across calls (batches): reposts bring the same texts back batch after batch."""
        return remembered(self._texts, (platform, settings), texts, self.text_rewriter(platform, settings))

    def rewrite_text(self, platform: str, text: str | None, settings: PrivacySettings) -> str | None:
        """Replace @mentions and profile/status links of non-public accounts by pseudonyms."""
        if not text:
            return text
        return self.text_rewriter(platform, settings)(text)
