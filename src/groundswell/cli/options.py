"""Options shared by commands, defined once so every command spells them the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.store.duckdb_store import DEFAULT_DB

Db = Annotated[
    Path,
    typer.Option("--db", envvar="GROUNDSWELL_DB", help="Store file (DuckDB).", show_default=True),
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
K = Annotated[
    int,
    typer.Option("--k", min=1, help="Suppress figures describing fewer than K distinct authors.", show_default=True),
]
DEFAULT_K = 10
Platform = Annotated[str | None, typer.Option("--platform", help="Only posts from this platform.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Only posts in this language.")]


def filters(platform: str | None = None, lang: str | None = None) -> dict[str, str]:
    return {k: v for k, v in {"platform": platform, "lang": lang}.items() if v}
