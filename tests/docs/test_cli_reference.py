"""docs/cli.md is the CLI as the code defines it; every command and option carries help text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.docs_cli import missing_help, render, root, walk
from groundswell.sources.registry import READERS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_committed_cli_reference_matches_the_code() -> None:
    committed = (DOCS / "cli.md").read_text("utf-8")
    assert committed == render(), "docs/cli.md is stale: run `python -m groundswell.docs_cli > docs/cli.md`"


def test_every_command_and_option_has_help() -> None:
    assert missing_help() == []


def test_every_command_and_option_appears_in_the_reference() -> None:
    page = (DOCS / "cli.md").read_text("utf-8")
    commands = list(walk(root()))
    assert len(commands) >= 10
    for path, cmd in commands:
        assert f"## `groundswell {' '.join(path)}`" in page
        for p in cmd.params:
            if p.name != "help" and p.param_type_name == "option":
                assert f"`{p.opts[0]}`" in page


def test_the_check_catches_an_undocumented_command_and_option() -> None:
    """Prove the guard can fail: an app with a command lacking a docstring and an option lacking help."""
    app = typer.Typer()

    @app.command("documented")
    def documented(n: Annotated[int, typer.Option("--n", help="How many.")] = 1) -> None:
        """Has help."""

    @app.command("bare")
    def bare(size: Annotated[int, typer.Option("--size")] = 1) -> None:
        pass

    group = typer.main.get_command(app)
    assert missing_help(group) == ["bare", "bare --size"]
    assert "## `groundswell bare`" in render(group)


def test_every_input_format_has_a_page() -> None:
    index = (DOCS / "formats" / "README.md").read_text("utf-8")
    for r in READERS:
        page = DOCS / "formats" / f"{r.name}.md"
        assert page.exists(), f"no docs page for input format {r.name}"
        assert f"--format {r.name}" in page.read_text("utf-8")
        assert f"({r.name}.md)" in index


def test_docs_pages_link_to_pages_that_exist() -> None:
    import re

    for page in DOCS.rglob("*.md"):
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
