"""Stores the export tests read: real #MeToo tweets (a sample of the shared archive) and real twarc2 pages.

Each store is ingested once per session. The #MeToo sample is the first 30,000 lines of the archive (sorted by
tweet id, so it holds the 15 October 2017 surge), copied to a temporary file, never into the repository.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
TWARC2 = DATA / "twitter-api-v2"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_LINES = 30_000


def _store(path: Path, files: list[Path]) -> Path:
    with Store(path) as store:
        results = ingest([str(f) for f in files], store, workers=1)
    assert all(r.error is None for r in results), [r.error for r in results]
    return path


@pytest.fixture(scope="session")
def metoo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the first 30,000 real #MeToo tweets (path; open it read-only in each test)."""
    d = tmp_path_factory.mktemp("metoo")
    sample = d / "metoo-sample.jsonl"
    with gzip.open(METOO, "rt", encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i == SAMPLE_LINES:
                break
            dst.write(line)
    return _store(d / "metoo.duckdb", [sample])


@pytest.fixture(scope="session")
def twarc2_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of real twarc2 API pages (replies, quotes, retweets: cascades and interactions)."""
    d = tmp_path_factory.mktemp("twarc2")
    return _store(d / "twarc2.duckdb", [TWARC2 / "brexit.jsonl", TWARC2 / "2sets.jsonl"])


@pytest.fixture()
def metoo(metoo_db: Path) -> Iterator[Store]:
    with Store(metoo_db, read_only=True) as store:
        yield store


@pytest.fixture()
def twarc2(twarc2_db: Path) -> Iterator[Store]:
    with Store(twarc2_db, read_only=True) as store:
        yield store
