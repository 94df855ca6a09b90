"""Reconnect delays: exponential backoff with full jitter.

When a relay restarts, every client reconnects at once; without jitter they all come back in the same
instant and knock it over again. "Full jitter" (a uniform delay between 0 and the exponential ceiling) spreads
them out best for the least waiting (AWS architecture blog, "Exponential Backoff and Jitter").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays for successive failed attempts; :meth:`reset` after a connection that worked."""

    base: float = 1.0
    cap: float = 60.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.Random)
    attempt: int = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * self.factor**self.attempt)
        self.attempt += 1
        return self.rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.attempt = 0
