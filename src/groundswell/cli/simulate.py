"""``groundswell simulate``: write a simulated movement with its ground truth (thin wrapper over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` command to the groundswell CLI."""

    @app.command("simulate")
    def simulate_command(
        out: Annotated[Path, typer.Option("--out", help="Folder to write the platform files and truth.json into.")],
        movement: Annotated[str, typer.Option(help="Movement to simulate.")] = "metoo",
        posts: Annotated[int, typer.Option(help="Exact number of posts across all platforms.")] = 10_000,
        platforms: Annotated[
            str, typer.Option(help="Comma-separated: twitter, facebook, bluesky, mastodon, reddit.")
        ] = "twitter",
        seed: Annotated[int, typer.Option(help="Same seed, same bytes.")] = 0,
        hours: Annotated[float, typer.Option(help="Length of the simulated window.")] = 72.0,
        branching: Annotated[float, typer.Option(help="Mean offspring (replies, reposts, …) per post.")] = 0.6,
    ) -> None:
        """Simulate a multi-platform movement in each platform's real format, with truth.json beside it."""
        from groundswell.simulate import SimConfig, simulate  # loaded for this command only

        try:
            cfg = SimConfig(
                movement=movement, posts=posts, platforms=platforms, seed=seed, hours=hours, branching=branching
            )
        except ValueError as e:
            raise typer.BadParameter(str(e)) from e
        truth = simulate(cfg, out)
        per = ", ".join(f"{p} {n:,}" for p, n in truth.counts["platform"].items())
        typer.echo(
            f"{truth.posts:,} posts ({per}); branching {truth.branching_ratio:.3f}; truth in {out / 'truth.json'}"
        )
