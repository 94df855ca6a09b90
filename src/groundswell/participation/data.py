"""Reading labeled posts: gold TSV files, and the project's extra labels joined to their texts.

Gold files (``tweet_id, text, category, act, setting, age, perpetrator``) are read as CSV with a tab
delimiter, as the shared README says. The project's own extra labels (``labels/extra.tsv``) carry ids and
labels only; their texts are looked up in the metoo2017 archive in ``../shared`` at training time, so no
post text ever lands in the repository.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from pathlib import Path

__all__ = ["DEFAULT_EXTRA", "DEFAULT_GOLD", "DEFAULT_TEXTS", "LabeledPost", "load_extra", "read_labeled", "sha256"]

_HERE = Path(__file__).resolve().parent
_SHARED = _HERE.parents[2] / ".." / "shared" / "data"
DEFAULT_GOLD = _SHARED / "gold" / "train.tsv"
DEFAULT_TEXTS = _SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
DEFAULT_EXTRA = _HERE / "labels" / "extra.tsv"

LabeledPost = dict[str, str]
_ATTRS = ("act", "setting", "age", "perpetrator")


def read_labeled(path: str | Path) -> list[LabeledPost]:
    """Rows of a gold-format TSV as dicts; attribute columns default to '-' when absent."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    for r in rows:
        if "text" not in r or "category" not in r:
            raise ValueError(f"{path}: needs columns tweet_id, text, category (gold format)")
        for a in _ATTRS:
            r[a] = r.get(a) or "-"
    return rows


def load_extra(labels: str | Path = DEFAULT_EXTRA, texts: str | Path = DEFAULT_TEXTS) -> list[LabeledPost]:
    """Extra labeled posts with their texts looked up by id in the metoo2017 JSONL archive."""
    with open(labels, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    want = {r["tweet_id"] for r in rows}
    found: dict[str, str] = {}
    opener = gzip.open if str(texts).endswith(".gz") else open
    with opener(texts, "rt", encoding="utf-8") as f:
        for line in f:
            # cheap prefilter before parsing: the id appears verbatim in its line
            i = line.find('"tweet_id": "')
            tid = line[i + 13 : line.find('"', i + 13)] if i >= 0 else None
            if tid in want:
                found[tid] = json.loads(line)["text"]
    out = []
    for r in rows:
        if r["tweet_id"] in found:
            out.append({**r, "text": found[r["tweet_id"]]})
    return out


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
