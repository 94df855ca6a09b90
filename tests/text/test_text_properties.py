"""Property tests: extraction never raises, and every offset points at exactly what was extracted.

Offsets follow the suite's convention, which is Python's: code points, so an emoji or an astral-plane
letter counts one. The strategies lean on the characters the rules care about (signs, dots, slashes,
marks, variation selectors, astral letters) so the interesting branches are reached, not just the
whitespace-free gibberish of uniform random text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.text.batch import extract_entities
from groundswell.text.extract import (
    extract_cashtags_with_indices,
    extract_hashtags,
    extract_hashtags_with_indices,
    extract_mentions,
    extract_mentions_or_lists_with_indices,
    extract_mentions_with_indices,
    extract_urls,
    extract_urls_with_indices,
)
from groundswell.text.hashtags import HASHTAG_RE, hashtag_matches
from groundswell.text.mentions import MENTION_RE
from groundswell.text.urls import scan_urls_with_indices

_PIECES = st.sampled_from(
    [
        "#",
        "＃",
        "@",
        "＠",
        "$",
        ".",
        "/",
        ":",
        "://",
        "http://",
        "https://",
        " ",
        "\n",
        "\u3000",
        "_",
        "-",
        "&",
        "(",
        ")",
        "?",
        "=",
        "…",
        "RT",
        "\ufe0f",
        "\u20e3",
        "\u200d",
        "\u0301",
        "\U00020021",
        "👩🏽",
        "com",
        "co",
        "jp",
        "t.co",
        "xn--",
        "みんな",
        "MeToo",
        "ｍｅｔｏｏ",
        "é",
        "16",
        "ß",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=30).map("".join),
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_hashtag_offsets_point_at_sign_and_tag(text: str) -> None:
    for tag, start, end in extract_hashtags_with_indices(text):
        assert text[start:end] in ("#" + tag, "＃" + tag)
    assert extract_hashtags(text) == [tag for tag, _, _ in extract_hashtags_with_indices(text)]


@SETTINGS
@given(TEXTS)
def test_mention_and_cashtag_offsets(text: str) -> None:
    for name, slug, start, end in extract_mentions_or_lists_with_indices(text):
        assert text[start:end] in ("@" + name + slug, "＠" + name + slug)
    for name, start, end in extract_mentions_with_indices(text):
        assert text[start:end] in ("@" + name, "＠" + name)
    for tag, start, end in extract_cashtags_with_indices(text):
        assert text[start:end] == "$" + tag
    assert extract_mentions(text) == [name for name, _, _ in extract_mentions_with_indices(text)]


@SETTINGS
@given(TEXTS)
def test_url_offsets_and_windowed_scan_equals_full_scan(text: str) -> None:
    found = extract_urls_with_indices(text)
    for url, start, end in found:
        assert text[start:end] == url
    # The fast path only scans stretches around plausible dots; it must miss nothing a full scan finds.
    assert found == scan_urls_with_indices(text)
    assert extract_urls(text) == [url for url, _, _ in found]


@SETTINGS
@given(st.lists(st.one_of(st.none(), TEXTS), max_size=8))
def test_batch_rows_equal_single_text_functions(texts: list[str | None]) -> None:
    out = extract_entities(texts)
    for key in ("hashtags", "mentions", "urls"):
        assert len(out[key]) == len(texts)
    singles = {"hashtags": extract_hashtags, "mentions": extract_mentions, "urls": extract_urls}
    for key, extract in singles.items():
        got = out[key].to_pylist()
        for row, text in zip(got, texts, strict=True):
            assert row == (None if text is None else extract(text))


@SETTINGS
@given(TEXTS)
def test_sign_to_sign_fast_paths_equal_plain_scans(text: str) -> None:
    """The find-and-anchor loop and the ASCII shortcut must find exactly what a plain finditer finds."""
    assert [(m.group(1), m.span()) for m in hashtag_matches(text)] == [
        (m.group(1), m.span()) for m in HASHTAG_RE.finditer(text)
    ]
    plain = [(m.group(1), m.group(2) or "", *m.span()) for m in MENTION_RE.finditer(text)]
    if "." not in text:  # with a dot, mentions inside URLs are dropped on purpose
        assert extract_mentions_or_lists_with_indices(text) == plain
