"""Stores the diffusion tests share, each built once: real twarc2 pages, and simulated movements with truth."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from groundswell.ingest import ingest
from groundswell.simulate import SimConfig, Truth, simulate
from groundswell.store.duckdb_store import Store

from .data import TWARC2, TWARC2_FILES


@dataclass
class Sim:
    store: Store
    truth: Truth
    cfg: SimConfig
    dir: Path


def _ingest(paths: list[Path], db: Path) -> Store:
    store = Store(db)
    for r in ingest(paths, store, workers=1):
        assert r.error is None, r.error
    return store


@pytest.fixture(scope="session")
def twarc2_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    d = tmp_path_factory.mktemp("twarc2")
    store = _ingest([TWARC2 / f for f in TWARC2_FILES], d / "twarc2.duckdb")
    yield store
    store.close()


def _simulated(tmp_path_factory: pytest.TempPathFactory, name: str, cfg: SimConfig) -> Sim:
    d = tmp_path_factory.mktemp(name)
    truth = simulate(cfg, d / "sim")
    files = [d / "sim" / f for fs in truth.files.values() for f in fs]
    return Sim(_ingest(files, d / f"{name}.duckdb"), truth, cfg, d / "sim")


@pytest.fixture(scope="session")
def sim_cascades(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    """One platform, 20,000 posts over four days: cascades with exact parents, branching 0.6, decay 1 h."""
    sim = _simulated(tmp_path_factory, "cascades", SimConfig(posts=20_000, seed=5, hours=96.0))
    yield sim
    sim.store.close()


@pytest.fixture(scope="session")
def sim_two_platforms(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    """Twitter, then Facebook six hours later."""
    cfg = SimConfig(posts=6_000, seed=2, platforms=("twitter", "facebook"), lag_hours={"twitter": 0.0, "facebook": 6.0})
    sim = _simulated(tmp_path_factory, "two", cfg)
    yield sim
    sim.store.close()
