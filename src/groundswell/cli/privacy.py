"""`groundswell init` (a store's privacy settings) and `groundswell forget` (deletions and retention)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from groundswell.cli.options import DEFAULT_DB_PATH, Db
from groundswell.cli.output import console, err
from groundswell.privacy.forget import expire, forget, read_compliance
from groundswell.privacy.pseudonyms import PrivacySettings
from groundswell.store.duckdb_store import Store


def init_command(
    db: Db = DEFAULT_DB_PATH,
    keep_handles: Annotated[
        bool, typer.Option("--keep-handles", help="Store raw handles for everyone. Off by default: think twice.")
    ] = False,
    public_figure: Annotated[
        list[str] | None, typer.Option("--public-figure", help="Handle that keeps its name (repeatable).")
    ] = None,
    public_figures_file: Annotated[
        Path | None, typer.Option("--public-figures-file", help="File with one public figure's handle a line.")
    ] = None,
    public_min_followers: Annotated[
        int | None,
        typer.Option("--public-min-followers", help="Accounts with at least this many followers keep their handle."),
    ] = None,
) -> None:
    """Create a store with its privacy settings (before the first ingest: they apply to what is stored)."""
    if db.exists():
        err.print(f"[red]error:[/] {db} exists; privacy settings are chosen when a store is created")
        raise typer.Exit(2)
    figures = list(public_figure or [])
    if public_figures_file:
        figures += [
            ln.strip() for ln in public_figures_file.read_text().splitlines() if ln.strip() and not ln.startswith("#")
        ]
    settings = PrivacySettings(
        keep_handles=keep_handles,
        public_figures=frozenset(h.lower().lstrip("@") for h in figures),
        public_min_followers=public_min_followers,
    )
    with Store(db) as store:
        store.set_privacy_settings(settings.to_dict())
        store.pseudonym_key()
    console.print(f"created {db} (pseudonym key in {db}.key, mode 0600: keep it out of shared copies)")


def forget_command(
    db: Db = DEFAULT_DB_PATH,
    post: Annotated[list[str] | None, typer.Option("--post", help="Post id to forget (repeatable).")] = None,
    author: Annotated[
        list[str] | None,
        typer.Option("--author", help="Handle or platform account id whose posts to forget (repeatable)."),
    ] = None,
    compliance: Annotated[
        Path | None, typer.Option("--compliance", help="twarc2 compliance output (tweets or users file).")
    ] = None,
    compliance_kind: Annotated[
        str | None, typer.Option("--compliance-kind", help="tweets or users (default: from the file name).")
    ] = None,
    platform: Annotated[str, typer.Option("--platform", help="Platform the ids belong to.")] = "twitter",
    expire_after: Annotated[
        int | None, typer.Option("--expire-after", min=0, help="Retention: forget posts older than DAYS days.")
    ] = None,
) -> None:
    """Delete posts everywhere groundswell copied them, and rewrite the store so their bytes are gone."""
    posts = list(post or [])
    authors = list(author or [])
    if compliance:
        ids, kind = read_compliance(compliance)
        kind = compliance_kind or kind
        (authors if kind == "users" else posts).extend(ids)
    if not posts and not authors and expire_after is None:
        err.print("[red]error:[/] nothing to forget: give --post, --author, --compliance or --expire-after")
        raise typer.Exit(2)
    with Store(db) as store:
        if posts or authors:
            r = forget(
                store, posts=posts, authors=authors, platform=platform, reason="compliance" if compliance else "request"
            )
            console.print(
                f"forgot {r.posts:,} posts, {r.reposts:,} reposts of them, {r.quarantine:,} quarantined records; "
                f"removed {len(r.exports)} managed export files"
            )
        if expire_after is not None:
            r = expire(store, expire_after)
            console.print(f"expired {r.posts + r.reposts:,} posts older than {expire_after} days")


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
    app.command("forget")(forget_command)
