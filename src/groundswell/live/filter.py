"""Which streamed posts belong to the movement being watched.

A firehose carries every post; the store should hold only the movement's. A post matches when one of its
normalized hashtags is in the movement's set (``#MeToo``, ``#ＭｅＴｏｏ`` and ``#METOO`` are all ``metoo``), or
when its text holds one of the movement's phrases ("me too" written without a hashtag was how the 2017 chain
message began). Each match is counted under a *key* — the hashtag, or ``"phrase"`` — so the watcher can run one
burst detector per hashtag.

Movement definitions (``groundswell.movements``) are being written in parallel; :meth:`MovementFilter.for_movement`
reads any object with ``hashtags`` and ``phrases`` from it, so ``--movement metoo`` works the day they land,
and ``--hashtag`` works now.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.text.normalize import normalize_hashtag

PHRASE_KEY = "phrase"
REPLY_KINDS = ("reply", "quote", "comment")


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for the phrases, on word boundaries, any run of spaces between words."""
    if not phrases:
        return None
    alts = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class MovementFilter:
    """Normalized hashtags and case-insensitive phrases (matched on word boundaries)."""

    hashtags: frozenset[str]
    phrases: tuple[str, ...] = ()
    name: str = ""
    reply_phrases: tuple[str, ...] = ()  # matched only in replies, quotes and comments
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _reply_pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        hashtags: Iterable[str] = (),
        phrases: Iterable[str] = (),
        name: str = "",
        *,
        reply_phrases: Iterable[str] = (),
    ) -> MovementFilter:
        tags = frozenset(normalize_hashtag(h.lstrip("#")) for h in hashtags if h.strip("# "))
        ph = tuple(p for p in phrases if p.strip())
        rph = tuple(p for p in reply_phrases if p.strip())
        if not tags and not ph and not rph:
            raise ValueError("a live filter needs at least one hashtag or phrase")
        return cls(tags, ph, name or ",".join(sorted(tags)), rph, _phrase_pattern(ph), _phrase_pattern(rph))

    @classmethod
    def for_movement(cls, name: str, extra_hashtags: Iterable[str] = ()) -> MovementFilter:
        """The filter of a movement defined in ``groundswell.movements`` (plus any extra hashtags)."""
        mod = importlib.import_module("groundswell.movements")
        resolve = getattr(mod, "resolve", None)
        if resolve is None:
            raise ValueError(f"movement definitions are not available yet; watch {name!r} with --hashtag instead")
        return cls.from_definition(resolve(name), extra_hashtags)

    @classmethod
    def from_definition(cls, definition: Any, extra_hashtags: Iterable[str] = ()) -> MovementFilter:
        """From a ``groundswell.movements.Movement``: its member hashtags (normalized keys) and its phrases,
        with a phrase of scope ``reply`` matched only in replies, quotes and comments, as the definition says."""
        tags = [*definition.member_keys, *extra_hashtags]
        phrases = [p.text for p in definition.phrases if getattr(p, "scope", "any") != "reply"]
        replies = [p.text for p in definition.phrases if getattr(p, "scope", "any") == "reply"]
        return cls.of(tags, phrases, definition.name, reply_phrases=replies)

    def key_names(self) -> list[str]:
        """Every key a match can be counted under."""
        return sorted(self.hashtags) + ([PHRASE_KEY] if self.phrases or self.reply_phrases else [])

    def match(self, hashtags_norm: list[str] | None, text: str | None, kind: str | None = None) -> list[str]:
        """Keys this post matches (empty: not the movement's)."""
        keys = sorted({h for h in hashtags_norm or () if h in self.hashtags})
        if text and (
            (self._pattern is not None and self._pattern.search(text))
            or (self._reply_pattern is not None and kind in REPLY_KINDS and self._reply_pattern.search(text))
        ):
            keys.append(PHRASE_KEY)
        return keys

    def mask(self, batch: pa.RecordBatch) -> tuple[pa.Array, list[list[str]]]:
        """Boolean mask of matching rows of a batch with ``hashtags_norm`` filled, and each row's keys."""
        tags = batch.column("hashtags_norm")
        n = batch.num_rows
        # quick vectorized pass: most firehose posts carry none of the tags
        hit = pc.fill_null(pc.is_in(pc.list_flatten(tags), pa.array(sorted(self.hashtags), pa.string())), False)
        cand = [False] * n
        for i in pc.list_parent_indices(tags).filter(hit).to_pylist():
            cand[i] = True
        tl = tags.to_pylist()
        if self._pattern is None and self._reply_pattern is None:
            keys = [self.match(tl[i], None) if c else [] for i, c in enumerate(cand)]
            return pa.array(cand, pa.bool_()), keys
        texts = batch.column("text").to_pylist()
        kinds = batch.column("kind").to_pylist()
        keys = [self.match(tl[i], texts[i], kinds[i]) for i in range(n)]
        return pa.array([bool(k) for k in keys], pa.bool_()), keys
