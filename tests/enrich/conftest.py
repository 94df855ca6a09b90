"""Real posts for the enrich tests: batches read from the shared data the way ingest reads them."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from groundswell.sources.base import Chunk
from groundswell.sources.io import open_input
from groundswell.sources.registry import detect

# The shared data sits beside the repository: <root>/../shared/data. Read in place, never copied.
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
KEY = b"enrich-test-key-0123456789"


def raw_batches(path: Path, max_chunks: int = 2) -> list[pa.RecordBatch]:
    """The reader's batches (``RAW_SCHEMA``) of the first chunks of a real file."""
    if not path.is_file():
        raise FileNotFoundError(f"shared data missing: {path.resolve()}")
    opened = open_input(path)
    try:
        reader = detect(opened.head, str(path))()
        out = []
        for chunk in reader.chunks(opened.stream, path.name):
            out.append(reader.parse(chunk).posts)
            if len(out) >= max_chunks:
                break
        return out
    finally:
        opened.close()


@pytest.fixture(scope="session")
def twarc2_batches() -> list[pa.RecordBatch]:
    """Every tweet page of the real twarc2 files, one batch per file."""
    files = sorted((SHARED_DATA / "twitter-api-v2").glob("*.jsonl"))
    return [b for f in files for b in raw_batches(f) if b.num_rows]


@pytest.fixture(scope="session")
def metoo_batch() -> pa.RecordBatch:
    """The first chunk of the real 2017 #MeToo scrape (no platform entities: text rules run on every post)."""
    return raw_batches(SHARED_DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz", 1)[0]


@pytest.fixture(scope="session")
def metoo_contacts_batch() -> pa.RecordBatch:
    """Up to 500 posts of the #MeToo scrape shaped like they hold a phone number or an e-mail address: the
    ones the contact redaction has work on (hotlines), parsed as one chunk."""
    path = SHARED_DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
    if not path.is_file():
        raise FileNotFoundError(f"shared data missing: {path.resolve()}")
    shape = r"\d{3}[-. )]{1,2}\d{3}[-. ]\d{4}|[A-Za-z0-9]@[A-Za-z0-9-]+\.[A-Za-z]{2,}"
    with gzip.open(path, "rb") as f:
        every = pa.array(f.read().split(b"\n"), pa.binary())
    lines = pc.filter(every, pc.match_substring_regex(every, shape))[:500].to_pylist()  # RE2: seconds, not minutes
    lines = [line + b"\n" for line in lines]
    reader = detect(lines[0], str(path))()
    return reader.parse(Chunk(b"".join(lines), path.name, 1, 0)).posts
