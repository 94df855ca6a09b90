"""``groundswell cascades``, ``spread`` and ``network``: diffusion figures from the store (thin wrappers).

Every table printed passes through ``privacy.suppress``; a suppressed cascade also loses its root post id,
since the id of a post answered by fewer than k people can point at one of them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from groundswell.analytics import cascades as casc
from groundswell.analytics import spread
from groundswell.cli.options import (
    DEFAULT_DB_PATH,
    DEFAULT_ENGINE,
    DEFAULT_K,
    DEFAULT_MASTER,
    Csv,
    Db,
    EngineName,
    Json,
    K,
    Lang,
    Master,
    Platform,
    filters,
    open_store,
)
from groundswell.cli.output import emit
from groundswell.privacy.suppress import suppress


def _emit_all(tables: dict[str, pa.Table], as_json: bool, as_csv: bool) -> None:
    if as_json:
        json.dump({k: v.to_pylist() for k, v in tables.items()}, sys.stdout, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for title, tbl in tables.items():
        emit(tbl, title=title, as_csv=as_csv)


def register(app: typer.Typer) -> None:
    """Add ``cascades``, ``spread`` and ``network`` to the groundswell CLI."""

    @app.command("cascades")
    def cascades_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        top: Annotated[int, typer.Option("--top", min=1, help="How many of the largest cascades.")] = 10,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """Cascades of replies, quotes and reposts: sizes, depth, breadth, structural virality."""
        with open_store(db, engine, master) as store:
            c = casc.build_cascades(store, filters(platform, lang))
        _emit_all(
            {
                "cascade sizes": suppress(casc.size_distribution(c), k=k),
                "largest cascades": casc.hide_suppressed_ids(suppress(casc.top_cascades(c, top), k=k)),
            },
            as_json,
            as_csv,
        )

    @app.command("spread")
    def spread_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        bin: Annotated[str, typer.Option("--bin", help="Bin for onsets: minute, hour or day.")] = "hour",
        k: K = DEFAULT_K,
        lang: Lang = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """Onset of each platform, lags behind the first, share of volume per day, cross-platform links."""
        f = filters(None, lang)
        with open_store(db, engine, master) as store:
            tables = {
                "onsets": suppress(spread.platform_onsets(store, f, bin=bin), k=k, count_columns=["posts"]),
                "share per day": suppress(spread.platform_shares(store, f, "day"), k=k),
                "cross-platform links": suppress(spread.cross_links(store, f), k=k),
            }
        _emit_all(tables, as_json, as_csv)

    @app.command("network")
    def network_command(
        out: Annotated[Path, typer.Option("--out", help="File to write: .gexf (Gephi) or .graphml.")],
        kind: Annotated[str, typer.Option("--kind", help="cohashtag or interaction.")] = "cohashtag",
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        as_json: Json = False,
    ) -> None:
        """Write the co-hashtag or interaction network and print its largest communities."""
        if kind not in ("cohashtag", "interaction"):
            raise typer.BadParameter("--kind must be cohashtag or interaction")
        if out.suffix.lower() not in (".gexf", ".graphml"):
            raise typer.BadParameter("--out must end in .gexf or .graphml")
        from groundswell.analytics import networks  # networkx, for this command only

        f = filters(platform, lang)
        with open_store(db, engine, master) as store:
            if kind == "cohashtag":
                g = networks.cohashtag_graph(store, f, min_authors=k)
            else:
                g = networks.interaction_graph(store, f)
        networks.write_graph(g, out)
        top = suppress(networks.top_communities(g, networks.communities(g)), k=k)
        typer.echo(f"{g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges → {out}", err=True)
        _emit_all({"communities": top}, as_json, False)
