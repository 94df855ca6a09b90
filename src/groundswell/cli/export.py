"""``groundswell export``: a table or graph from the store to CSV, Parquet, JSON lines or GEXF (thin wrapper)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_K, Db, K, Lang, Platform, filters
from groundswell.cli.output import err
from groundswell.export import FORMATS, WHAT, ExportError, export
from groundswell.store.duckdb_store import Store, StoreError


def register(app: typer.Typer) -> None:
    """Add ``export`` to the groundswell CLI."""

    @app.command("export")
    def export_command(
        what: Annotated[str, typer.Option("--what", help=f"What to export: {', '.join(WHAT)}.")],
        fmt: Annotated[str, typer.Option("--format", help=f"File format: {', '.join(FORMATS)}.")] = "csv",
        out: Annotated[
            Path | None, typer.Option("--out", help="File to write (default: standard output, for csv and jsonl).")
        ] = None,
        db: Db = DEFAULT_DB_PATH,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        bin: Annotated[
            str, typer.Option("--bin", help="Time bin for magnitude and bursts: minute, hour, day, week.")
        ] = "hour",
        bom: Annotated[
            bool, typer.Option("--bom", help="Start CSV with a UTF-8 byte order mark (Excel on Windows).")
        ] = False,
        raw: Annotated[
            bool,
            typer.Option("--raw", help="Administrators only: skip redaction and small-cell suppression."),
        ] = False,
    ) -> None:
        """Export posts or figures; everything passes through redaction and small-cell suppression unless --raw."""
        if raw:
            err.print(
                "[bold red]RAW EXPORT:[/] redaction and small-cell suppression are OFF. This file can identify "
                "people who disclosed sexual violence: keep it under the same protection as the store."
            )
        try:
            store = Store(db, read_only=out is None)
        except StoreError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        try:
            with store:
                r = export(store, what, fmt, out, k=k, filters=filters(platform, lang), raw=raw, bom=bom, bin=bin)
        except ExportError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        if r.path is not None:
            err.print(f"{r.rows:,} {'nodes' if fmt == 'gexf' else 'rows'} → {r.path}")
