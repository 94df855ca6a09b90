"""The whole 2017 archive: every post stored once, nothing rejected, and a second run adds nothing."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from groundswell.ingest import ingest
from groundswell.store.duckdb_store import Store
from tests.analytics import stores
from tests.conftest import METOO

pytestmark = pytest.mark.slow


def test_full_archive_twice(tmp_path: Path) -> None:
    """The first ingest is the one the whole suite shares (tests/analytics/stores.py); the second runs here."""
    with gzip.open(METOO, "rb") as f:
        raw = [line for line in f if line.strip()]
    lines = len(raw)
    first_raw = json.loads(raw[0])  # the file is sorted by tweet id
    del raw
    assert lines == 280_733  # as ../shared/data/README.md says
    db = stores.copy(stores.metoo2017(), "metoo-twice")
    with Store(db) as store:
        first = store.sql("SELECT read, stored, duplicates, rejected FROM ingests").to_pylist()
        assert len(first) == 1 and first[0] == {"read": lines, "stored": lines, "duplicates": 0, "rejected": 0}
        assert store.scalar("SELECT count(*) FROM posts") == lines
        assert store.scalar("SELECT count(DISTINCT post_id) FROM posts") == lines
        # UTC from the snowflake: the first post's US/Eastern wall time, converted, to the second
        first_post = store.scalar("SELECT min(created_at) FROM posts")
        wall = datetime.fromisoformat(first_raw["date"]).replace(tzinfo=ZoneInfo("US/Eastern")).astimezone(UTC)
        assert wall <= first_post < wall + timedelta(seconds=1)
        assert store.scalar("SELECT count(*) FROM posts WHERE author_id IS NULL") == 0
        (second,) = ingest([METOO], store)
        assert (second.counts.read, second.counts.stored, second.counts.duplicates) == (lines, 0, lines)
        log = store.sql("SELECT read, stored, duplicates, rejected, sha256 FROM ingests ORDER BY ingest_id").to_pylist()
        assert [r["stored"] for r in log] == [lines, 0]
        assert log[0]["sha256"] == log[1]["sha256"]
