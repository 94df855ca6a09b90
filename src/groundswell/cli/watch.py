"""``groundswell watch``: store a movement live from Bluesky and Mastodon and alert on surges (thin wrapper)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from groundswell.cli.options import DEFAULT_DB_PATH, DEFAULT_K, Db, K
from groundswell.store.duckdb_store import Store

if TYPE_CHECKING:  # the live package (websockets, the ingest pipeline) loads for this command only
    from groundswell.live import MovementFilter, Watcher
    from groundswell.live.watcher import LiveSource


def sources_from(specs: list[str], movement: MovementFilter, token: str | None) -> list[LiveSource]:
    """``bluesky`` / ``bluesky:URL`` / ``mastodon:INSTANCE`` (one hashtag stream per movement hashtag)."""
    from groundswell.live import JetstreamSource, MastodonSource
    from groundswell.live.jetstream import DEFAULT_URL

    out: list[LiveSource] = []
    for spec in specs:
        kind, _, where = spec.partition(":")
        if kind == "bluesky":
            out.append(JetstreamSource(where or DEFAULT_URL))
        elif kind == "mastodon" and where:
            out.extend(MastodonSource(where, tag, token=token) for tag in sorted(movement.hashtags))
        else:
            raise typer.BadParameter(f"unknown source {spec!r}: use bluesky[:URL] or mastodon:INSTANCE")
    return out


def register(app: typer.Typer) -> None:
    """Add the ``watch`` command to the groundswell CLI."""

    @app.command("watch")
    def watch_command(
        source: Annotated[
            list[str], typer.Option("--source", help="bluesky[:JETSTREAM_URL] or mastodon:INSTANCE; repeatable.")
        ],
        movement: Annotated[
            str | None, typer.Option(help="Movement definition to watch (groundswell.movements).")
        ] = None,
        hashtag: Annotated[list[str] | None, typer.Option("--hashtag", help="Hashtag to watch; repeatable.")] = None,
        phrase: Annotated[list[str] | None, typer.Option("--phrase", help="Phrase to watch; repeatable.")] = None,
        db: Db = DEFAULT_DB_PATH,
        k: K = DEFAULT_K,
        bin_seconds: Annotated[float, typer.Option(help="Width of the live bins, in seconds of event time.")] = 300.0,
        warmup: Annotated[int, typer.Option(help="Bins of baseline before alerts can fire.")] = 24,
        alert_log: Annotated[Path | None, typer.Option(help="Append alerts to this JSON-lines file.")] = None,
        webhook: Annotated[str | None, typer.Option(help="POST alerts as JSON to this URL.")] = None,
        webhook_interval: Annotated[float, typer.Option(help="At most one webhook POST per this many seconds.")] = 60.0,
        allow_drops: Annotated[
            bool, typer.Option(help="Drop (and count) events when the store falls behind, instead of slowing down.")
        ] = False,
        duration: Annotated[float, typer.Option(help="Stop after this many seconds (0: until interrupted).")] = 0.0,
    ) -> None:
        """Watch a movement live: store its posts as they come and alert when a hashtag surges."""
        from groundswell.live import JsonLinesSink, MovementFilter, StdoutSink, WatchConfig, Watcher, WebhookSink

        try:
            if movement:
                filt = MovementFilter.for_movement(movement, hashtag or ())
            else:
                filt = MovementFilter.of(hashtag or (), phrase or ())
        except ValueError as e:
            raise typer.BadParameter(str(e)) from e
        sources = sources_from(source, filt, os.environ.get("GROUNDSWELL_MASTODON_TOKEN"))
        sinks = [StdoutSink()]
        if alert_log:
            sinks.append(JsonLinesSink(alert_log))
        if webhook:
            sinks.append(WebhookSink(webhook, min_interval=webhook_interval))
        config = WatchConfig(bin_seconds=bin_seconds, k=k, allow_drops=allow_drops, detector={"warmup": warmup})
        with Store(db) as store:
            watcher = Watcher(store, sources, filt, config=config, sinks=sinks)
            asyncio.run(_run(watcher, duration))
            for name, c in watcher.counters.items():
                typer.echo(
                    f"{name}: {c.events:,} events, {c.stored:,} posts stored, {c.duplicates:,} duplicates, "
                    f"{c.rejected:,} malformed, {c.dropped:,} dropped; cursor {watcher.cursors.get(name)}",
                    err=True,
                )


async def _run(watcher: Watcher, duration: float) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    if duration > 0:
        loop.call_later(duration, stop.set)
    await watcher.run(stop)
