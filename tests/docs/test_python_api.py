"""The Python API page runs as written, and the package's ``__all__`` is importable and documented."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

import groundswell

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_python_api_page_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(DOCS / "python-api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= 20
    assert result.failed == 0
    assert (tmp_path / "posts.csv").exists() and (tmp_path / "hourly.parquet").exists()
    assert os.listdir(tmp_path)


def test_all_names_are_importable_and_unique() -> None:
    assert len(groundswell.__all__) == len(set(groundswell.__all__))
    for name in groundswell.__all__:
        assert getattr(groundswell, name) is not None, name


def test_every_public_name_is_documented() -> None:
    page = (DOCS / "python-api.md").read_text("utf-8")
    undocumented = [n for n in groundswell.__all__ if f"`{n}`" not in page]
    assert undocumented == []


def test_star_import_gives_exactly_all() -> None:
    ns: dict = {}
    exec("from groundswell import *", ns)
    assert {k for k in ns if not k.startswith("__")} == set(groundswell.__all__)
