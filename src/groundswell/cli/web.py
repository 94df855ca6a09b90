"""``groundswell serve`` and ``groundswell users``: the web dashboard and its accounts (thin wrappers)."""

from __future__ import annotations

from typing import Annotated

import typer

from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_K, Db, K
from groundswell.cli.output import console, err
from groundswell.store.duckdb_store import StoreError
from groundswell.web.auth import ROLES, Accounts, AuthError

users_app = typer.Typer(
    help="Dashboard accounts: viewer (aggregates), analyst (+ redacted posts), admin (+ users, uploads)."
)


def _password(name: str) -> str:
    return typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``users`` to the groundswell CLI."""

    @app.command("serve")
    def serve_command(
        db: Db = DEFAULT_DB_PATH,
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        k: K = DEFAULT_K,
        https_only: Annotated[bool, typer.Option("--https-only", help="Mark cookies Secure (behind TLS).")] = False,
        cache: Annotated[bool, typer.Option(help="Keep computed figures until the data changes.")] = True,
    ) -> None:
        """Serve the dashboard and /api/v1 over the store. The server owns the store's writer while it runs."""
        import uvicorn

        from groundswell.web import create_app

        try:
            application = create_app(db, k=k, https_only=https_only, cache=cache)
        except StoreError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        if not application.state.accounts.users():
            err.print(f"[yellow]no accounts yet:[/] add one with `groundswell users add NAME --role admin --db {db}`")
        uvicorn.run(application, host=host, port=port, proxy_headers=True, log_level="warning")

    @users_app.command("add")
    def users_add(
        name: Annotated[str, typer.Argument(help="Login name.")],
        role: Annotated[str, typer.Option(help=" | ".join(ROLES))] = "viewer",
        db: Db = DEFAULT_DB_PATH,
        password_stdin: Annotated[
            bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
        ] = False,
    ) -> None:
        """Add an account (asks for its password)."""
        password = typer.get_text_stream("stdin").readline().rstrip("\n") if password_stdin else _password(name)
        try:
            Accounts(db).add_user(name, password, role, actor="cli")
        except AuthError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(2) from e
        console.print(f"added {name} ({role})")

    @users_app.command("list")
    def users_list(db: Db = DEFAULT_DB_PATH) -> None:
        """List accounts, their roles and how many API tokens each has."""
        for u in Accounts(db).users():
            typer.echo(f"{u['name']}\t{u['role']}\t{u['tokens']} token(s)")

    @users_app.command("remove")
    def users_remove(
        name: Annotated[str, typer.Argument(help="Login name of the account to remove.")], db: Db = DEFAULT_DB_PATH
    ) -> None:
        """Remove an account; its sessions and tokens end at once."""
        try:
            Accounts(db).remove_user(name, actor="cli")
        except AuthError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(1) from e
        console.print(f"removed {name}")

    @users_app.command("token")
    def users_token(
        name: Annotated[str, typer.Argument(help="Login name the token acts as.")],
        label: Annotated[str, typer.Option(help="What the token is for.")] = "",
        db: Db = DEFAULT_DB_PATH,
    ) -> None:
        """Create an API token for NAME and print it once (send it as Authorization: Bearer TOKEN)."""
        try:
            token = Accounts(db).new_token(name, label, actor="cli")
        except AuthError as e:
            err.print(f"[red]error:[/] {e}")
            raise typer.Exit(1) from e
        typer.echo(token)

    app.add_typer(users_app, name="users")
