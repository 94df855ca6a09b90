"""The Arrow batch helpers on real #MeToo posts: same rows as the single-text functions, Arrow types right."""

from __future__ import annotations

import gzip
import re
from itertools import islice
from pathlib import Path

import orjson
import pyarrow as pa
import pytest

from groundswell.text.batch import extract_entities, normalize_hashtags
from groundswell.text.extract import extract_hashtags, extract_mentions, extract_urls
from groundswell.text.normalize import normalize_hashtag

# The scrape wrote "# MeToo"; the reader repairs it like this before anything is extracted.
_REPAIR = re.compile(r"(?<![\w&#@])([#@＃]) (?=\w)")


@pytest.fixture(scope="module")
def metoo_texts(data_dir: Path) -> list[str]:
    path = data_dir / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
    with gzip.open(path) as lines:
        return [_REPAIR.sub(r"\1", orjson.loads(line)["text"]) for line in islice(lines, 20_000)]


def test_rows_equal_single_text_functions_on_real_posts(metoo_texts: list[str]) -> None:
    out = extract_entities(pa.array(metoo_texts))
    assert set(out) == {"hashtags", "mentions", "urls"}
    for key, extract in (("hashtags", extract_hashtags), ("mentions", extract_mentions), ("urls", extract_urls)):
        column = out[key]
        assert column.type == pa.list_(pa.string())
        assert column.null_count == 0
        assert column.to_pylist() == [extract(text) for text in metoo_texts]


def test_real_posts_yield_the_movement_tag(metoo_texts: list[str]) -> None:
    """Every post was found by searching #metoo, so (after the repair) nearly every one must carry it."""
    tags = normalize_hashtags(extract_entities(metoo_texts)["hashtags"]).to_pylist()
    share = sum("metoo" in row for row in tags) / len(tags)
    assert share > 0.95
    spellings = {tag for row in extract_entities(metoo_texts)["hashtags"].to_pylist() for tag in row}
    assert {"MeToo", "metoo", "METOO"} <= spellings


def test_nulls_give_null_lists_and_empty_text_empty_lists() -> None:
    texts = pa.array(["#MeToo @alice see example.com", None, "", "#ＭｅＴｏｏ"])
    out = extract_entities(texts)
    assert out["hashtags"].to_pylist() == [["MeToo"], None, [], ["ＭｅＴｏｏ"]]
    assert out["mentions"].to_pylist() == [["alice"], None, [], []]
    assert out["urls"].to_pylist() == [["example.com"], None, [], []]
    assert normalize_hashtags(out["hashtags"]).to_pylist() == [["metoo"], None, [], ["metoo"]]


def test_accepts_chunked_large_string_and_lists(metoo_texts: list[str]) -> None:
    sample = metoo_texts[:500]
    plain = extract_entities(sample)
    chunked = extract_entities(pa.chunked_array([pa.array(sample[:200]), pa.array(sample[200:])]))
    large = extract_entities(pa.array(sample, pa.large_string()))
    for key in plain:
        assert chunked[key].equals(plain[key])
        assert large[key].equals(plain[key])
    with pytest.raises(TypeError):
        extract_entities(pa.array([1, 2, 3]))


def test_normalize_hashtags_keeps_slices_offsets_and_nulls() -> None:
    tags = pa.array([["MeToo", "Straße"], None, [], ["ＭｅＴｏｏ", "METOO"]], pa.list_(pa.string()))
    assert normalize_hashtags(tags).to_pylist() == [["metoo", "strasse"], None, [], ["metoo", "metoo"]]
    assert normalize_hashtags(tags.slice(2)).to_pylist() == [[], ["metoo", "metoo"]]
    large = pa.array([["ＭｅＴｏｏ"]], pa.large_list(pa.string()))
    assert normalize_hashtags(large).type == pa.large_list(pa.string())
    with pytest.raises(TypeError):
        normalize_hashtags(pa.array(["MeToo"]))


@pytest.mark.parametrize(
    ("tag", "key"),
    [
        ("MeToo", "metoo"),
        ("ＭｅＴｏｏ", "metoo"),  # full-width, as typed on Japanese and Chinese keyboards
        ("METOO", "metoo"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ﾊｯｼｭﾀｸﾞ", "ハッシュタグ"),  # half-width katakana, voiced mark composed by NFKC
        ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),  # final sigma meets sigma
    ],
)
def test_normalize_hashtag(tag: str, key: str) -> None:
    assert normalize_hashtag(tag) == key


def test_entities_inside_urls_are_dropped_in_batch_as_in_single_text() -> None:
    texts = [
        "read https://medium.com/@author/post-1 and twitter.com/#tag, then #real @real",
        "#éfoo.com/#bar @x/list http://a.com/@x",
    ]
    out = extract_entities(texts)
    assert out["hashtags"].to_pylist() == [["real"], extract_hashtags(texts[1])]
    assert out["mentions"].to_pylist() == [["real"], extract_mentions(texts[1])]
    assert out["urls"].to_pylist()[0] == ["https://medium.com/@author/post-1", "twitter.com/#tag"]
    assert out["urls"].to_pylist()[1] == extract_urls(texts[1])
