"""Find telephone numbers in free text, in any script's digits, without eating dates, years or counts.

Why not libphonenumber (``phonenumbers``)? Its matcher needs the reader's region to read a national number
("06 12 34 56 78" is French only if you already know the post is French), and posts carry no reliable
region. A number that leaks is worse than a date that is blanked, but blanking "#MeToo 2017" or
"1,243 posts" would make the redacted text useless to researchers, so this module works in two steps:

1. *Runs*: maximal stretches of digits joined by the separators people put in phone numbers (spaces,
   dots, hyphens and dashes, slashes, parentheses, full-width forms). ``\\d`` is Unicode-aware, so
   Devanagari ``९८७६५``, Arabic-Indic ``٠٥٠`` and full-width ``０９０`` digits are runs too.
2. *Spans*: inside a run, the longest stretch of whole digit groups that looks like a phone number by its
   shape (see ``_is_phone``). Groups that are part of a date ("2017/10/15", "25.11.2017"), a year range
   ("1940-1960") or a clock time ("… 17:30") are never part of a span, and a stretch shaped like a count
   with thousands separators ("1 600 000", "2.500.000") is not a phone.

The rules were drawn from the numbers that actually occur in the 2017 #MeToo archive (hotlines such as
"1-800-656-4673", "0808 800 5005", "(949) 534-0637", "+91 9341253225", and dates, years and counts beside
them). Known misses: bare digit strings without a prefix that are not shaped like a North American number
(e.g. "96178961816"), and numbers spelled with letters ("1-800-656-HOPE" keeps "HOPE").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

# Characters allowed between digit groups. Parentheses are handled by the run regex itself.
_SEP_CHARS = " \u00a0\u202f.\\-/\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff0e\uff0f\u3000"
_OPEN = "(（"
_CLOSE = ")）"
# Not a phone start when glued to a letter, a digit, a currency sign or a sigil, nor when continuing a
# decimal, a clock time ("19:59") or a path ("status/9195…"). A "+" may follow a letter ("M+961…").
# "]" counts as glue because it ends a redaction token: what "[phone]" replaced was glued to what follows,
# and must stay so for redact to be idempotent. "[" is glue after a number for the same reason.
_NOT_BEFORE_DIGIT = r"\dA-Za-zÀ-ɏ_+＋@＠$€£¥\\\]"
_NOT_BEFORE_PLUS = r"\d+＋#＃@＠$€£¥\\\]"
_CONTEXT = r"(?<![\d\]][.,:])(?<![\w\]]/)"
_RUN = re.compile(
    rf"(?:(?<![{_NOT_BEFORE_PLUS}]){_CONTEXT}[+＋]\s?|(?<![{_NOT_BEFORE_DIGIT}]){_CONTEXT})"
    rf"[{_OPEN}]?\d(?:\d|[{_SEP_CHARS}{_OPEN}{_CLOSE}]{{1,3}}(?=\d))*"
)
_DIGITS = re.compile(r"\d+")
# A group glued to a following letter ("5pm", "12th") or to a clock/score colon ("17:30") is not a phone part.
_GLUED_AFTER = re.compile(r"[A-Za-zÀ-ɏ_%\[]|[:：]\d")
_THOUSANDS_SEPS = {".", " "}  # after _norm_sep: NBSP and narrow NBSP fold to " "
_DATE_SEPS = {"-", ".", "/", " "}
_RANGE_SEPS = {"-", "/", " - ", " / "}  # after _norm_sep: every dash is "-"


_MAX_GROUPS = 15  # a phone number has at most 15 digits, so at most 15 groups; bounds the span search


@dataclass(frozen=True, slots=True)
class _Group:
    start: int  # offsets into the text
    end: int
    digits: str  # ASCII digits


def _ascii(digits: str) -> str:
    return "".join(str(unicodedata.decimal(c)) for c in digits)


def _is_year(g: str) -> bool:
    return len(g) == 4 and 1900 <= int(g) <= 2099


def _is_day_or_month(g: str) -> bool:
    return 1 <= len(g) <= 2 and 1 <= int(g) <= 31


def _norm_sep(sep: str) -> str:
    """Separator as written, with dashes folded to '-' and full-width forms to ASCII, spaces collapsed."""
    sep = unicodedata.normalize("NFKC", sep)
    sep = re.sub(r"[\u2010-\u2015\u2212\u30fc]", "-", sep)
    return re.sub(r"\s+", " ", sep)


def _date_or_range_groups(groups: list[_Group], seps: list[str]) -> set[int]:
    """Indices of groups that belong to a date or a year range; no phone span may include them.

    A date is three groups joined twice by the same separator and *not* continued by that separator on
    either side: "06.12.34" is the start of the French number "06.12.34.56.78", but in "25.10.17 20.30"
    it stands alone, so it is a date.
    """
    out: set[int] = set()
    for i in range(len(groups) - 2):
        s1, s2 = seps[i], seps[i + 1]
        if s1 != s2 or s1 not in _DATE_SEPS:
            continue
        if (i > 0 and seps[i - 1] == s1) or (i + 2 < len(seps) and seps[i + 2] == s1):
            continue
        a, b, c = (g.digits for g in groups[i : i + 3])
        ymd = _is_year(a) and _is_day_or_month(b) and _is_day_or_month(c)
        dmy = _is_day_or_month(a) and _is_day_or_month(b) and (_is_year(c) or (len(c) == 2 and s1 != " "))
        if ymd or dmy:
            out.update((i, i + 1, i + 2))
    for i in range(len(groups) - 1):
        if _is_year(groups[i].digits) and _is_year(groups[i + 1].digits) and seps[i] in _RANGE_SEPS:
            out.update((i, i + 1))
    return out


def _is_thousands(digits: list[str], seps: list[str]) -> bool:
    """'1 600 000', '16.999.949': a count written with thousands separators, not a phone number."""
    if len(digits) < 2 or len(set(seps)) != 1 or seps[0] not in _THOUSANDS_SEPS:
        return False
    if not (1 <= len(digits[0]) <= 3) or digits[0][0] == "0" or any(len(d) != 3 for d in digits[1:]):
        return False
    # Spanish numbers are written 3-3-3 with spaces ("612 345 678"): mobile/landline prefixes 6-9.
    spanish = seps[0] == " " and len(digits) == 3 and len(digits[0]) == 3 and digits[0][0] in "6789"
    return not (spanish and digits[-1] != "000")


def _is_nanp(d: str) -> bool:
    """A bare North American number: NPA-NXX-XXXX, optionally after a leading 1 ('3127310903')."""
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    return len(d) == 10 and d[0] in "23456789" and d[3] in "23456789"


def _is_phone(digits: list[str], seps: list[str], plus: bool, parens: bool) -> bool:
    """Does this stretch of digit groups look like a telephone number? Shape only, no region needed."""
    n = sum(len(d) for d in digits)
    if n > 15:  # E.164 allows at most 15 digits; longer strings are ids
        return False
    if plus:
        return n >= 8
    if _is_thousands(digits, seps):
        return False
    whole = "".join(digits)
    if len(digits) == 1:  # a bare digit string: ids and counts look the same, so be strict
        return (whole[0] == "0" and 9 <= n <= 12 and whole.strip("0") != "") or _is_nanp(whole)
    if whole[0] == "0":  # national trunk prefix: 06…, 030…, 0808…, ٠٥٠…
        return n >= 7 and whole.strip("0") != ""
    if whole.startswith(("978", "979")) and n == 13:  # ISBN-13
        return False
    if all(len(d) <= 2 for d in digits):  # "10 15 20 30 40": a list of small numbers
        return False
    if parens or len(digits) >= 3:
        return n >= 9
    return [len(d) for d in digits] == [5, 5] and whole[0] in "6789"  # Indian mobile "98765 43210"


def _best_span(
    groups: list[_Group], seps: list[str], lo: int, hi: int, run_plus: bool, text: str
) -> list[tuple[int, int]]:
    """Longest phone-shaped stretch of groups[lo:hi], then recursively what is left on either side."""
    best: tuple[int, int, int] | None = None  # (digits, i, j)
    for i in range(lo, hi):
        for j in range(min(hi, i + _MAX_GROUPS), i, -1):
            digits = [g.digits for g in groups[i:j]]
            inner = seps[i : j - 1]
            plus = run_plus and i == 0
            span_text = text[groups[i].start : groups[j - 1].end]
            parens = any(c in span_text for c in _CLOSE) or (i > 0 and any(c in seps[i - 1] for c in _OPEN))
            if _is_phone(digits, inner, plus, parens):
                n = sum(map(len, digits))
                if best is None or n > best[0]:
                    best = (n, i, j)
                break  # shorter spans from the same start cannot be longer
    if best is None:
        return []
    _, i, j = best
    # "24/7 1-866-863-0511": a leading group joined by a separator the rest of the number never uses is
    # something else, when the rest is a phone number on its own. A "+" country code is never dropped.
    while i + 2 < j and not (run_plus and i == 0) and seps[i] not in seps[i + 1 : j - 1]:
        rest = [g.digits for g in groups[i + 1 : j]]
        rest_text = text[groups[i + 1].start : groups[j - 1].end]
        if not _is_phone(rest, seps[i + 1 : j - 1], False, any(c in rest_text for c in _CLOSE)):
            break
        i += 1
    return [*_best_span(groups, seps, lo, i, run_plus, text), (i, j), *_best_span(groups, seps, j, hi, run_plus, text)]


def find_phones(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the phone numbers in ``text``, in order, not overlapping.

    A span starts at the ``+`` or ``(`` that belongs to the number, so "+1 (555) 123-4567" is one span and
    the bracket in "(1300 473 528" is left alone when it has no partner.
    """
    spans: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        run_start, run_end = m.span()
        groups = [
            _Group(run_start + g.start(), run_start + g.end(), _ascii(g.group())) for g in _DIGITS.finditer(m.group())
        ]
        if _GLUED_AFTER.match(text, run_end):
            groups.pop()  # "… 17:30", "… 5pm": the last group belongs to something else
        if not groups or (len(groups) >= 4 and all(len(g.digits) == 4 for g in groups)):
            continue  # nothing left, or shaped like a card number (redact.py's business), not a phone
        seps = [_norm_sep(text[a.end : b.start]) for a, b in pairwise(groups)]
        excluded = _date_or_range_groups(groups, seps)
        run_plus = text[run_start] in "+＋"
        # Cut the run at date and range groups; look for phones in each piece.
        lo = 0
        for k in range(len(groups) + 1):
            if k == len(groups) or k in excluded:
                for i, j in _best_span(groups, seps, lo, k, run_plus and lo == 0, text) if k > lo else []:
                    start = run_start if (i == 0 and run_plus) else groups[i].start
                    if i == 0 and lo == 0 and text[run_start] in _OPEN and not run_plus:
                        start = (
                            run_start if any(c in text[groups[0].end : groups[j - 1].end] for c in _CLOSE) else start
                        )
                    elif i > 0 and any(c in seps[i - 1] for c in _OPEN):
                        start = groups[i].start - 1  # include the "(" of "+1 (555) …"
                    spans.append((start, groups[j - 1].end))
                lo = k + 1
    return spans
