"""`groundswell stats`: what is in the store, at a glance."""

from __future__ import annotations

from typing import Annotated

import typer

from groundswell.analytics import magnitude
from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_K, Db, Json, K, Lang, Platform, filters
from groundswell.cli.output import emit
from groundswell.privacy.suppress import suppress
from groundswell.store.duckdb_store import Store


def stats_command(
    db: Db = DEFAULT_DB_PATH,
    top: Annotated[int, typer.Option("--top", min=1, help="How many hashtags.")] = 10,
    k: K = DEFAULT_K,
    platform: Platform = None,
    lang: Lang = None,
    as_json: Json = False,
) -> None:
    """Posts per platform, per day, and the top hashtags."""
    f = filters(platform, lang)
    with Store(db, read_only=True) as store:
        tables = {
            "per platform": suppress(magnitude.by(store, "platform", f), k=k),
            "per day": suppress(magnitude.series(store, "day", f), k=k),
            "top hashtags": suppress(magnitude.top_hashtags(store, f, limit=top), k=k),
        }
    if as_json:
        import json
        import sys

        json.dump({k_: v.to_pylist() for k_, v in tables.items()}, sys.stdout, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for title, tbl in tables.items():
        emit(tbl, title=title)
