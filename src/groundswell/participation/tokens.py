"""The word block's tokens, hashed in numpy: unigrams, bigrams, cue families and shape tokens.

The default classifier must label ≥ 20,000 posts/s on two cores. Looking tokens up in a Python dict, even
through ``map`` and ``fromiter``, costs a Python-level operation per token, per bigram and per trigram:
about three quarters of the time per post. Here a whole batch is one array of code points. Tokens
(``#?[\\w']+``, the regex the model always used) are found from a word-character table, and each token's
hash comes from one prefix sum of a polynomial hash (``hash(s, e) = (P[e] − P[s]) · B⁻ˢ mod 2⁶⁴``), so no
Python string is made per token. Bigrams and trigrams combine neighbouring token hashes; cue phrases
(``normalize.CUES``) are hashed the same way once and found with a sorted search.

Hashes are a fixed function of the text (Python's ``hash`` is salted per process and could not be used),
so the same words land in the same columns in every process; with 2²⁰ buckets and a vocabulary of ~10⁵
n-grams, collisions are rare and harmless to a linear model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .normalize import _DIGIT, AGE_RX, PLACEHOLDERS, TAG_BUCKETS, WORD_BUCKETS, cue_table

__all__ = ["WORD_BITS", "token_stream", "word_hashes"]

WORD_BITS = 20
_B = 0x100000001B3
_BINV = pow(_B, -1, 1 << 64)
_M2 = np.uint64(0x9E3779B97F4A7C15)
_BI = np.uint64(0xC2B2AE3D27D4EB4F)
_TRI = np.uint64(0x165667B19E3779F9)
_SPECIAL = np.uint64(0x27D4EB2F165667C5)
_TABLE_SIZE = 0x30000  # planes 0–2; letters beyond (CJK extension G and later) count as non-word
_pow_cache: list[np.ndarray] = [np.ones(1, np.uint64), np.ones(1, np.uint64)]


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """B**i and B**-i (mod 2**64) for i < n, grown on demand and cached."""
    if len(_pow_cache[0]) < n:
        m = max(n, 2 * len(_pow_cache[0]))
        fw = np.full(m, _B, dtype=np.uint64)
        bw = np.full(m, _BINV, dtype=np.uint64)
        fw[0] = bw[0] = 1
        _pow_cache[:] = [np.cumprod(fw), np.cumprod(bw)]
    return _pow_cache[0][:n], _pow_cache[1][:n]


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """is_word[code point]: what ``[\\w']`` matches (built once, a fraction of a second)."""
    s = "".join(map(chr, range(_TABLE_SIZE)))
    table = np.zeros(_TABLE_SIZE + 1, dtype=bool)  # the last entry stands for every code point beyond
    for m in re.finditer(r"[\w']+", s):
        table[m.start() : m.end()] = True
    return table


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(31))
    h = h * _M2
    return h ^ (h >> np.uint64(29))


def word_hashes(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(row, hash, start, cp) of every token ``#?[\\w']+`` of a batch, all in numpy.

    ``start`` indexes ``cp``, the code points of the texts joined by NUL (the placeholders are spotted by
    their first letters). A token never spans a NUL, so it belongs to exactly one row.
    """
    joined = "\x00".join(norms)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    n = len(cp)
    w = _word_table()[np.minimum(cp, _TABLE_SIZE)]
    edge = np.diff(np.concatenate(([False], w, [False])).view(np.int8))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    hashtag = np.zeros(len(starts), dtype=bool)
    ok = starts > 0
    hashtag[ok] = cp[starts[ok] - 1] == 35  # '#'
    starts = starts - hashtag
    fw, bw = _powers(n + 1)
    c64 = cp.astype(np.uint64) + np.uint64(1)
    prefix = np.concatenate((np.zeros(1, np.uint64), np.cumsum(c64 * fw[:n], dtype=np.uint64)))
    h = _mix((prefix[ends] - prefix[starts]) * bw[starts])
    rows = np.cumsum(cp == 0)[starts] if n else starts
    return rows, h, starts, cp


def _bigram(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return _mix(a * _BI ^ b)


def _trigram(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return _mix((a * _TRI ^ b) * _TRI ^ c)


def _special(names: Sequence[str]) -> np.ndarray:
    """Hashes of synthetic tokens (cue families, length buckets), salted so no word of a post equals one."""
    _, h, _, _ = word_hashes(list(names))
    return _mix(h ^ _SPECIAL)


@lru_cache(maxsize=1)
def _cues() -> tuple[list[str], np.ndarray, np.ndarray]:
    """(cue names, sorted hashes of every cue string of 1–3 tokens, the family of each)."""
    names, table = cue_table()
    keys, fams = [], []
    for phrase, fam in table.items():
        _, h, _, _ = word_hashes([phrase])
        if len(h) == 1:
            keys.append(h[0])
        elif len(h) == 2:
            keys.append(_bigram(h[:1], h[1:])[0])
        elif len(h) == 3:
            keys.append(_trigram(h[:1], h[1:2], h[2:])[0])
        else:
            continue
        fams.append(fam)
    k = np.array(keys, dtype=np.uint64)
    order = np.argsort(k, kind="stable")
    return names, k[order], np.array(fams, dtype=np.int64)[order]


def _lookup(keys: np.ndarray, fams: np.ndarray, h: np.ndarray) -> np.ndarray:
    pos = np.minimum(np.searchsorted(keys, h), len(keys) - 1)
    return np.where(keys[pos] == h, fams[pos], -1)


@lru_cache(maxsize=1)
def _fixed() -> dict[str, np.ndarray]:
    names, _, _ = _cues()
    return {
        "placeholders": np.sort(word_hashes(sorted(PLACEHOLDERS))[1]),
        "cues": _special([f"zz{c}" for c in names]),
        "words": _special([f"zzw{i}" for i in range(len(WORD_BUCKETS) + 1)]),
        "tags": _special([f"zzt{i}" for i in range(len(TAG_BUCKETS) + 1)]),
        "bare": _special(["zzbare"]),
    }


def token_stream(norms: Sequence[str], bits: int = WORD_BITS) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of every word-block token of a batch, grouped by row.

    Tokens: unigrams, bigrams within a post, one token per cue family present (from uni-, bi- and
    trigrams, and ages found by ``AGE_RX``), a word-count bucket, a hashtag-count bucket, and ``bare``
    for posts with no word at all.
    """
    n = len(norms)
    rows, h, starts, cp = word_hashes(norms)
    same = rows[1:] == rows[:-1]
    bi = _bigram(h[:-1][same], h[1:][same])
    same3 = same[1:] & same[:-1]
    tri = _trigram(h[:-2][same3], h[1:-1][same3], h[2:][same3])
    names, keys, fams = _cues()
    hits = [_lookup(keys, fams, x) for x in (h, bi, tri)]
    hit_rows = (rows, rows[:-1][same], rows[:-2][same3])
    cue_rows = np.concatenate([r[f >= 0] for r, f in zip(hit_rows, hits, strict=True)])
    cue_ids = np.concatenate([f[f >= 0] for f in hits])
    # every AGE_RX alternative holds a digit: the slow pattern runs only on posts that have one
    aged = np.array([i for i, t in enumerate(norms) if _DIGIT.search(t) and AGE_RX.search(t)], dtype=np.int64)
    cue_rows = np.concatenate([cue_rows, aged])
    cue_ids = np.concatenate([cue_ids, np.full(len(aged), names.index("age"))])
    pairs = np.unique(cue_rows * len(names) + cue_ids)
    fixed = _fixed()
    # shape: words (not hashtags, placeholders or domain tokens) and hashtags per row
    tag = cp[starts] == 35
    first4 = np.stack([cp[np.minimum(starts + k, len(cp) - 1)] for k in range(4)], axis=1) if len(cp) else None
    filler = _lookup(fixed["placeholders"], np.zeros(len(fixed["placeholders"]), np.int64), h) >= 0
    if first4 is not None:
        filler |= (first4 == np.array([ord(c) for c in "xdom"], dtype=np.uint32)).all(axis=1)
    n_tags = np.bincount(rows[tag], minlength=n)
    n_words = np.bincount(rows[~(tag | filler)], minlength=n)
    wb = np.searchsorted(np.array(WORD_BUCKETS), n_words, side="left")
    tb = np.searchsorted(np.array(TAG_BUCKETS), n_tags, side="left")
    bare = np.flatnonzero(n_words == 0)
    rows_all = np.concatenate([rows, rows[:-1][same], pairs // len(names), np.arange(n), np.arange(n), bare])
    hashes = np.concatenate(
        [
            h,
            bi,
            fixed["cues"][pairs % len(names)],
            fixed["words"][wb],
            fixed["tags"][tb],
            np.repeat(fixed["bare"], len(bare)),
        ]
    )
    order = np.argsort(rows_all, kind="stable")
    return rows_all[order], (hashes[order] >> np.uint64(64 - bits)).astype(np.int64)
