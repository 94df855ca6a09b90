"""The self-contained HTML report: one file, charts inline as SVG, no script, no network.

A report is a list of sections, each built by a function of the store (see ``sections``); analysis issues
add their section to ``SECTIONS`` and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.metadata import version as _version
from pathlib import Path
from typing import Any

import jinja2

from groundswell.analytics.engine import Memo
from groundswell.store.duckdb_store import Store


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    html: str


def _env() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(
        lambda name: resources.files("groundswell.report").joinpath("templates", name).read_text("utf-8")
    )
    return jinja2.Environment(loader=loader, autoescape=True)


def render(store: Store, *, title: str | None = None, filters: dict[str, Any] | None = None, k: int = 10) -> str:
    from groundswell.privacy.care import care_html
    from groundswell.report.sections import SECTIONS

    # sections ask some of the same questions (the hourly series, the languages): ask the store each once
    memo: Any = Memo(store)
    sections = [s for build in SECTIONS if (s := build(memo, filters, k)) is not None]
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            title=title or "groundswell report",
            subtitle=f"{store.path.name}: what this data set says about the movement",
            care=care_html(store),
            sections=sections,
            version=_version("groundswell"),
            generated=f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
            store=store.path.name,
            k=k,
            sample_note=None,
        )
    )


def write_report(store: Store, out: str | Path, **kw: Any) -> Path:
    out = Path(out)
    out.write_text(render(store, **kw), encoding="utf-8")
    return out
