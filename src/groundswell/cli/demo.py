"""`groundswell demo`: a simulated movement, ingested and reported, to see the whole flow in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.cli.output import console


def demo_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML report to write.")] = Path("report.html"),
    posts: Annotated[int, typer.Option("--posts", min=100, help="Size of the simulated movement.")] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same movement).")] = 1,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="Keep the simulated files and store in this folder.")
    ] = None,
) -> None:
    """Simulate a small #MeToo-like movement, ingest it into a temporary store and write the report."""
    from groundswell.demo import run_demo  # here, not above: every command would pay for the whole pipeline

    result = run_demo(out, posts=posts, seed=seed, workdir=keep)
    console.print(
        f"simulated a movement on {', '.join(result.platforms)}: read {result.simulated:,} records, "
        f"stored {result.stored:,} posts; wrote {result.report}"
    )
