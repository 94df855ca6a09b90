"""Shared for the reliability tests: real records from the 2017 archive, read in place from ../shared."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "data"
METOO = SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@cache
def metoo_lines(n: int) -> tuple[bytes, ...]:
    """The first ``n`` lines of the real archive (distinct tweets, every one a valid record)."""
    out = []
    with gzip.open(METOO, "rb") as f:
        for line in f:
            out.append(line.rstrip(b"\n"))
            if len(out) == n:
                break
    return tuple(out)


def metoo_archive(path: Path, n: int) -> Path:
    """The first ``n`` lines of the real archive written to ``path`` as gzipped JSON lines."""
    with gzip.open(path, "wb", compresslevel=1) as f:
        f.write(b"\n".join(metoo_lines(n)) + b"\n")
    return path


@pytest.fixture(scope="session")
def metoo() -> Path:
    if not METOO.is_file():
        raise RuntimeError(f"shared data not found at {METOO.resolve()}: clone the repo beside shared/")
    return METOO
