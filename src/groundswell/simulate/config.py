"""What a simulated movement looks like: every knob, with defaults calibrated to real #MeToo figures.

The defaults are measured, not invented, and each says where it comes from:

* ``class_shares`` are the category shares of the 2,000 hand-labelled posts in
  ``shared/data/gold/train.tsv`` (commentary 1,033, acknowledgement 374, disclosure 164, support 156,
  unrelated 155, opposition 118).
* ``language_shares`` come from a script / stop-word count over a 1-in-20 sample of the 280,733 real
  #MeToo tweets in ``shared/data/metoo2017`` (en 53 %, es 6.2 %, de 3.1 %, fr 1.4 %, ja 1.2 %, pt 0.6 %,
  it 0.2 %, ko 0.2 %, hi 0.2 %, zh 0.1 %, and 34 % too short to tell — almost all bare hashtags, counted
  as English). French and Indian posts are under-counted by a search for ``#metoo`` because they used
  their own tags (#BalanceTonPorc, #MeTooIndia), so fr and hi are raised a little.
* The time profile follows the first day in ``metoo2017`` (the chain message rising from ~5 to ~300
  posts an hour between 12:00 and 19:00 UTC on 15 Oct 2017, then the explosion after the 20:21 UTC
  "write 'me too' as a reply" tweet) and the published volumes: roughly 500k #MeToo tweets in the first
  24 hours and 19M in the first year. A burst ``(1 + τ/c)^-p`` with c = 2 h, p = 1.2 plus a sustained
  floor of 1.9 % of the peak rate puts 2.6 % of the first year's volume in the first day, as observed.
* Facebook reported 12M posts, comments and reactions by 4.7M people in 24 hours: 0.39 people per
  interaction. An author pool of one account per post with activity ∝ (rank + 1)^-0.7 gives about 0.47
  distinct authors per post, 60 % of them posting once and the top 1 % writing 15–20 % of the posts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

#: platforms the simulator can write, with the format each is written in
SUPPORTED = ("twitter", "facebook", "bluesky", "mastodon", "reddit")

CLASSES = ("acknowledgement", "disclosure", "support", "commentary", "opposition", "unrelated")
LANGUAGES = ("en", "es", "fr", "it", "de", "hi", "ja", "ko", "zh", "pt")

DEFAULT_CLASS_SHARES = {
    "commentary": 0.5165,
    "acknowledgement": 0.187,
    "disclosure": 0.082,
    "support": 0.078,
    "unrelated": 0.0775,
    "opposition": 0.059,
}

DEFAULT_LANGUAGE_SHARES = {
    "en": 0.80,
    "es": 0.065,
    "de": 0.032,
    "fr": 0.03,
    "ja": 0.014,
    "hi": 0.015,
    "pt": 0.008,
    "it": 0.006,
    "ko": 0.005,
    "zh": 0.005,
}

#: relative volume of each platform's movement (normalized over the platforms asked for)
DEFAULT_PLATFORM_SHARES = {"twitter": 0.55, "facebook": 0.25, "reddit": 0.08, "bluesky": 0.07, "mastodon": 0.05}

#: hours after the first platform's onset that the movement spills over to each platform
DEFAULT_LAG_HOURS = {"twitter": 0.0, "facebook": 6.0, "reddit": 3.0, "bluesky": 9.0, "mastodon": 12.0}

#: what an offspring post is on each platform (a reply, a repost, a quote, a comment)
DEFAULT_OFFSPRING_KINDS = {
    "twitter": {"repost": 0.65, "reply": 0.25, "quote": 0.10},
    "facebook": {"repost": 1.0},  # CrowdTangle has page posts only: a child is a share of another post
    "bluesky": {"reply": 0.7, "quote": 0.3},
    "mastodon": {"repost": 0.6, "reply": 0.4},
    "reddit": {"comment": 1.0},
}

KINDS = ("original", "reply", "repost", "quote", "comment")


@dataclass
class SimConfig:
    """One simulated movement. Same config and seed → byte-identical files."""

    movement: str = "metoo"
    posts: int = 10_000
    platforms: tuple[str, ...] = ("twitter",)
    seed: int = 0
    start: datetime = datetime(2017, 10, 15, tzinfo=UTC)
    hours: float = 72.0
    #: mean number of offspring (replies, reposts, quotes, comments) each post triggers
    branching: float = 0.6
    #: mean delay between a post and each of its offspring (exponential kernel)
    decay_hours: float = 1.0
    #: sustained rate after the burst, as a share of the burst's peak immigrant rate
    background: float = 0.019
    #: hours after ``start`` of the first platform's onset (20:21 UTC on 15 Oct 2017)
    onset_hour: float = 20.35
    lag_hours: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LAG_HOURS))
    class_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CLASS_SHARES))
    language_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LANGUAGE_SHARES))
    platform_shares: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_PLATFORM_SHARES))
    offspring_kinds: dict[str, dict[str, float]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_OFFSPRING_KINDS.items()}
    )
    #: burst shape after onset: rate ∝ (1 + τ/burst_c)^-burst_p
    burst_c: float = 2.0
    burst_p: float = 1.2
    #: pre-onset ramp: rate at onset relative to the burst peak, and growth per hour before it
    ramp_level: float = 0.045
    ramp_growth: float = 0.585  # ln(60)/7: ×60 between 12:00 and 19:00 UTC
    #: probability that a reply is in its parent's language (the rest draw afresh from language_shares)
    reply_same_language: float = 0.7
    #: size of a platform's author pool per post (how many accounts *could* post)
    authors_per_post: float = 1.0
    #: author activity ∝ (rank + 1)^-activity_exponent: heavy-tailed, the top 1 % of accounts write ≳ 10 %
    activity_exponent: float = 0.7
    #: posts per page of twarc2 output (the search API's max_results)
    page_size: int = 100
    #: hours of process time generated per chunk (bounds memory at any scale)
    chunk_hours: float = 1.0
    #: runs with at most this many posts list cascade parents inline in truth.json; larger ones use parquet
    inline_parents_max: int = 200_000

    def __post_init__(self) -> None:
        if isinstance(self.platforms, str):
            self.platforms = tuple(p.strip() for p in self.platforms.split(",") if p.strip())
        self.platforms = tuple(self.platforms)
        unknown = [p for p in self.platforms if p not in SUPPORTED]
        if unknown:
            raise ValueError(f"cannot simulate {unknown}; supported platforms: {', '.join(SUPPORTED)}")
        if not self.platforms or len(set(self.platforms)) != len(self.platforms):
            raise ValueError("platforms must be a non-empty list without repeats")
        if self.posts < 1:
            raise ValueError("posts must be at least 1")
        if not 0 <= self.branching < 0.95:
            raise ValueError("branching must be in [0, 0.95): at 1 the process explodes")
        if self.start.tzinfo is None:
            raise ValueError("start must be timezone-aware (UTC)")
        for name, shares, keys in (
            ("class_shares", self.class_shares, CLASSES),
            ("language_shares", self.language_shares, LANGUAGES),
        ):
            bad = set(shares) - set(keys)
            if bad:
                raise ValueError(f"{name}: unknown keys {sorted(bad)}")
            if any(v < 0 for v in shares.values()) or sum(shares.values()) <= 0:
                raise ValueError(f"{name}: shares must be non-negative and not all zero")
        for p in self.platforms:
            if self.platform_shares.get(p, 0) <= 0:
                raise ValueError(f"platform_shares has no positive share for {p}")
            kinds = self.offspring_kinds.get(p)
            if not kinds or set(kinds) - set(KINDS[1:]):
                raise ValueError(f"offspring_kinds[{p}] must map some of {KINDS[1:]} to weights")

    # -- derived, normalized views (sorted keys: no dict-order dependence anywhere downstream) --

    def class_probs(self) -> tuple[tuple[str, ...], list[float]]:
        return _normalized(self.class_shares, CLASSES)

    def language_probs(self) -> tuple[tuple[str, ...], list[float]]:
        return _normalized(self.language_shares, LANGUAGES)

    def platform_probs(self) -> list[float]:
        total = sum(self.platform_shares[p] for p in self.platforms)
        return [self.platform_shares[p] / total for p in self.platforms]

    def lag(self, platform: str) -> float:
        """Lag of a platform's onset after the first platform's, in hours."""
        base = min(self.lag_hours.get(p, 0.0) for p in self.platforms)
        return self.lag_hours.get(platform, 0.0) - base

    def onset(self, platform: str) -> float:
        """Onset of a platform in hours after ``start``."""
        return self.onset_hour + self.lag(platform)

    def to_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["start"] = self.start.isoformat()
        out["platforms"] = list(self.platforms)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimConfig:
        data = dict(data)
        data["start"] = datetime.fromisoformat(data["start"])
        data["platforms"] = tuple(data["platforms"])
        return cls(**data)


def _normalized(shares: dict[str, float], order: tuple[str, ...]) -> tuple[tuple[str, ...], list[float]]:
    keys = tuple(k for k in order if shares.get(k, 0) > 0)
    total = sum(shares[k] for k in keys)
    return keys, [shares[k] / total for k in keys]
