"""Shared helpers for the reader tests: read a fixture the way ingest does (open, sniff, chunk, parse)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from groundswell.schema import RAW_SCHEMA
from groundswell.sources.base import Reader, Reject
from groundswell.sources.io import open_input
from groundswell.sources.registry import detect

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@dataclass
class Result:
    reader: type[Reader]
    posts: list[dict]
    rejects: list[Reject]
    n_records: int
    n_primary: int

    def by_id(self, post_id: str, is_reference: bool | None = None) -> dict:
        rows = [
            p
            for p in self.posts
            if p["post_id"] == post_id and (is_reference is None or p["is_reference"] == is_reference)
        ]
        assert len(rows) == 1, f"{post_id}: {len(rows)} rows"
        return rows[0]

    def reasons(self) -> list[str]:
        return [r.reason for r in self.rejects]


def read_all(path: Path) -> Result:
    """Detect the format from the bytes, then chunk and parse the whole file as ingest would."""
    opened = open_input(path)
    try:
        reader_cls = detect(opened.head, str(path))
        reader = reader_cls()
        batches: list[pa.RecordBatch] = []
        rejects: list[Reject] = []
        n_records = n_primary = 0
        for chunk in reader.chunks(opened.stream, str(path)):
            parsed = reader.parse(chunk)
            batches.append(parsed.posts)
            rejects.extend(parsed.rejects)
            n_records += parsed.n_records
            n_primary += parsed.n_primary
    finally:
        opened.close()
    table = pa.Table.from_batches(batches, schema=RAW_SCHEMA)
    return Result(reader_cls, table.to_pylist(), rejects, n_records, n_primary)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
