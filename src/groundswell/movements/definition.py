"""Movement definitions: which hashtags, spellings, translations and phrases make a post part of a movement.

A movement is more than one hashtag. #MeToo was written #metoo and #ＭｅＴｏｏ, translated (#MoiAussi,
#YoTambién, #米兔), localized (#BalanceTonPorc, #QuellaVoltaChe) and answered by related campaigns
(#HowIWillChange, #TimesUp). Counting only the English tag undercounts exactly the people a study of a global
movement should not miss, so a movement is declared once, in a small TOML file a researcher can read, cite and
change::

    name = "metoo"
    title = "#MeToo"
    languages = ["en", "fr"]

    [[hashtags]]                      # a post carrying any of these belongs to the movement
    tag = "MeToo"
    variants = ["MeTooMovement"]
    note = "Tarana Burke's 2006 campaign; the hashtag spread on 15 Oct 2017."

    [[phrases]]                       # optional: words without a hashtag
    text = "me too"
    scope = "reply"                   # only in replies, quotes and comments ("any": every post)
    note = "The 2017 call asked people to write 'me too' as a reply."

    [[related]]                       # campaigns reported beside the movement, not counted in it
    tag = "TimesUp"
    note = "..."

Why related hashtags are not members by default: #TimesUp is its own campaign with its own organizers; folding
it in would inflate the movement with posts that never said "me too". Set ``include_related = true`` to count
them anyway. Analytics use the related list to follow them beside the movement (first appearances, trending).

Every hashtag is matched on its normalized form (NFKC, then casefold: the ``hashtags_norm`` column), so
``MeToo``, ``METOO`` and full-width ``ＭｅＴｏｏ`` are one entry; spellings that differ after that (accents:
``YoTambién`` / ``YoTambien``) are listed as variants. A definition is plain, frozen, picklable data: it
travels to ingest's worker processes and to Spark executors inside the enrich context.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from groundswell.text.normalize import normalize_hashtag

SCOPES = ("any", "reply")
"""Where a phrase counts: in every post, or only in replies / quotes / comments (answers to someone)."""

REPLY_KINDS = ("reply", "quote", "comment")


class DefinitionError(ValueError):
    """A movement definition that cannot be used, with the reason and where."""


@dataclass(frozen=True)
class Hashtag:
    """One hashtag of a movement: its usual spelling, its variants, and where the claim about it comes from."""

    tag: str
    variants: tuple[str, ...] = ()
    lang: str | None = None
    since: str | None = None
    note: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """Normalized forms (as in ``hashtags_norm``) of the tag and every variant, without repeats."""
        return tuple(dict.fromkeys(normalize_hashtag(t.lstrip("#＃")) for t in (self.tag, *self.variants)))


@dataclass(frozen=True)
class Phrase:
    """Words that mark a post as part of the movement without a hashtag ("me too" written as a reply)."""

    text: str
    scope: str = "any"
    lang: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Movement:
    name: str
    title: str = ""
    description: str = ""
    languages: tuple[str, ...] = ()
    hashtags: tuple[Hashtag, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    related: tuple[Hashtag, ...] = ()
    include_related: bool = False
    source: str = field(default="", compare=False)

    @cached_property
    def member_keys(self) -> frozenset[str]:
        """Normalized hashtags that make a post a member (core tags, plus related ones if ``include_related``)."""
        tags = self.hashtags + (self.related if self.include_related else ())
        return frozenset(k for t in tags for k in t.keys)

    @cached_property
    def related_keys(self) -> frozenset[str]:
        return frozenset(k for t in self.related for k in t.keys)

    def canonical(self, key: str) -> str | None:
        """The usual spelling of the hashtag a normalized key belongs to (``"yotambien"`` → ``"YoTambién"``)."""
        for t in (*self.hashtags, *self.related):
            if key in t.keys:
                return t.tag
        return None

    def to_dict(self) -> dict[str, Any]:
        """The definition as TOML-shaped plain data (what ``from_dict`` reads back)."""
        d = asdict(self)
        d.pop("source")
        return d

    def __getstate__(self) -> dict[str, Any]:
        # cached_property stores into __dict__; ship only the fields.
        return {k: v for k, v in self.__dict__.items() if k not in ("member_keys", "related_keys")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


_TOP_KEYS = {"name", "title", "description", "languages", "hashtags", "phrases", "related", "include_related"}
_TAG_KEYS = {"tag", "variants", "lang", "since", "note"}
_PHRASE_KEYS = {"text", "scope", "lang", "note"}


def from_dict(data: dict[str, Any], source: str = "<dict>") -> Movement:
    """Build and check a movement from TOML-shaped data; errors name the file and the entry."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise DefinitionError(f"{source}: unknown keys {sorted(unknown)} (allowed: {sorted(_TOP_KEYS)})")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or any(c.isspace() or c == "," for c in name):
        raise DefinitionError(f"{source}: 'name' must be a non-empty word (no spaces or commas), got {name!r}")
    hashtags = tuple(_hashtag(t, f"{source}: hashtags[{i}]") for i, t in enumerate(data.get("hashtags", [])))
    related = tuple(_hashtag(t, f"{source}: related[{i}]") for i, t in enumerate(data.get("related", [])))
    phrases = tuple(_phrase(p, f"{source}: phrases[{i}]") for i, p in enumerate(data.get("phrases", [])))
    if not hashtags and not phrases:
        raise DefinitionError(f"{source}: a movement needs at least one hashtag or phrase")
    seen: dict[str, str] = {}
    for t in (*hashtags, *related):
        for k in t.keys:
            if k in seen and seen[k] != t.tag:
                raise DefinitionError(f"{source}: #{k} is listed under both {seen[k]!r} and {t.tag!r}")
            seen[k] = t.tag
    include_related = data.get("include_related", False)
    if not isinstance(include_related, bool):
        raise DefinitionError(f"{source}: include_related must be true or false")
    return Movement(
        name=name,
        title=str(data.get("title") or "#" + name),
        description=str(data.get("description", "")),
        languages=tuple(_strings(data.get("languages", []), f"{source}: languages")),
        hashtags=hashtags,
        phrases=phrases,
        related=related,
        include_related=include_related,
        source=source,
    )


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DefinitionError(f"{where} must be a list of non-empty strings")
    return list(value)


def _hashtag(raw: Any, where: str) -> Hashtag:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{where} must be a table with at least 'tag'")
    unknown = set(raw) - _TAG_KEYS
    if unknown:
        raise DefinitionError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_TAG_KEYS)})")
    tag = raw.get("tag")
    if not isinstance(tag, str) or not tag.lstrip("#＃").strip() or any(c.isspace() for c in tag):
        raise DefinitionError(f"{where}: 'tag' must be one hashtag without spaces, got {tag!r}")
    variants = _strings(raw.get("variants", []), f"{where}.variants")
    for v in variants:
        if any(c.isspace() for c in v):
            raise DefinitionError(f"{where}: variant {v!r} contains a space; a hashtag cannot")
    return Hashtag(
        tag=tag.lstrip("#＃"),
        variants=tuple(v.lstrip("#＃") for v in variants),
        lang=raw.get("lang"),
        since=None if raw.get("since") is None else str(raw["since"]),
        note=str(raw.get("note", "")),
    )


def _phrase(raw: Any, where: str) -> Phrase:
    if not isinstance(raw, dict):
        raise DefinitionError(f"{where} must be a table with at least 'text'")
    unknown = set(raw) - _PHRASE_KEYS
    if unknown:
        raise DefinitionError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(_PHRASE_KEYS)})")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DefinitionError(f"{where}: 'text' must be non-empty")
    scope = raw.get("scope", "any")
    if scope not in SCOPES:
        raise DefinitionError(f"{where}: scope must be one of {SCOPES}, got {scope!r}")
    return Phrase(text=" ".join(text.split()), scope=scope, lang=raw.get("lang"), note=str(raw.get("note", "")))


def loads(text: str, source: str = "<string>") -> Movement:
    """A movement from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise DefinitionError(f"{source}: not valid TOML: {e}") from e
    return from_dict(data, source)


def load(path: str | Path) -> Movement:
    """A movement from a TOML file."""
    p = Path(path)
    return loads(p.read_text("utf-8"), str(p))


def builtin_names() -> list[str]:
    """Names of the definitions shipped with groundswell."""
    files = resources.files("groundswell.movements").joinpath("builtin")
    return sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))


def builtin(name: str) -> Movement:
    """A shipped definition by name (``"metoo"``)."""
    if name not in builtin_names():
        raise DefinitionError(f"no built-in movement {name!r}; built-in: {', '.join(builtin_names())}")
    f = resources.files("groundswell.movements").joinpath("builtin", f"{name}.toml")
    return loads(f.read_text("utf-8"), f"builtin:{name}")


def resolve(spec: str | Path | Movement) -> Movement:
    """A movement from a definition, a built-in name, or a path to a TOML file."""
    if isinstance(spec, Movement):
        return spec
    s = str(spec)
    if s in builtin_names():
        return builtin(s)
    if Path(s).is_file():
        return load(s)
    raise DefinitionError(f"{s!r} is neither a built-in movement ({', '.join(builtin_names())}) nor a TOML file")
