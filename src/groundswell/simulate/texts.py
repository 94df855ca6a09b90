"""Post texts written from the project's own phrase banks, one TOML file per language.

A classifier trained or judged on simulated posts must see the kinds of texts people actually wrote —
the bare hashtag, "me too" with a feeling, a short account with an age and a perpetrator, support,
news commentary, mockery, spam riding the trend — in the languages they wrote them in. The banks in
``phrases/`` are templates with slots (``{age}``, ``{perp}``, ``{place}``, …); each slot occurrence is
filled independently, and light decoration (a related hashtag, an emoji, lower case) varies them
further. Nothing is copied from real posts: the banks were written for this project, and the
disclosures in them are short and non-graphic.

Every text is a pure function of (language, class, a 64-bit draw), so a post's text can be
regenerated from its draw — that is how a repost repeats its original without storing it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from groundswell.simulate.config import CLASSES, LANGUAGES

_SLOT = re.compile(r"\{(\w+)\}")
_MASK64 = (1 << 64) - 1
#: hashtags as the simulator writes them (letters, marks, digits, underscore after '#')
HASHTAG = re.compile(r"#(\w+)")
LINK = re.compile(r"https?://\S+")


class Picker:
    """A tiny deterministic stream of choices from one 64-bit draw (an LCG; quality is ample here)."""

    __slots__ = ("h",)

    def __init__(self, h: int) -> None:
        self.h = h & _MASK64

    def below(self, n: int) -> int:
        self.h = (self.h * 6364136223846793005 + 1442695040888963407) & _MASK64
        return (self.h >> 33) % n

    def chance(self, p: float) -> bool:
        return self.below(1 << 20) < p * (1 << 20)


@dataclass(frozen=True)
class Bank:
    lang: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    emoji: tuple[str, ...]
    slots: dict[str, tuple[str, ...]]
    templates: dict[str, tuple[str, ...]]


@cache
def bank(lang: str) -> Bank:
    """The phrase bank of a language (loaded once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no phrase bank for language {lang!r}")
    raw = tomllib.loads((resources.files("groundswell.simulate") / "phrases" / f"{lang}.toml").read_text("utf-8"))
    missing = [c for c in CLASSES if not raw["templates"].get(c)]
    if missing:
        raise ValueError(f"phrases/{lang}.toml has no templates for {missing}")
    return Bank(
        lang=raw["lang"],
        tags=tuple(raw["tags"]),
        related=tuple(raw["related"]),
        emoji=tuple(raw["emoji"]),
        slots={k: tuple(v) for k, v in raw["slots"].items()},
        templates={k: tuple(v) for k, v in raw["templates"].items()},
    )


def compose(lang: str, cls: str, draw: int) -> str:
    """The text of a post of class ``cls`` in language ``lang`` for a 64-bit ``draw``."""
    b = bank(lang)
    pick = Picker(draw)
    templates = b.templates[cls]
    template = templates[pick.below(len(templates))]

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "tag":
            return b.tags[pick.below(len(b.tags))]
        if name == "rel":
            return b.related[pick.below(len(b.related))]
        if name == "emoji":
            return b.emoji[pick.below(len(b.emoji))]
        if name == "link":
            return f"https://news.example.com/{2017 + pick.below(2)}/{base_word(pick)}-{pick.below(90000) + 10000}"
        values = b.slots[name]
        return values[pick.below(len(values))]

    text = _SLOT.sub(fill, template)
    if cls not in ("unrelated", "opposition") and pick.chance(0.15):
        text += " " + b.related[pick.below(len(b.related))]
    if cls in ("acknowledgement", "support", "disclosure") and pick.chance(0.1):
        text += " " + b.emoji[pick.below(len(b.emoji))]
    if lang == "en" and pick.chance(0.08):
        text = text.lower()
    return text


_WORDS = ("metoo", "harassment", "survivors", "campaign", "allegations", "workplace", "voices", "report")


def base_word(pick: Picker) -> str:
    return _WORDS[pick.below(len(_WORDS))]


def hashtags(text: str) -> list[tuple[str, int, int]]:
    """(tag, start, end) of each hashtag in a simulated text, in code points (Python string indices)."""
    return [(m.group(1), m.start(), m.end()) for m in HASHTAG.finditer(text)]
