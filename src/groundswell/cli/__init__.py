"""The command line: one thin command per library call."""

from __future__ import annotations

import typer

from groundswell.cli.demo import demo_command
from groundswell.cli.diffusion import register as register_diffusion
from groundswell.cli.export import register as register_export
from groundswell.cli.ingest import ingest_command
from groundswell.cli.magnitude import register as register_magnitude
from groundswell.cli.participation import register as register_participation
from groundswell.cli.privacy import register as register_privacy
from groundswell.cli.report import report_command
from groundswell.cli.simulate import register as register_simulate
from groundswell.cli.stats import stats_command
from groundswell.cli.watch import register as register_watch
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
register_privacy(app)
register_diffusion(app)
register_magnitude(app)
register_participation(app)
register_export(app)
register_watch(app)
register_web(app)


def main() -> None:
    app()
