"""The command line: one thin command per library call."""

from __future__ import annotations

import typer

from groundswell.cli.demo import demo_command
from groundswell.cli.ingest import ingest_command
from groundswell.cli.report import report_command
from groundswell.cli.simulate import register as register_simulate
from groundswell.cli.stats import stats_command
from groundswell.cli.web import register as register_web

app = typer.Typer(
    name="groundswell",
    help="Measure hashtag movements honestly: magnitude, onset, spread and participation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("ingest")(ingest_command)
app.command("stats")(stats_command)
app.command("report")(report_command)
app.command("demo")(demo_command)
register_simulate(app)
register_web(app)


def main() -> None:
    app()
