"""groundswell as a twarc2 plugin: ``twarc2 groundswell ingest tweets.jsonl --db metoo.duckdb``.

Most #MeToo archives were collected with twarc, so groundswell meets twarc users inside the tool they
already run. twarc2 finds plugins through the ``twarc.plugins`` entry-point group (see ``pyproject.toml``)
and adds each one as a click command; this module hands it the groundswell CLI itself, converted from Typer
to click, so ``twarc2 groundswell ...`` accepts exactly what ``groundswell ...`` does and never drifts.

Piping works without the plugin too, since ``groundswell ingest -`` reads standard input::

    twarc2 search "#metoo" | groundswell ingest - --db metoo.duckdb

twarc2 itself wants credentials before it runs any sub-command, even one that never calls the API; a
plugin cannot change that, so give it any token (``twarc2 --bearer-token unused groundswell ...``) or run
``twarc2 configure`` once.
"""

from __future__ import annotations

import click
import typer

from groundswell.cli import app

#: the whole groundswell command line as one click group, named for ``twarc2 groundswell``
groundswell: click.Group = typer.main.get_command(app)  # type: ignore[assignment]
groundswell.name = "groundswell"
groundswell.help = "Measure hashtag movements (groundswell): ingest twarc2 output, report, export."
