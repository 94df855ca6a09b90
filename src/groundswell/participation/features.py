"""Fast sparse features: word 1–2-grams from a vocabulary, character 2–5-grams hashed in numpy.

The default classifier must label ≥ 20,000 posts/s on two cores. scikit-learn's char n-gram analyzer
slices strings one n-gram at a time in Python and tops out near 2,500 posts/s; here the character n-grams of
a whole batch are hashed at once on an array of code points (every script, no tokenizer needed, which is
what lets one model read Dutch, Hindi and Japanese posts alike). Words go through a plain vocabulary lookup.

Both blocks get sublinear tf × idf and are L2-normalized separately, as a ``FeatureUnion`` of two
``TfidfVectorizer`` would. Hashing is a fixed function of the text, so the same code points give the same
columns in every process (Python's own ``hash`` is salted per process and could not be used).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise, repeat

import numpy as np
import scipy.sparse as sp

from .normalize import _DIGIT, AGE_RX, PLACEHOLDERS, TAG_BUCKETS, TOKEN, WORD_BUCKETS, cue_table, normalize_batch

__all__ = ["CHAR_BITS", "Featurizer", "char_counts", "char_hashes"]

CHAR_BITS = 18
_NGRAMS = (2, 3, 4, 5)
_M1 = np.uint64(0x100000001B3)
_M2 = np.uint64(0x9E3779B97F4A7C15)
_SEEDS = [np.uint64((k * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) for k in _NGRAMS]
_CHUNK = 8192


def char_hashes(norms: Sequence[str], bits: int = CHAR_BITS) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, buckets) of the hashed character 2–5-grams of each text, one entry per occurrence.

    Entries come out position-major, hence already grouped by text: no sort, no per-text dictionary. Texts
    are padded with a space each side and separated by NUL, and an n-gram spanning a NUL is dropped.
    """
    n = len(norms)
    joined = "\x00".join(" " + s.replace("\x00", " ") + " " for s in norms)
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = len(cp)
    width = len(_NGRAMS)
    hashes = np.zeros((length, width), dtype=np.uint64)
    valid = np.zeros((length, width), dtype=bool)
    sep = np.concatenate(([0], np.cumsum(cp == 0)))  # sep[i] = separators in cp[:i]
    for col, (k, seed) in enumerate(zip(_NGRAMS, _SEEDS, strict=True)):
        m = length - k + 1
        if m <= 0:
            continue
        h = np.full(m, seed, dtype=np.uint64)
        for j in range(k):
            h ^= cp[j : j + m]
            h *= _M1
        hashes[:m, col] = (h * _M2) >> np.uint64(64 - bits)
        valid[:m, col] = sep[k : k + m] == sep[:m]
    ok = valid.ravel()
    buckets = hashes.ravel()[ok].astype(np.int64)
    doc = np.repeat(sep[:-1], width)[ok]
    indptr = np.searchsorted(doc, np.arange(n + 1), side="left")
    return indptr, buckets


def char_counts(norms: Sequence[str], bits: int = CHAR_BITS) -> sp.csr_matrix:
    """Counts of hashed character 2–5-grams, one row per text."""
    indptr, buckets = char_hashes(norms, bits)
    m = sp.csr_matrix((np.ones(len(buckets), np.float32), buckets, indptr), shape=(len(norms), 1 << bits))
    m.sum_duplicates()
    return m


def _l2_rows(values: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Divide each row's values by the L2 norm of that row's (possibly repeated-column) values."""
    sq = np.add.reduceat(np.concatenate([values * values, [0.0]]), np.minimum(indptr[:-1], len(values)))
    sq[np.diff(indptr) == 0] = 0.0
    norm = np.sqrt(sq).astype(np.float32)
    norm[norm == 0] = 1.0
    return (values / np.repeat(norm, np.diff(indptr))).astype(np.float32)


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


_CUE_NAMES, _CUE_TABLE = cue_table()


def token_stream(norms: Sequence[str], lookup: Callable[[str, int], int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, id) of every word-block token of a batch: unigrams, bigrams, cue and shape tokens.

    Tokenizes the whole batch with one regex call and looks tokens up with ``lookup(token, -1)`` (the
    vocabulary's ``dict.get`` at inference, a vocabulary builder at fit time); cue families are found from
    uni-, bi- and trigrams through one table. Python work is a few list comprehensions over the batch's
    tokens, nothing per post.
    """
    n = len(norms)
    big = "\x00".join(norms)
    toks = TOKEN.findall(big)
    m = len(toks)
    sep = np.fromiter(map("\x00".__eq__, toks), dtype=bool, count=m)
    row = np.cumsum(sep)
    # map() over C-level callables: no Python frame per token
    bigrams = list(map(" ".join, pairwise(toks)))
    trigrams = list(map(" ".join, zip(toks, toks[1:], toks[2:], strict=False)))
    ids = np.fromiter(map(lookup, toks, repeat(-1)), dtype=np.int64, count=m)
    bids = np.fromiter(map(lookup, bigrams, repeat(-1)), dtype=np.int64, count=len(bigrams))
    get = _CUE_TABLE.get
    cues = [np.fromiter(map(get, g, repeat(-1)), dtype=np.int64, count=len(g)) for g in (toks, bigrams, trigrams)]
    # cue presence per row (an n-gram containing the NUL separator matches nothing)
    cue_rows = np.concatenate([row[: len(c)][c >= 0] for c in cues])
    cue_ids = np.concatenate([c[c >= 0] for c in cues])
    if _DIGIT.search(big):
        starts = np.concatenate(([0], np.cumsum([len(x) + 1 for x in norms])))
        pos = np.array([mt.start() for mt in AGE_RX.finditer(big)], dtype=np.int64)
        cue_rows = np.concatenate([cue_rows, np.searchsorted(starts, pos, side="right") - 1])
        cue_ids = np.concatenate([cue_ids, np.full(len(pos), _CUE_NAMES.index("age"))])
    pairs = np.unique(cue_rows * len(_CUE_NAMES) + cue_ids)
    cue_vocab = np.array([lookup("zz" + c, -1) for c in _CUE_NAMES], dtype=np.int64)
    # shape: words (not tags, placeholders or separators) and hashtags per row
    tag = np.fromiter(map(str.startswith, toks, repeat("#")), dtype=bool, count=m)
    filler = np.fromiter(map(PLACEHOLDERS.__contains__, toks), dtype=bool, count=m)
    filler |= np.fromiter(map(str.startswith, toks, repeat("xdom")), dtype=bool, count=m)
    n_tags = np.bincount(row[tag], minlength=n)
    n_words = np.bincount(row[~(tag | filler | sep)], minlength=n)
    wb = np.searchsorted(np.array(WORD_BUCKETS), n_words, side="left")
    tb = np.searchsorted(np.array(TAG_BUCKETS), n_tags, side="left")
    w_vocab = np.array([lookup(f"zzw{i}", -1) for i in range(len(WORD_BUCKETS) + 1)], dtype=np.int64)
    t_vocab = np.array([lookup(f"zzt{i}", -1) for i in range(len(TAG_BUCKETS) + 1)], dtype=np.int64)
    bare = np.flatnonzero(n_words == 0)
    rows_all = np.concatenate(
        [
            row[~sep],
            row[:-1][~(sep[:-1] | sep[1:])] if m > 1 else row[:0],
            pairs // len(_CUE_NAMES),
            np.arange(n),
            np.arange(n),
            bare,
        ]
    )
    ids_all = np.concatenate(
        [
            ids[~sep],
            bids[~(sep[:-1] | sep[1:])] if m > 1 else ids[:0],
            cue_vocab[pairs % len(_CUE_NAMES)],
            w_vocab[wb],
            t_vocab[tb],
            np.full(len(bare), lookup("zzbare", -1), dtype=np.int64),
        ]
    )
    keep = ids_all >= 0
    rows_all, ids_all = rows_all[keep], ids_all[keep]
    order = np.argsort(rows_all, kind="stable")
    return rows_all[order], ids_all[order]


class Featurizer:
    """Turns raw post texts into one sparse matrix: [word block | char block], each tf-idf + L2.

    Built by ``fit`` from training texts (keeps word n-grams and char buckets seen in ≥ ``min_df`` posts),
    or from stored arrays by ``from_arrays`` when a model artifact is loaded.
    """

    def __init__(self, vocab: Sequence[str], word_idf: np.ndarray, char_idx: np.ndarray, char_idf: np.ndarray):
        self.vocab = list(vocab)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idx = np.asarray(char_idx, dtype=np.int64)
        self.char_idf_kept = np.asarray(char_idf, dtype=np.float32)
        dense = np.zeros(1 << CHAR_BITS, dtype=np.float32)
        dense[self.char_idx] = self.char_idf_kept
        self.char_idf = dense
        # column of each kept char bucket inside the output matrix
        remap = np.full(1 << CHAR_BITS, -1, dtype=np.int64)
        remap[self.char_idx] = np.arange(len(self.char_idx)) + len(self.vocab)
        self._remap = remap

    @property
    def n_features(self) -> int:
        return len(self.vocab) + len(self.char_idx)

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 2) -> Featurizer:
        norms = normalize_batch(texts)
        seen: dict[str, int] = {}
        rows, ids = token_stream(norms, lambda t, _d: seen.setdefault(t, len(seen)))
        df_ids = np.bincount(np.unique(rows * len(seen) + ids) % len(seen), minlength=len(seen))
        vocab = sorted(t for t, i in seen.items() if df_ids[i] >= min_df)
        word_idf = _idf(np.array([df_ids[seen[t]] for t in vocab], dtype=np.float64), len(norms))
        cc = char_counts(norms)
        cdf = np.bincount(cc.indices, minlength=cc.shape[1])
        char_idx = np.flatnonzero(cdf >= min_df)
        return cls(vocab, word_idf, char_idx, _idf(cdf[char_idx].astype(np.float64), len(norms)))

    def _block(self, norms: Sequence[str]) -> sp.csr_matrix:
        """[word | char] block for one chunk: tf × idf per occurrence, each block L2-normalized per text.

        Repeated n-grams stay as repeated entries (scipy sums them in products), which makes tf the raw
        count; the norm is taken over occurrences. Training and inference share this exact definition.
        """
        w_rows, w_cols = token_stream(norms, self.index.get)
        w_ptr_a = np.searchsorted(w_rows, np.arange(len(norms) + 1), side="left")
        w_val = _l2_rows(self.word_idf[w_cols], w_ptr_a)
        c_ptr, buckets = char_hashes(norms)
        cols = self._remap[buckets]
        keep = cols >= 0
        kept_before = np.concatenate(([0], np.cumsum(keep)))
        c_ptr = kept_before[c_ptr]
        cols = cols[keep]
        c_val = _l2_rows(self.char_idf[buckets[keep]], c_ptr)
        # interleave the two blocks row by row into one CSR
        n = len(norms)
        w_len, c_len = np.diff(w_ptr_a), np.diff(c_ptr)
        indptr = np.concatenate(([0], np.cumsum(w_len + c_len)))
        row_w = np.repeat(np.arange(n), w_len)
        row_c = np.repeat(np.arange(n), c_len)
        pos_w = indptr[row_w] + (np.arange(len(w_cols)) - w_ptr_a[row_w])
        pos_c = indptr[row_c] + w_len[row_c] + (np.arange(len(cols)) - c_ptr[row_c])
        indices = np.empty(indptr[-1], dtype=np.int64)
        data = np.empty(indptr[-1], dtype=np.float32)
        indices[pos_w], data[pos_w] = w_cols, w_val
        indices[pos_c], data[pos_c] = cols, c_val
        return sp.csr_matrix((data, indices, indptr), shape=(n, self.n_features))

    def transform(self, texts: Sequence[str | None]) -> sp.csr_matrix:
        """Feature matrix of shape (len(texts), n_features), float32 CSR (columns may repeat within a row)."""
        out = [self._block(normalize_batch(texts[s : s + _CHUNK])) for s in range(0, len(texts), _CHUNK)]
        if not out:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        return out[0] if len(out) == 1 else sp.vstack(out, format="csr")
