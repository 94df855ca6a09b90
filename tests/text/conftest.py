"""Shared paths for the text tests: the real data lives beside the repository, never inside it.

``DATA`` is the one place that knows where; fixtures hand it to tests, and ``pytest_generate_tests`` turns
Twitter's conformance suite into one test per case (parametrization happens before fixtures exist).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def conformance_suite() -> dict[str, list[dict[str, Any]]]:
    return _suite()


def _suite() -> dict[str, list[dict[str, Any]]]:
    path = DATA / "twitter-text-conformance" / "extract.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``conformance_case`` with (section, text, expected), id "section: description".

    The test module names the sections it runs in ``SECTIONS`` and its strict xfails in ``KNOWN_FAILURES``.
    """
    if "conformance_case" not in metafunc.fixturenames:
        return
    sections = metafunc.module.SECTIONS
    known: dict[str, set[str]] = metafunc.module.KNOWN_FAILURES
    suite = _suite()
    params = []
    for section in sections:
        for case in suite[section]:
            marks = []
            if case["description"] in known.get(section, set()):
                marks.append(pytest.mark.xfail(strict=True, reason="known conformance gap"))
            params.append(
                pytest.param(
                    (section, case["text"], case["expected"]), id=f"{section}: {case['description']}", marks=marks
                )
            )
    metafunc.parametrize("conformance_case", params)
