"""Shared fixtures for the burst tests: the real #MeToo 2017 sample, binned hourly from snowflake ids."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import orjson
import pytest

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
TWITTER_EPOCH_MS = 1288834974657
HOUR_MS = 3_600_000


class HourlySeries:
    """Posts per UTC hour over the whole sample; bin 0 is the hour of the first post."""

    def __init__(self, counts: np.ndarray, first_hour_ms: int) -> None:
        self.counts = counts
        self.first_hour_ms = first_hour_ms

    def bin_of(self, when: datetime) -> int:
        return int(when.timestamp() * 1000 - self.first_hour_ms) // HOUR_MS

    def time_of(self, index: int) -> datetime:
        return datetime.fromtimestamp((self.first_hour_ms + index * HOUR_MS) / 1000, tz=UTC)


@pytest.fixture(scope="session")
def metoo_hourly() -> HourlySeries:
    """Read the file in place with gzip + orjson and bin by the time in the tweet id (the `date` field is US/Eastern)."""
    ids = []
    with gzip.open(METOO, "rb") as lines:
        for line in lines:
            ids.append(int(orjson.loads(line)["tweet_id"]))
    ms = (np.array(ids, dtype=np.int64) >> 22) + TWITTER_EPOCH_MS
    hours = ms // HOUR_MS
    counts = np.bincount(hours - hours.min()).astype(np.float64)
    return HourlySeries(counts, int(hours.min()) * HOUR_MS)
