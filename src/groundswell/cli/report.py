"""`groundswell report`: the self-contained HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_K, Db, K, Lang, Platform, filters
from groundswell.cli.output import console
from groundswell.store.duckdb_store import Store


def report_command(
    db: Db = DEFAULT_DB_PATH,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("report.html"),
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    k: K = DEFAULT_K,
    platform: Platform = None,
    lang: Lang = None,
) -> None:
    """Write a self-contained HTML report (charts inline, no network needed to open it)."""
    with Store(db, read_only=True) as store:
        from groundswell.report.html import write_report  # jinja and the sections, for this command only

        path = write_report(store, out, title=title, filters=filters(platform, lang), k=k)
    console.print(f"wrote {path}")
