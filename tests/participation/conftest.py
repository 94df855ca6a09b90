"""Paths to the real shared data (read in place, never copied) and a model trained once per session."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
GOLD = SHARED / "gold" / "train.tsv"
METOO = SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"


@pytest.fixture(scope="session")
def gold_path() -> Path:
    assert GOLD.exists(), f"shared gold data missing at {GOLD}"
    return GOLD


@pytest.fixture(scope="session")
def gold_rows(gold_path: Path) -> list[dict[str, str]]:
    with open(gold_path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def metoo_path() -> Path:
    assert METOO.exists(), f"shared metoo2017 archive missing at {METOO}"
    return METOO


def _write_gold_subset(rows: list[dict[str, str]], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), delimiter="\t")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def write_gold_subset():
    """Write a gold-format file made of real gold rows (to a temp dir, never to the repo)."""
    return _write_gold_subset
