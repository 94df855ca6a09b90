"""Options shared by commands, defined once so every command spells them the same way."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from groundswell.store.duckdb_store import DEFAULT_DB

Db = Annotated[
    Path,
    typer.Option("--db", envvar="GROUNDSWELL_DB", help="Store file (DuckDB).", show_default=True),
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]
K = Annotated[
    int,
    typer.Option("--k", min=1, help="Suppress figures describing fewer than K distinct authors.", show_default=True),
]
DEFAULT_K = 10
Platform = Annotated[str | None, typer.Option("--platform", help="Only posts from this platform.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Only posts in this language.")]


def filters(platform: str | None = None, lang: str | None = None) -> dict[str, str]:
    return {k: v for k, v in {"platform": platform, "lang": lang}.items() if v}


ENGINES = ("duckdb", "spark")
EngineName = Annotated[
    str,
    typer.Option(
        "--engine",
        envvar="GROUNDSWELL_ENGINE",
        help="duckdb: the store is one DuckDB file. spark: the store is a Parquet dataset (folder or s3a://, gs:// "
        "URI) queried and written by Spark; same figures (docs/spark.md).",
        show_default=True,
    ),
]
DEFAULT_ENGINE = "duckdb"
Master = Annotated[
    str,
    typer.Option(
        "--master",
        envvar="GROUNDSWELL_SPARK_MASTER",
        help="With --engine spark: where Spark runs: local[*] (this machine's cores), local[2], spark://HOST:7077, "
        "yarn, k8s://…",
        show_default=True,
    ),
]
DEFAULT_MASTER = "local[*]"


def open_store(
    db: Path, engine: str = DEFAULT_ENGINE, master: str = DEFAULT_MASTER, *, read_only: bool = True, wait: float = 0
) -> Any:
    """The store ``--db`` names, on the engine ``--engine`` names: a DuckDB ``Store`` or a ``SparkStore``.

    Both answer the analytics' ``sql`` with the same query strings; with ``--engine spark`` and the default
    ``--db``, the store is the folder ``groundswell.parquet``.
    """
    if engine not in ENGINES:
        raise typer.BadParameter(f"one of {', '.join(ENGINES)}", param_hint="--engine")
    if engine == "duckdb":
        from groundswell.store.duckdb_store import Store

        return Store(db, read_only=read_only, wait=wait)
    from groundswell.spark.store import DEFAULT_SPARK_STORE, SparkStore

    text = str(db)
    if re.match(r"^[A-Za-z][\w+.-]+:/[^/]", text):  # a Path folds s3a://bucket into s3a:/bucket: unfold it
        text = text.replace(":/", "://", 1)
    root = DEFAULT_SPARK_STORE if db == DEFAULT_DB_PATH else text
    # a store on object storage keeps its pseudonym key in a local file named by GROUNDSWELL_KEY
    return SparkStore(root, master=master, read_only=read_only, key_path=os.environ.get("GROUNDSWELL_KEY"))
