"""The Spark example of docs/python-api.md runs as written and prints what the page says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from groundswell.simulate import SimConfig, simulate

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _section(page: str, title: str) -> tuple[str, str]:
    """(code, expected output) of the first python block and the plain block after it under ``title``."""
    part = page.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", part, re.S)
    out = re.search(r"prints\n\n```\n(.*?)```", part, re.S)
    assert code and out
    return code.group(1), out.group(1)


def test_python_api_spark_example_runs(spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, expected = _section((DOCS / "python-api.md").read_text("utf-8"), "On Spark")
    monkeypatch.chdir(tmp_path)
    simulate(SimConfig(posts=3000, platforms=("twitter",), seed=7), Path("sim"))  # the page's own corpus
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "python-api.md", "exec"), {})
    assert printed.getvalue() == expected
    assert (tmp_path / "big.parquet" / "posts" / "platform=twitter").is_dir()


def test_spark_doc_is_linked_from_the_architecture() -> None:
    assert "(spark.md)" in (DOCS / "architecture.md").read_text("utf-8")
    page = (DOCS / "spark.md").read_text("utf-8")
    for topic in ("spark-submit", "--master", "s3a://", "gs://", "Sizing"):
        assert topic in page, topic
