"""Redact personal data from any text that leaves the store: reports, exports, the API.

Posts in a #MeToo archive are disclosures of sexual violence. A quoted post that still carries the e-mail
address, phone number, home address or the handles of the people in it can lead anyone back to a survivor
(or to the person they named), so every text that leaves the store goes through ``redact`` first.

What is redacted, and the token that replaces it:

* e-mail addresses (also ``name [at] host [dot] org``) → ``[email]``
* phone numbers in international and national formats, in any script's digits → ``[phone]``
  (see ``groundswell.privacy.phones`` for what counts and what is left alone: years, dates, times, counts,
  ids)
* ``@mentions`` (Twitter, Mastodon ``@user@host``, Bluesky ``@name.bsky.social``) → ``@[user]``, except
  the handles of public figures passed in ``keep_mentions`` and the project's own keyed pseudonyms
  (``@u_`` + 20 hex digits of a keyed hash), which identify no one
* street addresses where their shape gives them away ("123 Main Street", "12 rue de la Paix",
  "Calle Mayor 5", "Via Roma 10", "Hauptstraße 12") → ``[address]``
* payment card numbers that pass the Luhn check → ``[card]`` (posts asking for money carry them)

URLs are kept (a link to a news article is part of what a post says), but a query string that carries an
e-mail address (``?email=alice%40example.org``) is dropped, and nothing inside a URL is touched otherwise.

Guarantees, checked by property tests: ``redact`` never raises on any string, and it is idempotent
(``redact(redact(x)) == redact(x)``), so redacting twice on the way out is harmless.

Limits, stated rather than hidden: a regex cannot see a name ("my uncle John Smith"), an address written
without a house number, or an address in a script whose addresses have no such shape (Japanese
"東京都千代田区1-2-3" is not detected); those need a named-entity model, which this module does not load.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote_plus

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.privacy.phones import find_phones
from groundswell.privacy.pseudonyms import PSEUDONYM

EMAIL_TOKEN = "[email]"
CARD_TOKEN = "[card]"
PHONE_TOKEN = "[phone]"
USER_TOKEN = "@[user]"
ADDRESS_TOKEN = "[address]"

# Links: with a scheme or "www.", or a bare "domain.tld/path". Protected from every other rule.
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”‘’]+"
    r"|(?<![\w@.])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/[^\s<>\"'“”‘’]*"
)
_EMAIL = re.compile(
    r"(?<![\w.+%@＠\]-])[\w.+%-]+"
    r"(?:@|＠|\s?[\[(]\s?at\s?[\])]\s?)"
    r"[\w-]+(?:(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[\w-]+)*(?:\.|\s?[\[(]\s?dot\s?[\])]\s?)[^\W\d_]{2,}(?![\w\[-])",
    re.IGNORECASE,
)
_EMAIL_IN_URL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# twitter-text: a mention may not follow a letter, digit, "_" or one of !#$%&*@ (so "me@home" is not one).
# "]" is added so that the "@" after a token ("@[user]@0") stays glued, as it was before (idempotence).
_MENTION = re.compile(r"(?<![A-Za-z0-9_!#$%&*@＠\]])[@＠](\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)*\.\w+)?)")
_PSEUDONYM = PSEUDONYM

# Street addresses. House numbers: "12", "12a", "12-14", "12 bis"; never a year (see _address).
_NUM = r"\d{1,5}(?:[-/]\d{1,4})?(?:\s?(?:bis|ter|[A-Za-z])(?![\w]))?"
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"  # a capitalized word: "Main", "O'Connell", "St.", "Champs-Élysées"
_PART = r"(?:de|du|des|la|le|les|del|el|los|las|di|della|delle|dei|degli|d'|l'|d’|l’)"
_NAME = rf"(?:{_PART}\s*)*{_CAP}(?:\s+(?:{_PART}\s*)*{_CAP}){{0,3}}"
# Headlines are Title Case ("9 Types Of Street Harassment"): a street name has no function words.
_EN_STOP = r"(?!(?:Of|The|And|Or|In|On|At|To|For|With|By|From|My|Your|His|Her|Our|Their|Its|A|An|Is|Are)\b)"
_EN_NAME = rf"{_EN_STOP}{_CAP}(?:\s+{_EN_STOP}{_CAP}){{0,3}}"
_EN_TYPES = (
    r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Place|Pl\.?"
    r"|Way|Terrace|Close|Crescent|Highway|Hwy\.?|Parkway|Pkwy\.?|Square|Sq\.?"
)
_FR_TYPES = r"rue|avenue|av\.|boulevard|bd|place|impasse|allée|chemin|quai|cours|passage|square|route"
_ES_IT_TYPES = (
    r"[Cc]alle|C/|[Aa]venida|Avda\.?|[Pp]aseo|[Pp]laza|[Cc]amino|[Cc]arrera|[Rr]onda|[Tt]ravesía"
    r"|Via|V\.|[Vv]iale|[Pp]iazza|[Pp]iazzale|[Cc]orso|[Vv]icolo|[Ll]argo"
)
_DE_SUFFIX = r"(?i:straße|strasse|str\.|gasse|allee|platz|weg|damm|ufer|chaussee|steig|pfad)"
_DE_WORD = r"(?:Straße|Strasse|Str\.|Gasse|Allee|Platz|Weg|Damm|Ufer|Chaussee)"
_ADDRESS = re.compile(
    "|".join(
        (
            # 123 Main Street / 221B Baker St.
            rf"(?<![\w/.,:\]-])(?P<n1>{_NUM})\s+{_EN_NAME}\s+(?:{_EN_TYPES})(?![\w\[])",
            # 12 rue de la Paix / 5, avenue des Champs-Élysées
            rf"(?<![\w/.,:\]-])(?P<n2>{_NUM}),?\s+(?i:{_FR_TYPES})\s+{_NAME}",
            # Calle Mayor 5 / Calle de Alcalá, 42 / Via Roma 10 / Piazza San Marco, 1
            rf"(?<![\w\]])(?:{_ES_IT_TYPES})\s+{_NAME},?\s+(?:n[º°o]\.?\s*)?(?P<n3>{_NUM})(?![\w\[])(?![.,/]\d)",
            # Hauptstraße 12 / Karl-Marx-Allee 5a / Berliner Straße 12
            rf"(?<![\w\]])(?:[A-ZÄÖÜ][\w-]*{_DE_SUFFIX}|{_CAP}\s+{_DE_WORD})\s+(?P<n4>{_NUM})(?![\w\[])(?![.,/]\d)",
        )
    )
)
# Payment card numbers: 13-19 digits, in groups of four or bare, passing the Luhn check. Not in the
# original list of what to redact, but the archive has posts asking for money with a card number in them,
# and the phone rules would otherwise redact only part of one.
# Written bare, only the common 16 digits count: 17-19 digit ids (tweet ids) pass Luhn one time in ten.
_CARD = re.compile(r"(?<![\w.,\]-])(?:\d{4}(?:[ -]\d{4}){2}[ -]\d{1,7}|\d{16})(?![\w\[])")
# Every rule's context treats "]" (the end of a token) as a word character and "[" likewise, so that a
# replacement never exposes a neighbour that was glued to what it replaced: redact stays idempotent.
_YEAR = re.compile(r"(?:19|20)\d\d")

_DIGIT = re.compile(r"\d")
_AT_WORD = re.compile(r"[\[(]\s?at\s?[\])]", re.IGNORECASE)

# What a text must contain for any rule to apply: an at sign, a digit, or a bracketed "at" (RE2 syntax).
_MAY_NEED_REDACTION = r"[@＠\p{Nd}]|[\[(]\s?(?i:at)\s?[\])]"


def _normalize_keep(keep_mentions: Iterable[str]) -> frozenset[str]:
    return frozenset(h.lstrip("@＠").casefold() for h in keep_mentions)


def _address(m: re.Match[str]) -> str:
    number = next(g for g in (m.group("n1"), m.group("n2"), m.group("n3"), m.group("n4")) if g is not None)
    if _YEAR.fullmatch(number):  # "Calle Mayor 2017" is more likely a year than a house
        return m.group()
    return ADDRESS_TOKEN


def _luhn(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = unicodedata.decimal(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(m: re.Match[str]) -> str:
    digits = "".join(c for c in m.group() if c.isdecimal())
    return CARD_TOKEN if 13 <= len(digits) <= 19 and _luhn(digits) else m.group()


def _mention(m: re.Match[str], keep: frozenset[str]) -> str:
    handle = m.group(1)
    if _PSEUDONYM.fullmatch(handle) or handle.casefold() in keep:
        return m.group()
    return USER_TOKEN


def _redact_plain(text: str, keep: frozenset[str]) -> str:
    """Redact a stretch of text that holds no URL.

    Each rule needs an at sign or a digit to match, so cheap substring tests skip the regexes that cannot
    (most posts have no digit; a third have no "@"). The guards change the speed, never the result.
    """
    has_at = "@" in text or "＠" in text
    if has_at or _AT_WORD.search(text):
        text = _EMAIL.sub(EMAIL_TOKEN, text)
    if has_at:
        text = _MENTION.sub(lambda m: _mention(m, keep), text)
    if not _DIGIT.search(text):
        return text
    text = _ADDRESS.sub(_address, text)
    text = _CARD.sub(_card, text)
    spans = find_phones(text)
    if spans:
        parts: list[str] = []
        last = 0
        for start, end in spans:
            parts += [text[last:start], PHONE_TOKEN]
            last = end
        parts.append(text[last:])
        text = "".join(parts)
    return text


def _clean_url(url: str) -> str:
    """Keep the link; drop a query string or fragment that carries an e-mail address."""
    base, hash_, fragment = url.partition("#")
    path, q, query = base.partition("?")
    if q and _EMAIL_IN_URL.search(unquote_plus(query)):
        base = path
    if hash_ and _EMAIL_IN_URL.search(unquote_plus(fragment)):
        return base
    return base + hash_ + fragment


def redact(text: str, *, keep_mentions: frozenset[str] = frozenset()) -> str:
    """``text`` with e-mail addresses, phone numbers, @mentions and street addresses replaced by tokens.

    ``keep_mentions`` holds handles that may stay (public figures quoted in the report), compared
    case-insensitively, with or without the leading "@". Pseudonyms ``@u_…`` are always kept.
    """
    keep = _normalize_keep(keep_mentions)
    out: list[str] = []
    last = 0
    for m in _URL.finditer(text):
        out += [_redact_plain(text[last : m.start()], keep), _clean_url(m.group())]
        last = m.end()
    out.append(_redact_plain(text[last:], keep))
    return "".join(out)


def redact_array(
    texts: pa.Array | pa.ChunkedArray, *, keep_mentions: frozenset[str] = frozenset()
) -> pa.Array | pa.ChunkedArray:
    """``redact`` over an Arrow string column; nulls stay null, type and chunking are kept.

    Vectorized where it pays: one RE2 pass in Arrow finds the texts that hold no "@" and no digit (nothing
    to redact, most posts), and only the rest go through Python.
    """
    if isinstance(texts, pa.ChunkedArray):
        chunks = [redact_array(c, keep_mentions=keep_mentions) for c in texts.chunks]
        return pa.chunked_array(chunks, type=texts.type)
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        raise TypeError(f"redact_array needs a string array, got {texts.type}")
    mask = pc.fill_null(pc.match_substring_regex(texts, _MAY_NEED_REDACTION), False)
    idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    if len(idx) == 0:
        return texts
    keep = _normalize_keep(keep_mentions)
    redacted = [redact(t, keep_mentions=keep) for t in texts.take(pa.array(idx)).to_pylist()]
    return pc.replace_with_mask(texts, mask, pa.array(redacted, type=texts.type))
