"""redact / redact_array: a hand-written table of cases in many languages, properties, and the real archive."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import orjson
import pyarrow as pa
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.privacy.redact import redact, redact_array
from groundswell.sources.getoldtweets import repair_text

from .conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "redact_cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("row", CASES, ids=[r["case"] for r in CASES])
def test_case_table(row: dict) -> None:
    keep = frozenset(row.get("keep", ()))
    assert redact(row["input"], keep_mentions=keep) == row["expected"]


@pytest.mark.parametrize("row", CASES, ids=[r["case"] for r in CASES])
def test_case_table_is_stable_under_a_second_pass(row: dict) -> None:
    keep = frozenset(row.get("keep", ()))
    assert redact(row["expected"], keep_mentions=keep) == row["expected"]


def test_case_table_covers_every_rule_and_language_both_ways() -> None:
    """The table is the specification: keep it from silently losing a language or the negative side."""
    langs = {r["lang"] for r in CASES}
    assert {"en", "fr", "es", "de", "it", "hi", "ja", "ar"} <= langs
    for token in ("[email]", "[phone]", "@[user]", "[address]"):
        assert sum(token in r["expected"] for r in CASES) >= 5, token
    negatives = [r for r in CASES if r["input"] == r["expected"]]
    assert len(negatives) >= 30
    assert len({r["case"] for r in CASES}) == len(CASES), "case names must be unique"


# --- properties ---------------------------------------------------------------------------------------

# Pieces that exercise every rule when shuffled together: digits of several scripts, separators, sigils,
# street words, URL and e-mail parts, the replacement tokens themselves.
_PIECES = [
    *"0123456789",
    *"٠١٢٣٤٥٦٧٨٩",
    *"०१२३४५६७८९",
    *"０１２３４５６７８９",
    *" -./()（）+＋:,－ー\u00a0\u202f@＠#_%",
    "06 12 34 56 78",
    "+44 20 7946 0958",
    "2017-10-15",
    "1 600 000",
    "12",
    "Main",
    "Street",
    "rue",
    "de la",
    "Paix",
    "Calle",
    "Via",
    "Hauptstraße",
    "bis",
    "a",
    "alice",
    "example.org",
    "[at]",
    "(dot)",
    "https://",
    "www.",
    "?email=",
    "%40",
    "#",
    "[email]",
    "[phone]",
    "@[user]",
    "[address]",
    "[card]",
    "u_abcdefghij",
    "4111 1111 1111 1111",
    "\n",
]
_mixed = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=800, deadline=None)
@given(_mixed)
def test_redact_is_idempotent_on_rule_shaped_text(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=200))
def test_redact_never_raises_and_is_idempotent_on_any_text(text: str) -> None:
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


@settings(max_examples=300, deadline=None)
@given(_mixed, st.sampled_from(["alice", "ALICE", "@Alice"]))
def test_kept_mentions_are_idempotent_too(text: str, keep: str) -> None:
    once = redact(text, keep_mentions=frozenset({keep}))
    assert redact(once, keep_mentions=frozenset({keep})) == once


def test_text_without_anything_to_redact_is_returned_unchanged() -> None:
    text = "I believe you. #MeToo — et moi aussi. Yo también. Anch'io. 私も。"
    assert redact(text) == text


# --- redact_array -------------------------------------------------------------------------------------


@pytest.mark.parametrize("arrow_type", [pa.string(), pa.large_string()])
def test_redact_array_matches_redact_and_keeps_nulls_and_type(arrow_type: pa.DataType) -> None:
    inputs = [r["input"] for r in CASES[:40]]
    values = [*inputs[:10], None, *inputs[10:], None, "", "nothing here"]
    arr = pa.array(values, type=arrow_type)
    out = redact_array(arr)
    assert out.type == arrow_type
    assert out.null_count == 2
    assert out.to_pylist() == [None if v is None else redact(v) for v in values]


def test_redact_array_passes_keep_mentions_and_chunking_through() -> None:
    chunked = pa.chunked_array([["@Alice and @bob", None], ["call 06 12 34 56 78"]])
    out = redact_array(chunked, keep_mentions=frozenset({"alice"}))
    assert isinstance(out, pa.ChunkedArray)
    assert out.num_chunks == 2
    assert out.to_pylist() == ["@Alice and @[user]", None, "call [phone]"]


def test_redact_array_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        redact_array(pa.array([1, 2, 3]))


# --- real data ----------------------------------------------------------------------------------------

_URLS = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+")
_LEFT_MENTION = re.compile(r"(?<![A-Za-z0-9_])@(?!\[user\])[A-Za-z0-9_]")
_LEFT_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}")
_YEARS = re.compile(r"(?<![\d])(?:19|20)\d\d(?![\d])")


def _gold_texts(shared_data: Path) -> list[str]:
    with (shared_data / "gold" / "train.tsv").open(encoding="utf-8", newline="") as f:
        return [repair_text(row["text"]) for row in csv.DictReader(f, delimiter="\t")]


def test_gold_posts_leave_no_mention_or_email_and_keep_their_years(shared_data: Path) -> None:
    texts = _gold_texts(shared_data)
    assert len(texts) == 2000
    out = redact_array(pa.array(texts)).to_pylist()
    left_mentions = [t for t in out if _LEFT_MENTION.search(_URLS.sub(" ", t))]
    left_emails = [t for t in out if _LEFT_EMAIL.search(_URLS.sub(" ", t))]
    assert left_mentions == []
    assert left_emails == []
    # Independent check that numbers are not eaten wholesale: years survive (measured: all of them).
    years_in = sum(len(_YEARS.findall(t)) for t in texts)
    years_out = sum(len(_YEARS.findall(t)) for t in out)
    assert years_in > 50
    assert years_out >= 0.99 * years_in
    # Mentions are everywhere in the archive; the redaction has to have found them.
    assert sum("@[user]" in t for t in out) > 300


# Numbers read off the archive by hand: these are phone numbers (hotlines and private lines) ...
REAL_PHONES = [
    "212-935-3101",
    "0808 800 5005",
    "845-344-3311",
    "+91 9341253225",
    "1-800-656-4673",
    "(949) 534-0637",
    "0345 303 3333",
    "07860 027573",
    "03.88.32.03.22",
    "95.505.62.22",
    "+96178961816",
    "0900-0101",
]
# ... and these, from the same posts' neighbourhood, are dates, years and counts.
REAL_NOT_PHONES = ["2017.10.24", "11/13/2017", "1940-1960", "1 600 000", "16.999.949", "2.500.000", "25.11.2017"]


@pytest.mark.slow
def test_archive_posts_lose_their_phone_numbers_but_not_their_dates(shared_data: Path) -> None:
    path = shared_data / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
    wanted = REAL_PHONES + REAL_NOT_PHONES
    hits: list[str] = []
    with gzip.open(path) as f:
        for line in f:
            text = orjson.loads(line)["text"]
            if any(w in text for w in wanted):
                hits.append(repair_text(text))
    found = {w for w in wanted if any(w in t for t in hits)}
    assert found == set(wanted), f"expected strings missing from the archive: {set(wanted) - found}"
    for text in hits:
        out = redact(text)
        for phone in REAL_PHONES:
            assert phone not in out, (phone, text)
        for other in REAL_NOT_PHONES:
            if other in text:
                assert other in out, (other, text)
