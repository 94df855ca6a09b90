"""Shared helpers for the privacy tests: where the real data lives, and the case tables."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The shared data sits beside the repository: <root>/../shared/data. Read in place, never copied.
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        raise FileNotFoundError(f"the shared data folder is missing: {SHARED_DATA.resolve()}")
    return SHARED_DATA
