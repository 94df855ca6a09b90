"""INTERIM (replaced by the conformant extractor on the text branch)."""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa

_H = re.compile(r"(?<![\w&])[#＃](\w*[^\W\d]\w*)")
_M = re.compile(r"(?<![\w@])[@＠](\w{1,20})")
_U = re.compile(r"https?://\S+")


def extract_entities(texts):
    t = texts.to_pylist() if hasattr(texts, "to_pylist") else list(texts)
    L = pa.list_(pa.string())
    return {
        "hashtags": pa.array([None if x is None else _H.findall(x) for x in t], L),
        "mentions": pa.array([None if x is None else _M.findall(x) for x in t], L),
        "urls": pa.array([None if x is None else _U.findall(x) for x in t], L),
    }


def normalize_hashtags(tags):
    return pa.array(
        [None if ts is None else [unicodedata.normalize("NFKC", x).casefold() for x in ts] for ts in tags.to_pylist()],
        pa.list_(pa.string()),
    )
