"""The CLI is a thin wrapper: same options, same files as the library."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from groundswell.cli.simulate import register
from groundswell.simulate import SimConfig, Truth, simulate


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("version")
    def version() -> None:  # a second command keeps typer from collapsing the app into one command
        typer.echo("test")

    return app


def test_cli_writes_what_the_library_writes(tmp_path) -> None:
    result = CliRunner().invoke(
        _app(),
        [
            "simulate",
            "--posts",
            "2000",
            "--platforms",
            "twitter,bluesky",
            "--seed",
            "3",
            "--out",
            str(tmp_path / "cli"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2,000 posts" in result.output
    lib = simulate(SimConfig(posts=2000, platforms=("twitter", "bluesky"), seed=3), tmp_path / "lib")
    cli = Truth.read(tmp_path / "cli" / "truth.json")
    assert cli == lib
    for platform, files in lib.files.items():
        for f in files:
            assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "lib" / f).read_bytes(), platform


def test_cli_refuses_unknown_platforms(tmp_path) -> None:
    result = CliRunner().invoke(_app(), ["simulate", "--platforms", "myspace", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "myspace" in result.output
    assert not (tmp_path / "truth.json").exists()
