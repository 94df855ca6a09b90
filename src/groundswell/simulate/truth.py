"""``truth.json``: what the simulator did, so the analytics can be checked against it.

Every figure here is *realized*, counted from the posts actually written, not the configured
expectation: the counts per platform / kind / class / language must equal what anyone re-reads from the
files, the branching ratio is offspring / posts of this run, the onsets are the hour bins the bursts
were placed in. The configuration is stored too, so a truth file says how to regenerate its data.

Cascade parents — which post each reply, repost, quote or comment points at — are listed inline for
small runs and written to a ``parents.parquet`` sidecar for large ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from groundswell.simulate.config import CLASSES, KINDS, LANGUAGES
from groundswell.simulate.record import Post

#: first 24 hours of #MeToo on Twitter, the volume the burst shape is calibrated to
PUBLISHED_TWEETS_FIRST_24H = 500_000


@dataclass
class Truth:
    movement: str
    seed: int
    posts: int
    start: str
    end: str
    bin_hours: float
    platforms: list[str]
    onsets: dict[str, dict[str, Any]]
    branching_configured: float
    branching_ratio: float
    branching_by_platform: dict[str, float]
    counts: dict[str, Any]
    hourly: dict[str, list[int]]
    authors: dict[str, dict[str, float]]
    files: dict[str, list[str]]
    published_scale: dict[str, float]
    config: dict[str, Any]
    parents: list[list[str]] | None = None
    parents_file: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """Readable summary, one cascade parent a line (the C encoder keeps large runs fast)."""
        head = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("parents", "hourly")}
        text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
        hourly = ",\n".join(f"  {json.dumps(p)}: {json.dumps(v)}" for p, v in self.hourly.items())
        text += ',\n "hourly": {\n' + hourly + "\n }"
        if self.parents is None:
            return text + ',\n "parents": null\n}\n'
        rows = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in self.parents)
        return text + ',\n "parents": [\n' + rows + "\n ]\n}\n"

    @classmethod
    def from_json(cls, text: str) -> Truth:
        return cls(**json.loads(text))

    @classmethod
    def read(cls, path: Path) -> Truth:
        return cls.from_json(Path(path).read_text("utf-8"))


class Tally:
    """Counts accumulated post by post while the run writes, turned into a ``Truth`` at the end."""

    def __init__(self, platforms: tuple[str, ...], n_bins: int, pools: dict[str, int]) -> None:
        self.platforms = platforms
        self.by_platform = dict.fromkeys(platforms, 0)
        self.by_kind = {p: dict.fromkeys(KINDS, 0) for p in platforms}
        self.by_class = {p: dict.fromkeys(CLASSES, 0) for p in platforms}
        self.by_class_authored = {p: dict.fromkeys(CLASSES, 0) for p in platforms}
        self.by_language = {p: dict.fromkeys(LANGUAGES, 0) for p in platforms}
        self.offspring = dict.fromkeys(platforms, 0)
        self.hourly = {p: np.zeros(n_bins, dtype=np.int64) for p in platforms}
        self.author_posts = {p: np.zeros(pools[p], dtype=np.int32) for p in platforms}

    def add(self, post: Post, hour: int) -> None:
        p = post.platform
        self.by_platform[p] += 1
        self.by_kind[p][post.kind] += 1
        self.by_class[p][post.cls] += 1
        if post.kind != "repost":
            self.by_class_authored[p][post.cls] += 1
        self.by_language[p][post.lang] += 1
        if post.kind != "original":
            self.offspring[p] += 1
        self.hourly[p][hour] += 1
        self.author_posts[p][post.author.rank] += 1

    def take(self, other: Tally, platforms: tuple[str, ...]) -> None:
        """Adopt ``other``'s counts for ``platforms`` (the shard that wrote them counted them alone)."""
        for p in platforms:
            self.by_platform[p] = other.by_platform[p]
            self.by_kind[p] = dict(other.by_kind[p])
            self.by_class[p] = dict(other.by_class[p])
            self.by_class_authored[p] = dict(other.by_class_authored[p])
            self.by_language[p] = dict(other.by_language[p])
            self.offspring[p] = other.offspring[p]
            self.hourly[p] = other.hourly[p].copy()
            self.author_posts[p] = other.author_posts[p].copy()

    def authors(self) -> dict[str, dict[str, float]]:
        out = {}
        for p, counts in self.author_posts.items():
            active = np.sort(counts[counts > 0])[::-1]
            top = max(1, len(active) // 100)
            out[p] = {
                "distinct": len(active),
                "max_posts": int(active[0]) if len(active) else 0,
                "top1pct_share": round(float(active[:top].sum() / max(1, active.sum())), 6),
            }
        return out

    def counts(self) -> dict[str, Any]:
        def nonzero(d: dict[str, int]) -> dict[str, int]:
            return {k: v for k, v in d.items() if v}

        return {
            "platform": dict(self.by_platform),
            "kind": {p: nonzero(v) for p, v in self.by_kind.items()},
            "class": {p: nonzero(v) for p, v in self.by_class.items()},
            "class_authored": {p: nonzero(v) for p, v in self.by_class_authored.items()},
            "language": {p: nonzero(v) for p, v in self.by_language.items()},
        }

    def branching(self) -> tuple[float, dict[str, float]]:
        total = sum(self.by_platform.values())
        overall = sum(self.offspring.values()) / max(1, total)
        per = {p: round(self.offspring[p] / max(1, n), 6) for p, n in self.by_platform.items()}
        return round(overall, 6), per


def onset_bin(hourly: list[int] | np.ndarray, share_of_peak: float = 0.1) -> int:
    """First hour bin whose count reaches ``share_of_peak`` of the peak bin: a simple, explainable onset.

    The simulated bursts rise from a pre-onset level of ~4 % of the peak to the peak within hours, so the
    first bin at 10 % of the peak is the onset bin or the one after. Returns -1 for an empty series.
    """
    arr = np.asarray(hourly)
    if not len(arr) or arr.max() <= 0:
        return -1
    return int(np.flatnonzero(arr >= share_of_peak * arr.max())[0])
