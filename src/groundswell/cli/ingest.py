"""`groundswell ingest`: files in, reconciliation out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.table import Table

from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_ENGINE, DEFAULT_MASTER, Db, EngineName, Master, open_store
from groundswell.cli.output import console, err
from groundswell.sources.base import MAX_LINE_BYTES
from groundswell.store.duckdb_store import Store, StoreError

if TYPE_CHECKING:
    from groundswell.ingest import FileResult


def ingest_command(
    files: Annotated[
        list[str], typer.Argument(help="Files or folders to ingest (.gz/.zst read transparently); - for stdin.")
    ],
    db: Db = DEFAULT_DB_PATH,
    fmt: Annotated[str | None, typer.Option("--format", help="Skip detection: read every file as this format.")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Parser processes (default: all cores).")
    ] = None,
    classify: Annotated[
        bool, typer.Option("--classify", help="Also classify participation (acknowledgement, disclosure, …).")
    ] = False,
    max_line_bytes: Annotated[
        int, typer.Option("--max-line-bytes", min=1, help="Quarantine records (lines, rows) longer than this.")
    ] = MAX_LINE_BYTES,
    wait: Annotated[
        float, typer.Option("--wait", min=0, help="Seconds to wait for another process using the store.")
    ] = 0,
    engine: EngineName = DEFAULT_ENGINE,
    master: Master = DEFAULT_MASTER,
) -> None:
    """Read posts from files into the store. Every record ends stored, duplicate or rejected.

    An ingest that was interrupted (crash, kill, Ctrl-C) resumes where it stopped when run again.
    """
    # the readers and enrich steps load here, for this command only (not for every command of the CLI)
    from groundswell.enrich.work import without_pandas
    from groundswell.ingest import expand, ingest

    if engine != DEFAULT_ENGINE:
        _spark_ingest(files, db, engine, master, fmt, classify, max_line_bytes)
        return
    without_pandas()  # this process only ingests into DuckDB: pyarrow need not load pandas (48 MB)
    files = expand(files)
    total = sum(os.path.getsize(f) for f in files if f != "-" and Path(f).is_file())
    try:
        store = Store(db, wait=wait)
    except StoreError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    with (
        store,
        Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("ingest", total=total or None)

        def on_file(r: FileResult) -> None:
            progress.update(task, description=Path(r.file).name)

        results = ingest(
            files,
            store,
            fmt=fmt,
            workers=workers,
            on_bytes=lambda n: progress.advance(task, n),
            on_file=on_file,
            classify=classify,
            max_line_bytes=max_line_bytes,
        )
        if store.memory_raises:  # memory grew with the store's key index: say so, with the cap it reached
            err.print(
                f"[yellow]note:[/] DuckDB's ingest memory cap was doubled {store.memory_raises}× "
                f"(to {store.memory_floor_mb:,} MB) as the store's key index grew"
            )
    _report(results)


def _spark_ingest(
    files: list[str], db: Path, engine: str, master: str, fmt: str | None, classify: bool, max_line_bytes: int
) -> None:
    """``--engine spark``: one Spark task per file, into a Parquet dataset (``groundswell.spark.ingest``)."""
    from groundswell.spark.ingest import spark_ingest

    try:
        store = open_store(db, engine, master, read_only=False)
    except StoreError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(2) from e
    with store:
        results = spark_ingest(files, store, fmt=fmt, classify=classify, max_line_bytes=max_line_bytes)
    _report(results)


def _report(results: list[FileResult]) -> None:
    _summary(results)
    for r in results:
        if r.note and not r.error and r.note != "empty file":
            err.print(f"[yellow]note:[/] {r.note}")
        if r.counts.replaced_utf8:
            err.print(
                f"[yellow]note:[/] {r.file}: {r.counts.replaced_utf8:,} records had invalid UTF-8, kept with U+FFFD"
            )
    failed = [r for r in results if r.error]
    for r in failed:
        err.print(f"[red]error:[/] {r.error}")
    if failed:
        raise typer.Exit(1)


def _summary(results: list[FileResult]) -> None:
    t = Table(title="ingest", title_justify="left")
    for name, just in [
        ("file", "left"),
        ("format", "left"),
        ("read", "right"),
        ("stored", "right"),
        ("duplicates", "right"),
        ("rejected", "right"),
        ("note", "left"),
    ]:
        t.add_column(name, justify=just)  # type: ignore[arg-type]
    tot = [0, 0, 0, 0]
    for r in results:
        c = r.counts
        reasons = ", ".join(f"{k} ×{v}" for k, v in sorted(c.reasons.items()))
        flags = ["TRUNCATED"] * bool(r.broken) + ["resumed"] * bool(r.resumed_at)
        note = (r.error and "FAILED") or "; ".join(flags + [reasons] * bool(reasons)) or r.note or ""
        t.add_row(r.file, r.format or "?", f"{c.read:,}", f"{c.stored:,}", f"{c.duplicates:,}", f"{c.rejected:,}", note)
        for i, v in enumerate((c.read, c.stored, c.duplicates, c.rejected)):
            tot[i] += v
    if len(results) > 1:
        t.add_row("[bold]total", "", *(f"[bold]{v:,}" for v in tot), "")
    console.print(t)
    ok = tot[0] == tot[1] + tot[2] + tot[3]
    console.print(
        f"read {tot[0]:,} = stored {tot[1]:,} + duplicates {tot[2]:,} + rejected {tot[3]:,}"
        + ("" if ok else "  [red]DOES NOT RECONCILE[/]")
    )
