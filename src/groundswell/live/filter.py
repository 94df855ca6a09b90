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

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.text.normalize import normalize_hashtag

PHRASE_KEY = "phrase"


@dataclass(frozen=True)
class MovementFilter:
    """Normalized hashtags and case-insensitive phrases (matched on word boundaries)."""

    hashtags: frozenset[str]
    phrases: tuple[str, ...] = ()
    name: str = ""
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, hashtags: Iterable[str] = (), phrases: Iterable[str] = (), name: str = "") -> MovementFilter:
        tags = frozenset(normalize_hashtag(h.lstrip("#")) for h in hashtags if h.strip("# "))
        ph = tuple(p for p in phrases if p.strip())
        if not tags and not ph:
            raise ValueError("a live filter needs at least one hashtag or phrase")
        pattern = None
        if ph:
            alts = "|".join(r"\s+".join(map(re.escape, p.split())) for p in ph)
            pattern = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        return cls(tags, ph, name or ",".join(sorted(tags)), pattern)

    @classmethod
    def for_movement(cls, name: str, extra_hashtags: Iterable[str] = ()) -> MovementFilter:
        """The filter of a movement defined in ``groundswell.movements`` (plus any extra hashtags)."""
        mod = importlib.import_module("groundswell.movements")
        getter = getattr(mod, "get", None) or getattr(mod, "movement", None)
        table = getattr(mod, "MOVEMENTS", None)
        definition = getter(name) if callable(getter) else (table or {}).get(name)
        if definition is None:
            raise ValueError(
                f"no movement definition named {name!r} in groundswell.movements yet; pass --hashtag instead"
            )
        tags = list(getattr(definition, "hashtags", ())) + list(getattr(definition, "variants", ()))
        return cls.of([*tags, *extra_hashtags], getattr(definition, "phrases", ()), name)

    def keys(self) -> list[str]:
        """Every key a match can be counted under."""
        return sorted(self.hashtags) + ([PHRASE_KEY] if self.phrases else [])

    def match(self, hashtags_norm: list[str] | None, text: str | None) -> list[str]:
        """Keys this post matches (empty: not the movement's)."""
        keys = sorted({h for h in hashtags_norm or () if h in self.hashtags})
        if self._pattern is not None and text and self._pattern.search(text):
            keys.append(PHRASE_KEY)
        return keys

    def mask(self, batch: pa.RecordBatch) -> tuple[pa.Array, list[list[str]]]:
        """Boolean mask of matching rows of a batch with ``hashtags_norm`` filled, and each row's keys."""
        tags = batch.column("hashtags_norm")
        texts = batch.column("text")
        # quick vectorized pass: most firehose posts carry none of the tags and no phrase
        hit = pc.fill_null(pc.is_in(pc.list_flatten(tags), pa.array(sorted(self.hashtags), pa.string())), False)
        any_tag = [False] * batch.num_rows
        for i in pc.list_parent_indices(tags).filter(hit).to_pylist():
            any_tag[i] = True
        if self._pattern is not None:
            texts_l = texts.to_pylist()
            cand = [any_tag[i] or bool(t and self._pattern.search(t)) for i, t in enumerate(texts_l)]
        else:
            cand = any_tag
        tl = tags.to_pylist()
        txt = texts.to_pylist() if self._pattern is not None else [None] * batch.num_rows
        keys = [self.match(tl[i], txt[i]) if c else [] for i, c in enumerate(cand)]
        return pa.array(cand, pa.bool_()), keys
