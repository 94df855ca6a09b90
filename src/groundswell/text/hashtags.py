"""Hashtags in post text, following Twitter's twitter-text rules in every script.

What is a hashtag, per Twitter's conformance suite:

* ``#`` or full-width ``＃``, not preceded by a letter, mark, digit, ``_`` or ``&`` (``日本語#タグ`` and
  ``&#39;`` are not hashtags), though an emoji variation selector before it is fine (``✌️#tag``);
* then letters, marks, digits, ``_`` and a few script-internal signs (ZWNJ/ZWJ, Hebrew geresh, Japanese wave
  dash, Tibetan tsheg, middle dot …), with at least one letter or mark (``#16`` and ``#_`` are not tags);
* not directly followed by another ``#`` or by ``://`` (``#http://x.com`` is not a tag);
* not inside a URL (``twitter.com/#hashtag``).

A tag is returned as written, without the sign; counting should use ``normalize.normalize_hashtag``.
"""

from __future__ import annotations

import re
from typing import Any

import regex

from groundswell.text.charsets import HASH_SIGNS, HASHTAG_ALNUM, HASHTAG_ALPHA, HASHTAG_SPECIAL
from groundswell.text.urls import extract_urls_with_indices

# The sign comes first so the engine can skip straight to '#'/'＃'; the boundary is then checked behind it.
# Possessive '++' matters: a tag followed by '#' is rejected whole, never shortened until it fits.
HASHTAG_RE = regex.compile(
    rf"[{HASH_SIGNS}]"
    rf"(?<!(?![\ufe0e\ufe0f])[&{HASHTAG_ALNUM}][{HASH_SIGNS}])"  # boundary before the sign
    r"(?![\ufe0f\u20e3])"  # '#️⃣' is the keycap emoji, not a tag
    rf"(?=[\p{{Nd}}{HASHTAG_SPECIAL}]*+[{HASHTAG_ALPHA}])"  # at least one letter or mark
    rf"([{HASHTAG_ALNUM}]++)"
    rf"(?![{HASH_SIGNS}]|://)"
)


# The common case, an ASCII tag between ASCII neighbours, costs a third as much in the standard library's
# ``re``. It is only trusted when it matches: it then provably matches what HASHTAG_RE would (same sign,
# same run, which stops at an ASCII non-word character, same rejection of a trailing '#' or '://').
# Any other case (accents, scripts, emoji neighbours, digits-only) is decided by HASHTAG_RE itself.
_ASCII_HASHTAG_RE = re.compile(r"#(?=[0-9_]*+[A-Za-z])([A-Za-z0-9_]++)(?![#\x80-\U0010ffff]|://)")
_ASCII_NOT_BEFORE_HASH = frozenset("&_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def signed_matches(
    pattern: regex.Pattern[str],
    text: str,
    sign: str,
    wide_sign: str,
    ascii_pattern: re.Pattern[str] | None = None,
    ascii_not_before: frozenset[str] = frozenset(),
) -> list[Any]:
    """``pattern.finditer(text)`` for a pattern that always starts at ``sign`` or ``wide_sign``, only faster.

    The ``regex`` engine scans for a character class slowly, so we jump from sign to sign with ``str.find``
    (C speed) and try the pattern anchored there. Same matches, same order: a match can only start at a
    sign, and after a match the search resumes at its end, as ``finditer`` does. Text with the rare
    full-width sign takes the plain ``finditer`` path. With ``ascii_pattern``, a sign after an ASCII
    character in ``ascii_not_before`` is rejected outright, and one after another ASCII character (or at
    the start) first tries the cheaper ``ascii_pattern``, which must only match where ``pattern`` would.
    """
    if wide_sign in text:
        return list(pattern.finditer(text))
    match = pattern.match
    fast = ascii_pattern.match if ascii_pattern is not None else None
    found = []
    at = text.find(sign)
    while at != -1:
        m = None
        before = text[at - 1] if at else ""
        if fast is not None and before < "\x80":
            if before not in ascii_not_before:
                m = fast(text, at) or match(text, at)
        else:
            m = match(text, at)
        if m is None:
            at = text.find(sign, at + 1)
        else:
            found.append(m)
            at = text.find(sign, m.end())
    return found


def hashtag_matches(text: str) -> list[Any]:
    """Match objects of every hashtag candidate in ``text`` (before the URL overlap check)."""
    return signed_matches(HASHTAG_RE, text, "#", "＃", _ASCII_HASHTAG_RE, _ASCII_NOT_BEFORE_HASH)


def _candidates(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(1), m.start(), m.end()) for m in hashtag_matches(text)]


def may_sit_in_url(text: str, entities: list[tuple[str, int, int]]) -> bool:
    """Whether any entity could start inside a URL: only if a dot precedes it in its space-free stretch.

    A URL holds no space and its host's dot comes before any ``#`` or ``@`` it contains, so without such a
    dot no URL can swallow the entity and URL extraction can be skipped.
    """
    return any("." in text[text.rfind(" ", 0, start) + 1 : start] for _, start, _ in entities)


def drop_inside_urls(
    entities: list[tuple[str, int, int]], urls: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """Entities that do not overlap a URL, resolved as Twitter does: by start, the earlier one wins.

    Entities and URLs are sorted together by start (an entity before a URL on a tie); walking that order,
    anything starting before the previous kept item ends is dropped. Only the entities are returned.
    """
    if not urls or not entities:
        return entities
    # An entity can only lose when it starts inside a URL; usually none does, and the merge is skipped.
    if not any(u_start <= start < u_end for _, start, _ in entities for _, u_start, u_end in urls):
        return entities
    merged = [(item[1], 0, item[2], item) for item in entities]
    merged += [(start, 1, end, None) for _, start, end in urls]
    merged.sort(key=lambda row: (row[0], row[1]))
    kept: list[tuple[str, int, int]] = []
    prev_end = -1
    for start, _, end, item in merged:
        if start < prev_end:
            continue
        prev_end = end
        if item is not None:
            kept.append(item)
    return kept


def extract_hashtags_with_indices(
    text: str, urls: list[tuple[str, int, int]] | None = None
) -> list[tuple[str, int, int]]:
    """Hashtags as ``(tag, start, end)``: code-point offsets of the sign and one past the tag.

    ``text[start:end]`` is the sign followed by the tag. Pass ``urls`` (from ``extract_urls_with_indices``)
    when they are already known, to skip extracting them again for the overlap check.
    """
    if not text or ("#" not in text and "＃" not in text):
        return []
    tags = _candidates(text)
    if tags and "." in text:
        if urls is None:
            if not may_sit_in_url(text, tags):
                return tags
            urls = extract_urls_with_indices(text)
        tags = drop_inside_urls(tags, urls)
    return tags


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in ``text`` without the sign, in order, as written."""
    return [tag for tag, _, _ in extract_hashtags_with_indices(text)]
