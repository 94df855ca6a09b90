"""Fast sparse features: hashed word 1–2-grams and cue tokens, hashed character 2–5-grams, all in numpy.

The default classifier must label ≥ 20,000 posts/s on two cores. scikit-learn's char n-gram analyzer
slices strings one n-gram at a time in Python and tops out near 2,500 posts/s; here the character n-grams of
a whole batch are hashed at once on an array of code points (every script, no tokenizer needed, which is
what lets one model read Dutch, Hindi and Japanese posts alike). Word tokens are hashed the same way
(``tokens.py``).

Both blocks get sublinear tf × idf and are L2-normalized separately, as a ``FeatureUnion`` of two
``TfidfVectorizer`` would. Hashing is a fixed function of the text, so the same code points give the same
columns in every process (Python's own ``hash`` is salted per process and could not be used).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .normalize import normalize_batch
from .tokens import WORD_BITS, token_stream

__all__ = ["CHAR_BITS", "Featurizer", "char_counts", "char_hashes"]

CHAR_BITS = 18
_NGRAMS = (2, 3, 4, 5)
_M1 = np.uint64(0x100000001B3)
_M2 = np.uint64(0x9E3779B97F4A7C15)
_SEED = np.uint64(0xCBF29CE484222325)
_CHUNK = 8192


def char_hashes(norms: Sequence[str], bits: int = CHAR_BITS) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, buckets) of the hashed character 2–5-grams of each text, one entry per occurrence.

    Entries come out position-major, hence already grouped by text: no sort, no per-text dictionary. Texts
    are padded with a space each side and separated by NUL, and an n-gram spanning a NUL is dropped. The
    n-grams starting at one position share their prefix, so the 5-gram hash is the 4-gram's extended by one
    step: five array passes give all four lengths.
    """
    n = len(norms)
    joined = "\x00".join(" " + s.replace("\x00", " ") + " " for s in norms) + "\x00" * _NGRAMS[-1]
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = len(cp) - _NGRAMS[-1]
    width = len(_NGRAMS)
    hashes = np.empty((length, width), dtype=np.uint64)
    valid = np.empty((length, width), dtype=bool)
    sep = np.concatenate(([0], np.cumsum(cp == 0)))  # sep[i] = separators in cp[:i]
    h = np.full(length, _SEED, dtype=np.uint64)
    for j in range(_NGRAMS[-1]):
        h ^= cp[j : j + length]
        h *= _M1
        if j + 1 in _NGRAMS:
            col = _NGRAMS.index(j + 1)
            hashes[:, col] = (h * _M2) >> np.uint64(64 - bits)
            valid[:, col] = sep[j + 1 : j + 1 + length] == sep[:length]
    ok = valid.ravel()
    buckets = hashes.ravel()[ok].astype(np.int64)
    doc = np.repeat(sep[:length], width)[ok]
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


class Featurizer:
    """Turns raw post texts into one sparse matrix: [word block | char block], each tf-idf + L2.

    Built by ``fit`` from training texts (keeps the word and char buckets seen in ≥ ``min_df`` posts), or
    from the stored arrays when a model artifact is loaded.
    """

    def __init__(self, word_idx: np.ndarray, word_idf: np.ndarray, char_idx: np.ndarray, char_idf: np.ndarray):
        self.word_idx = np.asarray(word_idx, dtype=np.int64)
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idx = np.asarray(char_idx, dtype=np.int64)
        self.char_idf_kept = np.asarray(char_idf, dtype=np.float32)
        # idf of each bucket (0 where dropped) and the output column of each kept bucket (-1 where dropped)
        self._w_idf, self._w_remap = self._tables(self.word_idx, self.word_idf, WORD_BITS, 0)
        self._c_idf, self._c_remap = self._tables(self.char_idx, self.char_idf_kept, CHAR_BITS, self.n_word)

    @staticmethod
    def _tables(idx: np.ndarray, idf: np.ndarray, bits: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
        dense = np.zeros(1 << bits, dtype=np.float32)
        dense[idx] = idf
        remap = np.full(1 << bits, -1, dtype=np.int32)
        remap[idx] = np.arange(len(idx)) + offset
        return dense, remap

    @property
    def n_word(self) -> int:
        return len(self.word_idx)

    @property
    def n_features(self) -> int:
        return len(self.word_idx) + len(self.char_idx)

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 2) -> Featurizer:
        norms = normalize_batch(texts)
        rows, buckets = token_stream(norms)
        wdf = np.bincount(
            np.unique(rows * (1 << WORD_BITS) + buckets) & ((1 << WORD_BITS) - 1), minlength=1 << WORD_BITS
        )
        word_idx = np.flatnonzero(wdf >= min_df)
        cc = char_counts(norms)
        cdf = np.bincount(cc.indices, minlength=cc.shape[1])
        char_idx = np.flatnonzero(cdf >= min_df)
        n = len(norms)
        return cls(
            word_idx, _idf(wdf[word_idx].astype(np.float64), n), char_idx, _idf(cdf[char_idx].astype(np.float64), n)
        )

    @staticmethod
    def _kept(
        ptr: np.ndarray, buckets: np.ndarray, remap: np.ndarray, idf: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, columns, L2-normalized tf-idf values) of the kept buckets of one block."""
        cols = remap[buckets]
        keep = cols >= 0
        ptr = np.concatenate(([0], np.cumsum(keep)))[ptr]
        return ptr, cols[keep], _l2_rows(idf[buckets[keep]], ptr)

    def _block(self, norms: Sequence[str]) -> sp.csr_matrix:
        """[word | char] block for one chunk: tf × idf per occurrence, each block L2-normalized per text.

        Repeated n-grams stay as repeated entries (scipy sums them in products), which makes tf the raw
        count; the norm is taken over occurrences. Training and inference share this exact definition.
        """
        n = len(norms)
        w_rows, w_buckets = token_stream(norms)
        w_ptr, w_cols, w_val = self._kept(
            np.searchsorted(w_rows, np.arange(n + 1), side="left"), w_buckets, self._w_remap, self._w_idf
        )
        c_ptr, c_buckets = char_hashes(norms)
        c_ptr, c_cols, c_val = self._kept(c_ptr, c_buckets, self._c_remap, self._c_idf)
        # interleave the two blocks row by row into one CSR
        w_len, c_len = np.diff(w_ptr), np.diff(c_ptr)
        indptr = np.concatenate(([0], np.cumsum(w_len + c_len)))
        row_w = np.repeat(np.arange(n), w_len)
        row_c = np.repeat(np.arange(n), c_len)
        pos_w = indptr[row_w] + (np.arange(len(w_cols)) - w_ptr[row_w])
        pos_c = indptr[row_c] + w_len[row_c] + (np.arange(len(c_cols)) - c_ptr[row_c])
        indices = np.empty(indptr[-1], dtype=np.int32)
        data = np.empty(indptr[-1], dtype=np.float32)
        indices[pos_w], data[pos_w] = w_cols, w_val
        indices[pos_c], data[pos_c] = c_cols, c_val
        return sp.csr_matrix((data, indices, indptr), shape=(n, self.n_features))

    def transform(self, texts: Sequence[str | None]) -> sp.csr_matrix:
        """Feature matrix of shape (len(texts), n_features), float32 CSR (columns may repeat within a row)."""
        out = [self._block(normalize_batch(texts[s : s + _CHUNK])) for s in range(0, len(texts), _CHUNK)]
        if not out:
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        return out[0] if len(out) == 1 else sp.vstack(out, format="csr")
