"""Stores for the analytics tests: simulated movements with known truth, and the real 2017 sample (built once)."""

from __future__ import annotations

import pytest

from groundswell.store.duckdb_store import Store
from tests.analytics import stores


@pytest.fixture(scope="session")
def multi():
    """(read-only store, truth) of the simulated three-platform movement."""
    db, truth = stores.multi_platform()
    with Store(db, read_only=True) as st:
        yield st, truth


@pytest.fixture(scope="session")
def metoo_store():
    with Store(stores.metoo2017(), read_only=True) as st:
        yield st
