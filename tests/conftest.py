"""Paths every test folder shares: the real data lives beside the repo in ../shared, read in place."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
METOO = SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
TWARC2 = SHARED / "twitter-api-v2"
TWARC_CSV = SHARED / "twarc-csv-output"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        raise RuntimeError(f"shared data not found at {SHARED.resolve()}: clone the repo beside shared/")
    return SHARED
