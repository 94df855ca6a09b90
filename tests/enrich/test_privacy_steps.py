"""The privacy steps of enrich, made faster, still give exactly what the plain per-post rules give.

Each fast path (the Arrow pre-filter of the own-handle check, the memos of rewritten and redacted texts)
is compared with the straightforward algorithm it replaced, written out here as the reference, on real
posts and on the Unicode cases where a pre-filter could go wrong.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from groundswell.enrich import pipeline
from groundswell.enrich.pipeline import EnrichContext, fill_entities, pseudonymize, redact_contacts
from groundswell.privacy import pseudonyms
from groundswell.privacy.pseudonyms import PrivacySettings, Pseudonymizer
from groundswell.privacy.redact import redact
from tests.enrich.conftest import KEY

NOBODY = PrivacySettings()


def own_handle_reference(
    text: list, urls: list, handles: list, authors: list, followers: list, settings: PrivacySettings
) -> tuple[list, list]:
    """The own-handle rule post by post, as it was written before the Arrow pre-filter."""
    ts, us = list(text), list(urls)
    for i, h in enumerate(handles):
        if not h or len(h) < 3:
            continue
        low = h.lower()
        t, u = ts[i], us[i]
        in_text = bool(t) and low in t.lower()
        in_urls = bool(u) and any(low in x.lower() for x in u)
        if not (in_text or in_urls) or settings.is_public(h, followers[i]):
            continue
        pat = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(h) + r"(?![A-Za-z0-9_])", re.I)
        if in_text:
            ts[i] = pat.sub(authors[i] or "", t)
        if in_urls:
            us[i] = [pat.sub(authors[i] or "", x) for x in u]
    return ts, us


def run_own_handle(text: list, urls: list, handles: list, authors: list, followers: list, settings=NOBODY):
    t, u = pipeline._own_handle(
        pa.array(text, pa.string()),
        pa.array(urls, pa.list_(pa.string())),
        pa.array(handles, pa.string()),
        pa.array(authors, pa.string()),
        pa.array(followers, pa.int64()),
        settings,
    )
    return t.to_pylist(), u.to_pylist()


def test_own_handle_equals_reference_on_real_posts(twarc2_batches: list[pa.RecordBatch]) -> None:
    changed = 0
    for batch in twarc2_batches:
        cols = [batch.column(n).to_pylist() for n in ("text", "urls", "author_handle", "raw_author")]
        followers = batch.column("author_followers").to_pylist()
        expected = own_handle_reference(*cols, followers, NOBODY)
        assert run_own_handle(*cols, followers) == expected
        changed += sum(a != b for a, b in zip(expected[1], cols[1], strict=True))
        changed += sum(a != b for a, b in zip(expected[0], cols[0], strict=True))
    assert changed > 0  # the real pages do hold authors' own handles (their media links)


def test_own_handle_unicode_cases() -> None:
    """Texts where lowercasing is not one character for one: Kelvin sign, dotted capital I, final sigma."""
    text = [
        "read paper.li/alice today",  # plain: replaced
        "\u212aim wrote this",  # KELVIN SIGN lowercases to ASCII "k": "kim" is in the text
        "\u0130lker was here",  # U+0130 lowercases to "i" + U+0307 in Python: "ilker" is not in the text
        "ΟΔΥΣΣΕΥΣ and odysseus",  # final sigma
        "nothing here",
        None,
        "short al here",
        "Ærø_x posted",  # a non-ASCII handle
        "bob",
    ]
    urls = [[], [], [], [], ["https://mixcloud.com/NoThInG/x"], ["https://site.org/ALICE2"], [], [], None]
    handles = ["alice", "kim", "ilker", "odysseus", "nothing", "alice2", "al", "ærø_x", "bob"]
    authors = [f"u_{i:020x}" for i in range(len(text))]
    followers = [None] * len(text)
    got = run_own_handle(text, urls, handles, authors, followers)
    assert got == own_handle_reference(text, urls, handles, authors, followers, NOBODY)
    assert got[0][0] == f"read paper.li/{authors[0]} today"
    assert got[0][1] == f"{authors[1]} wrote this"
    assert got[1][4] == [f"https://mixcloud.com/{authors[4]}/x"]
    assert got[1][5] == [f"https://site.org/{authors[5]}"]
    assert got[0][6] == "short al here"  # handles under 3 characters are left alone
    assert got[0][7] == f"{authors[7]} posted"


def test_own_handle_keeps_public_figures() -> None:
    settings = PrivacySettings(public_min_followers=1000)
    args = (["paper.li/alice", "paper.li/bob"], [[], []], ["alice", "bob"], ["u_a", "u_b"], [5000, 10])
    got = run_own_handle(*args, settings=settings)
    assert got == own_handle_reference(*args, settings)
    assert got[0] == ["paper.li/alice", "paper.li/u_b"]


def test_rewrite_distinct_equals_rewrite_text(metoo_batch: pa.RecordBatch, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pseudonyms, "TEXT_MEMO_ENTRIES", 50)  # the memo fills and starts afresh many times
    texts = [t for t in metoo_batch.column("text").to_pylist() if t][:3000]
    fresh = Pseudonymizer(KEY)
    expected = [fresh.rewrite_text("twitter", t, NOBODY) for t in texts]
    memo = Pseudonymizer(KEY)
    half = len(texts) // 2
    got = (
        memo.rewrite_distinct("twitter", NOBODY, texts[:half]) + memo.rewrite_distinct("twitter", NOBODY, texts)[half:]
    )
    assert got == expected
    assert sum(a != b for a, b in zip(got, texts, strict=True)) > 100  # mentions were rewritten
    assert len(memo._texts[("twitter", NOBODY)]) <= 50


def test_enrich_twice_gives_the_same_batch(metoo_batch: pa.RecordBatch, twarc2_batches: list) -> None:
    """A warm memo (second batch of the same texts) changes nothing in what is stored."""
    ctx = EnrichContext(key=KEY)
    for batch in [metoo_batch, *twarc2_batches]:
        cold = pipeline.enrich(batch, EnrichContext(key=KEY + b"cold"))  # a key never seen: empty memos
        warm1 = pipeline.enrich(batch, ctx)
        warm2 = pipeline.enrich(batch, ctx)
        assert warm1.equals(warm2)
        assert cold.schema == warm1.schema


def test_redact_contacts_equals_redacting_each_post(metoo_contacts_batch: pa.RecordBatch) -> None:
    ctx = EnrichContext(key=KEY)
    batch = pseudonymize(fill_entities(metoo_contacts_batch), ctx)
    texts = batch.column("text").to_pylist()
    hint = pc.fill_null(pc.match_substring_regex(batch.column("text"), pipeline._CONTACT_HINT), False).to_pylist()
    expected = [
        redact(t, keep_mentions=frozenset()) if h and pipeline._may_hold_contact(t) else t
        for t, h in zip(texts, hint, strict=True)
    ]
    for _ in range(2):  # cold, then with every text remembered
        assert redact_contacts(batch, ctx).column("text").to_pylist() == expected
    assert sum(a != b for a, b in zip(expected, texts, strict=True)) > 0  # the scrape has phone numbers
