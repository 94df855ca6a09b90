"""Stores for the CLI tests, shared with the analytics tests (built once per process)."""

from __future__ import annotations

import pytest

from tests.analytics import stores


@pytest.fixture(scope="session")
def multi_db():
    return stores.multi_platform()


@pytest.fixture(scope="session")
def metoo_db():
    return stores.metoo2017()
