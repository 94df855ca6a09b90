"""The simulated store the report tests render (shared with the analytics tests, built once per process)."""

from __future__ import annotations

import pytest

from groundswell.store.duckdb_store import Store
from tests.analytics import stores


@pytest.fixture(scope="session")
def multi():
    db, truth = stores.multi_platform()
    with Store(db, read_only=True) as st:
        yield st, truth
