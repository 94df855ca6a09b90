"""helplines.toml and the care blocks rendered from it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from groundswell.privacy.helplines import (
    CONTENT_WARNING,
    INTERNATIONAL,
    Helpline,
    all_helplines,
    care_block_html,
    care_block_text,
    helplines_for,
)

REQUIRED_COUNTRIES = {"US", "GB", "CA", "AU", "IN", "FR", "ES", "IT", "DE", "MX", "BR", "JP", "KR", "IE", "NZ", "ZA"}


def test_every_entry_has_a_source_and_a_way_to_reach_it() -> None:
    entries = all_helplines()
    assert len(entries) >= 18
    for h in entries:
        assert h.source.startswith(("https://", "http://")), h
        assert h.phone or h.url, h
        assert h.name.strip()
        assert h.country == INTERNATIONAL or re.fullmatch(r"[A-Z]{2}", h.country), h
        assert all(re.fullmatch(r"[a-z]{2,3}", lang) for lang in h.languages), h


def test_unverified_entries_say_so() -> None:
    for h in all_helplines():
        if h.checked is None:
            assert h.note, f"{h.name}: an entry that was not checked must say why in its note"
        else:
            assert h.checked == "2026-11"
            assert h.verified_from, f"{h.name}: checked, but against which page?"


def test_required_countries_and_one_international_fallback_are_covered() -> None:
    countries = {h.country for h in all_helplines()}
    assert countries >= REQUIRED_COUNTRIES
    assert sum(h.country == INTERNATIONAL for h in all_helplines()) == 1


@pytest.mark.parametrize(
    ("country", "phone"),
    [
        ("US", "800-656-4673"),
        ("FR", "3919"),
        ("ES", "016"),
        ("IT", "1522"),
        ("DE", "116 016"),
        ("BR", "180"),
        ("AU", "1800 737 732"),
        ("KR", "1366"),
        ("JP", "#8891"),
        ("IE", "1800 77 88 88"),
        ("NZ", "0800 044 334"),
    ],
)
def test_lookup_by_country_finds_the_national_line(country: str, phone: str) -> None:
    found = helplines_for(countries=[country.lower()])
    assert found[0].country == country
    assert any(h.phone and h.phone.startswith(phone) for h in found if h.country == country)
    assert found[-1].country == INTERNATIONAL


def test_lookup_by_language_and_country_together() -> None:
    found = helplines_for(countries=["uk"], languages=["pt-BR"])
    assert found[0].country == "GB"  # "uk" is understood as the United Kingdom
    assert any(h.country == "BR" for h in found)
    assert found[-1].country == INTERNATIONAL
    assert len(found) == len(set(found))


def test_french_readers_get_french_speaking_services_from_several_countries() -> None:
    countries = {h.country for h in helplines_for(languages=["fr"])}
    assert {"FR", "CA"} <= countries


def test_unknown_country_still_gets_the_international_directory() -> None:
    found = helplines_for(countries=["XX"], languages=["tlh"])
    assert [h.country for h in found] == [INTERNATIONAL]


def test_no_filter_lists_everything_with_the_fallback_last() -> None:
    found = helplines_for()
    assert len(found) == len(all_helplines())
    assert found[-1].country == INTERNATIONAL


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_block_is_escaped_and_carries_the_warning_and_the_lines() -> None:
    block = care_block_html(countries=["US", "GB"])
    # RAINN and Rape Crisis England & Wales have "&" in their names: it must arrive escaped.
    assert "Rape, Abuse &amp; Incest" in block
    assert "Abuse & Incest" not in block
    parser = _Text()
    parser.feed(block)
    text = "".join(parser.text)
    assert CONTENT_WARNING in text
    for h in helplines_for(countries=["US", "GB"]):
        assert h.name in text
    assert set(parser.tags) <= {"aside", "p", "ul", "li", "strong", "span", "a"}
    assert all(href.startswith(("https://", "http://")) for href in parser.hrefs)


def test_html_block_escapes_hostile_values() -> None:
    """The data file is ours, but a wrong edit must not become markup: render a hostile entry directly."""
    import groundswell.privacy.helplines as mod

    hostile = Helpline("US", "<script>alert(1)</script>", "1 & 2", "javascript:alert(1)", ("en",), "https://x.org")
    mod.all_helplines.cache_clear()
    original = mod.all_helplines
    try:
        mod.all_helplines = lambda: (hostile,)  # type: ignore[assignment]
        block = mod.care_block_html(countries=["US"])
    finally:
        mod.all_helplines = original
    assert "<script>" not in block
    assert "&lt;script&gt;" in block
    assert 'href="javascript:' not in block


def test_text_block_lists_the_same_lines() -> None:
    text = care_block_text(countries=["DE"], languages=["de"])
    assert text.startswith(CONTENT_WARNING)
    assert "116 016" in text
    assert text.count("\n* ") == len(helplines_for(countries=["DE"], languages=["de"]))
