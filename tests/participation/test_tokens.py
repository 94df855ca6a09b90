"""The numpy word tokenizer and hasher agree with the regex tokenizer and are stable across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from groundswell.participation.normalize import TOKEN, normalize_batch
from groundswell.participation.tokens import WORD_BITS, _cues, _fixed, token_stream, word_hashes


def test_word_hashes_find_exactly_the_regex_tokens(gold_rows):
    norms = normalize_batch([r["text"] for r in gold_rows])
    rows, h, _, _ = word_hashes(norms)
    expected = [(i, t) for i, s in enumerate(norms) for t in TOKEN.findall(s)]
    assert len(expected) > 30_000
    assert rows.tolist() == [i for i, _ in expected]
    # one hash per distinct token and one token per distinct hash, over ~10^4 distinct tokens of many scripts
    pairs = {(t, int(x)) for (_, t), x in zip(expected, h, strict=True)}
    assert len(pairs) == len({t for _, t in expected}) == len({int(x) for x in h})


def _cue_buckets(text: str) -> set[str]:
    names, _, _ = _cues()
    buckets = (_fixed()["cues"] >> np.uint64(64 - WORD_BITS)).astype(np.int64).tolist()
    _, found = token_stream(normalize_batch([text]))
    return {n for n, b in zip(names, buckets, strict=True) if b in set(found.tolist())}


def test_cue_families_from_words_phrases_and_ages():
    assert _cue_buckets("# MeToo I was 12 when my uncle groped me") >= {"age", "my_person", "me_victim", "first"}
    assert "oppose" not in _cue_buckets("# MeToo I was 12 when my uncle groped me")
    assert "oppose" in _cue_buckets("This # metoo thing is a witch hunt")
    assert "support" in _cue_buckets("Je te crois. # MeToo")


def test_hashes_do_not_depend_on_the_process(gold_rows):
    texts = [r["text"] for r in gold_rows[:50]]
    code = (
        "import sys, json; from groundswell.participation.normalize import normalize_batch;"
        "from groundswell.participation.tokens import token_stream;"
        "r, b = token_stream(normalize_batch(json.load(sys.stdin))); print(json.dumps(b.tolist()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    ).stdout
    assert json.loads(out) == token_stream(normalize_batch(texts))[1].tolist()
