"""Generate ``docs/cli.md``, the command-line reference, from the Typer app itself.

Run ``python -m groundswell.docs_cli > docs/cli.md`` after adding or changing a command. The docs test
regenerates the page and fails when the committed file differs, or when a command, argument or option has
no help text, so the reference cannot silently fall behind the code.

The page is built from click's parameter objects (names, default, help), not from Rich's rendered
``--help``, so it does not depend on the terminal's width or colours. Typer ships its own copy of click, so
commands and parameters are recognised by what they have (``commands``, ``param_type_name``), not by class.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import typer

HEADER = """# Command-line reference

Generated from the code by `python -m groundswell.docs_cli > docs/cli.md`; `tests/docs/test_cli_reference.py`
fails when this page and the code disagree. Every command is also a twarc2 sub-command:
`twarc2 groundswell COMMAND ...` (see [twarc2](formats/twarc2.md)).
"""


def root() -> Any:
    """The groundswell CLI as a click group."""
    from groundswell.cli import app

    return typer.main.get_command(app)


def walk(cmd: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command under ``cmd`` (depth first, in registration order) with its path of names."""
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield (*path, name), sub
            yield from walk(sub, (*path, name))


def _is_argument(p: Any) -> bool:
    return p.param_type_name == "argument"


def _default(p: Any) -> str:
    d = p.default
    if d is None or d is False or callable(d) or (getattr(p, "is_flag", False) and not d):
        return ""
    if isinstance(getattr(p, "show_default", None), str):
        return f" (default: {p.show_default})"  # a description, where the value is a machine's absolute path
    return f" (default: `{d}`)"


def _param(p: Any) -> str:
    help_text = " ".join((getattr(p, "help", None) or "").split())
    if _is_argument(p):
        return f"- `{p.name.upper() if p.name else ''}`{'…' if p.nargs == -1 else ''}: {help_text}"
    names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
    kind = " (flag)" if getattr(p, "is_flag", False) else ""
    env = f" (env `{p.envvar}`)" if isinstance(p.envvar, str) else ""
    req = " **required**" if p.required else ""
    return f"- {names}{kind}{req}: {help_text}{_default(p)}{env}"


def missing_help(group: Any = None) -> list[str]:
    """Commands, arguments and options without help text, as ``"command --option"`` strings."""
    out = []
    for path, cmd in walk(group or root()):
        name = " ".join(path)
        if not (cmd.help or cmd.short_help):
            out.append(name)
        for p in cmd.params:
            if p.name == "help":
                continue
            if not (getattr(p, "help", None) or "").strip():
                out.append(f"{name} {p.name if _is_argument(p) else p.opts[0]}")
    return out


def render(group: Any = None) -> str:
    """The Markdown reference page."""
    lines = [HEADER]
    for path, cmd in walk(group or root()):
        lines.append(f"## `groundswell {' '.join(path)}`\n")
        lines.append(" ".join((cmd.help or "").split()) + "\n")
        params = [p for p in cmd.params if p.name != "help"]
        if params:
            lines.extend(_param(p) for p in params)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
