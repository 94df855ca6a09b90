"""Care for readers: a content warning and the helplines that fit them, beside every text that quotes posts.

People who read a #MeToo report include survivors. Every page, export or terminal view that shows posts
opens with ``CONTENT_WARNING`` and a short list of sexual-violence helplines chosen for the readers'
countries and languages, with an international directory always at the end for everyone else.

The entries live in ``helplines.toml`` beside this module, each with the organisation's own page as its
``source``, the month it was checked, and a ``note`` wherever something could not be verified: a wrong
number in a care block does harm, so the file says what it does not know instead of guessing.
"""

from __future__ import annotations

import html
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

INTERNATIONAL = "INT"

CONTENT_WARNING = (
    "Content warning: the posts below describe sexual violence, including rape and child abuse, often in the "
    "words of the people it happened to. Read at your own pace, and stop whenever you need to. If this brings "
    "something up for you or someone close to you, the services listed here offer free, confidential support."
)

# Common non-ISO spellings a caller might pass; everything else must be an ISO 3166-1 alpha-2 code.
_COUNTRY_ALIASES = {"UK": "GB", "EN": "GB", "USA": "US"}


@dataclass(frozen=True)
class Helpline:
    """One service. The first six fields are the contract; the rest say how far to trust it."""

    country: str
    name: str
    phone: str | None
    url: str | None
    languages: tuple[str, ...]
    source: str
    region: str | None = None
    text: str | None = None
    hours: str | None = None
    checked: str | None = None
    note: str | None = None
    verified_from: tuple[str, ...] = ()


@cache
def all_helplines() -> tuple[Helpline, ...]:
    """Every entry of ``helplines.toml``, in file order."""
    data = tomllib.loads(files("groundswell.privacy").joinpath("helplines.toml").read_text(encoding="utf-8"))
    out = []
    for e in data["helpline"]:
        out.append(
            Helpline(
                country=e["country"],
                name=e["name"],
                phone=e.get("phone"),
                url=e.get("url"),
                languages=tuple(e.get("languages", ())),
                source=e["source"],
                region=e.get("region"),
                text=e.get("text"),
                hours=e.get("hours"),
                checked=e.get("checked"),
                note=e.get("note"),
                verified_from=tuple(e.get("verified_from", ())),
            )
        )
    return tuple(out)


def _norm_country(c: str) -> str:
    c = c.strip().upper()
    return _COUNTRY_ALIASES.get(c, c)


def _norm_lang(lang: str) -> str:
    """BCP-47 primary subtag: 'pt-BR' → 'pt', 'EN_us' → 'en'."""
    return lang.strip().replace("_", "-").split("-")[0].lower()


def helplines_for(countries: Iterable[str] = (), languages: Iterable[str] = ()) -> list[Helpline]:
    """Helplines for readers in ``countries`` (ISO alpha-2) or reading ``languages`` (BCP-47), best first.

    Entries for the given countries come first, in the order asked; then entries that answer in one of the
    given languages; the international directory always comes last. With neither argument, every entry is
    returned (a report on a worldwide movement does not know where its readers are).
    """
    wanted_c = [_norm_country(c) for c in countries if c and c.strip()]
    wanted_l = {_norm_lang(lang) for lang in languages if lang and lang.strip()}
    national = [h for h in all_helplines() if h.country != INTERNATIONAL]
    fallback = [h for h in all_helplines() if h.country == INTERNATIONAL]
    if not wanted_c and not wanted_l:
        return [*sorted(national, key=lambda h: h.country), *fallback]
    chosen: list[Helpline] = []
    for c in dict.fromkeys(wanted_c):
        chosen += [h for h in national if h.country == c]
    chosen += [h for h in national if h not in chosen and wanted_l.intersection(h.languages)]
    return [*chosen, *fallback]


def _where(h: Helpline) -> str:
    if h.country == INTERNATIONAL:
        return "International"
    return f"{h.country}, {h.region}" if h.region else h.country


def _safe_href(url: str) -> str | None:
    """Only web links become links; anything else is shown as text."""
    return url if url.startswith(("https://", "http://")) else None


def care_block_html(countries: Iterable[str] = (), languages: Iterable[str] = ()) -> str:
    """The content warning and the helpline list as an HTML fragment; every value is escaped."""
    e = html.escape
    items = []
    for h in helplines_for(countries, languages):
        parts = [f'<strong>{e(h.name)}</strong> <span class="care-where">({e(_where(h))})</span>']
        if h.phone:
            parts.append(f'<span class="care-phone">{e(h.phone)}</span>')
        if h.text:
            parts.append(f'<span class="care-text">text: {e(h.text)}</span>')
        if h.url:
            href = _safe_href(h.url)
            parts.append(f'<a href="{e(href)}" rel="noopener">{e(h.url)}</a>' if href else e(h.url))
        if h.hours:
            parts.append(f'<span class="care-hours">{e(h.hours)}</span>')
        items.append("<li>" + " · ".join(parts) + "</li>")
    return (
        '<aside class="care" role="note" aria-label="Content warning and support">\n'
        f'<p class="care-warning">{e(CONTENT_WARNING)}</p>\n'
        '<ul class="care-helplines">\n' + "\n".join(items) + "\n</ul>\n</aside>"
    )


def care_block_text(countries: Iterable[str] = (), languages: Iterable[str] = ()) -> str:
    """The same for terminals and plain-text exports."""
    lines = [CONTENT_WARNING, ""]
    for h in helplines_for(countries, languages):
        detail = " · ".join(x for x in (h.phone, f"text {h.text}" if h.text else None, h.url, h.hours) if x)
        lines.append(f"* {h.name} ({_where(h)}): {detail}")
    return "\n".join(lines)
