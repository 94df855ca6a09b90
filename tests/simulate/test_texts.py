"""Phrase banks: every language and class, the movement's hashtags, variety, nothing copied from real posts."""

from __future__ import annotations

import csv
import re

from groundswell.simulate.config import CLASSES, LANGUAGES
from groundswell.simulate.ids import mix
from groundswell.simulate.texts import bank, compose, hashtags

from .conftest import DATA

REQUIRED_TAGS = {
    "MeToo", "MoiAussi", "BalanceTonPorc", "YoTambién", "QuellaVoltaChe", "米兔", "MeTooIndia",
    "TimesUp", "HowIWillChange", "WhyIDidntReport",
}  # fmt: skip


def test_every_language_has_every_class_and_each_template_carries_a_hashtag() -> None:
    for lang in LANGUAGES:
        b = bank(lang)
        assert b.lang == lang
        for cls in CLASSES:
            assert b.templates[cls], (lang, cls)
            for t in b.templates[cls]:
                assert "{tag}" in t, (lang, cls, t)


def test_banks_use_the_movements_hashtags() -> None:
    tags = set()
    for lang in LANGUAGES:
        b = bank(lang)
        tags |= {t.lstrip("#") for t in b.tags + b.related}
    assert tags >= REQUIRED_TAGS


def test_bare_hashtag_acknowledgements_exist() -> None:
    texts = {compose("en", "acknowledgement", mix(i)) for i in range(2000)}
    assert {"#MeToo", "#metoo"} <= texts


def test_texts_are_varied() -> None:
    for lang, cls, at_least in (("en", "commentary", 1500), ("en", "disclosure", 1500), ("fr", "disclosure", 600)):
        texts = {compose(lang, cls, mix(i)) for i in range(3000)}
        assert len(texts) >= at_least, (lang, cls, len(texts))


def test_texts_carry_hashtags_a_reader_can_find() -> None:
    for lang in LANGUAGES:
        for cls in CLASSES:
            for i in range(50):
                text = compose(lang, cls, mix(i, 99))
                found = hashtags(text)
                assert found, text
                for tag, start, end in found:
                    assert text[start:end] == "#" + tag


def test_no_generated_text_is_copied_from_the_real_posts() -> None:
    """Beyond bare hashtags and 'me too', nothing generated may equal a real gold post (normalized)."""

    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", re.sub(r"#\s+", "#", s)).strip().casefold()

    with (DATA / "gold" / "train.tsv").open(encoding="utf-8", newline="") as f:
        real = {norm(r["text"]) for r in csv.DictReader(f, delimiter="\t")}
    generated = {norm(compose(lang, cls, mix(i, 7))) for lang in LANGUAGES for cls in CLASSES for i in range(300)}
    trivial = re.compile(r"^(?:(?:#\w+|me too|yes|[.,!]|\W)\s*)+$")
    copied = sorted(t for t in generated & real if not trivial.match(t))
    assert not copied
