"""@mentions and $cashtags in post text, following Twitter's twitter-text rules.

Mentions: ``@`` or ``＠`` then 1–20 of ``[A-Za-z0-9_]``. The sign must not follow a letter, digit, ``_``
or one of ``!#$%&*@＠`` (so ``f!@kn`` and e-mail addresses are not mentions), except that the retweet
prefixes ``RT``, ``rt:`` … may touch it (``RT@user``). A name directly followed by ``@``, by a Latin letter
with an accent (``@aliceìnheiro``) or by ``://`` is rejected whole. ``@user/list-name`` is a *list*, not a
mention, as in twitter-text; a mention inside a URL (``medium.com/@author``) is dropped, as Twitter's own
entities drop it.

Cashtags: ``$`` after the start or a space, 1–6 ASCII letters, optionally ``.`` or ``_`` and 1–2 more
(``$TEST.T``), then the end, a space or ASCII punctuation.
"""

from __future__ import annotations

import regex

from groundswell.text.charsets import AT_SIGNS, DIRECTIONAL, LATIN_ACCENTS, SPACES
from groundswell.text.hashtags import drop_inside_urls, may_sit_in_url, signed_matches
from groundswell.text.urls import extract_urls_with_indices

# Possessive quantifiers + lookahead reproduce twitter-text's "match greedily, then reject on what
# follows" without the regex ever backing off to a shorter name.
MENTION_RE = regex.compile(
    rf"[{AT_SIGNS}]"
    rf"(?<=(?:^|[^a-zA-Z0-9_!#$%&*{AT_SIGNS}])[{AT_SIGNS}]|(?:^|[^a-zA-Z0-9_+~.\-])[rR][tT]:?[{AT_SIGNS}])"
    r"([a-zA-Z0-9_]{1,20}+)"
    r"(/[a-zA-Z][a-zA-Z0-9_\-]{0,24}+)?+"
    rf"(?![{AT_SIGNS}{LATIN_ACCENTS}]|://)"
)

CASHTAG_RE = regex.compile(
    rf"(?<=^|[{SPACES}{DIRECTIONAL}])\$"
    r"([a-zA-Z]{1,6}(?:[._][a-zA-Z]{1,2})?)"
    r"""(?=$|\s|[!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])"""
)


def extract_mentions_or_lists_with_indices(text: str) -> list[tuple[str, str, int, int]]:
    """Mentions and lists as ``(screen_name, list_slug, start, end)``; ``list_slug`` is ``''`` or ``'/name'``."""
    if not text or ("@" not in text and "＠" not in text):
        return []
    found = [(m.group(1), m.group(2) or "", m.start(), m.end()) for m in signed_matches(MENTION_RE, text, "@", "＠")]
    if found and "." in text:
        spans = [(name, start, end) for name, _, start, end in found]
        if not may_sit_in_url(text, spans):
            return found
        kept = {(start, end) for _, start, end in drop_inside_urls(spans, extract_urls_with_indices(text))}
        found = [item for item in found if (item[2], item[3]) in kept]
    return found


def extract_mentions_with_indices(text: str) -> list[tuple[str, int, int]]:
    """Mentions as ``(screen_name, start, end)``: code-point offsets of the ``@`` and one past the name."""
    return [(name, start, end) for name, slug, start, end in extract_mentions_or_lists_with_indices(text) if not slug]


def extract_mentions(text: str) -> list[str]:
    """Screen names mentioned in ``text``, without ``@``, in order, as written."""
    return [name for name, _, _ in extract_mentions_with_indices(text)]


def extract_cashtags_with_indices(text: str) -> list[tuple[str, int, int]]:
    """Cashtags as ``(symbol, start, end)``: code-point offsets of the ``$`` and one past the symbol."""
    if not text or "$" not in text:
        return []
    return [(m.group(1), m.start(), m.end()) for m in CASHTAG_RE.finditer(text)]


def extract_cashtags(text: str) -> list[str]:
    """Cashtags in ``text`` without ``$``, in order, as written."""
    return [tag for tag, _, _ in extract_cashtags_with_indices(text)]
