"""``groundswell magnitude | bursts | trending | origin``: how big, when it burst, what is rising, where it began.

Thin wrappers: each command opens the store read-only, calls the analytics, passes every table through
``privacy.suppress`` and prints it (a table for people, ``--json`` / ``--csv`` for pipes). Commands that
produce several tables print them all, or one with ``--table NAME`` (required for ``--csv``).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.compute as pc
import typer

from groundswell.analytics import collection, live, magnitude, origin, sampling, timeline, trends
from groundswell.analytics.engine import Memo
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
from groundswell.cli.output import console, emit
from groundswell.movements.config import store_movements
from groundswell.movements.definition import Movement
from groundswell.privacy.suppress import suppress
from groundswell.store.duckdb_store import Store

Bin = Annotated[str, typer.Option("--bin", help="Time bin: minute, hour, day or week (UTC).")]
Movement_ = Annotated[str | None, typer.Option("--movement", help="Only posts of this movement (e.g. metoo).")]
SampleRate = Annotated[
    float | None,
    typer.Option(
        "--sample-rate",
        min=0.0,
        max=1.0,
        help="The data is a random sample at this rate (0.01 for a 1% stream): post counts get 95% intervals. "
        "Default: the rate declared in the store, if any; otherwise figures are counts of this data set.",
    ),
]
Gap = Annotated[
    list[str] | None,
    typer.Option(
        "--gap", help="Declare a collection gap START/END (ISO, UTC), e.g. 2017-10-16/2017-10-23. Repeatable."
    ),
]
NoDetect = Annotated[bool, typer.Option("--no-detect-gaps", help="Do not detect gaps; use declared ones only.")]
TableName = Annotated[str | None, typer.Option("--table", help="Print only this table (required with --csv).")]


def _filters(platform: str | None, lang: str | None, movement: str | None) -> dict[str, Any]:
    f: dict[str, Any] = filters(platform, lang)
    if movement:
        f["movement"] = movement
    return f


def _gaps(store: Store, gap: list[str] | None) -> list[tuple[datetime, datetime]]:
    try:
        return collection.declared_gaps(store) + [collection.parse_span(g) for g in gap or []]
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--gap") from e


def _movement(store: Store, name: str | None) -> Movement | None:
    movs = store_movements(store)
    if name is None:
        return movs[0] if movs else None
    for m in movs:
        if m.name == name:
            return m
    raise typer.BadParameter(f"the store matches no movement {name!r} ({', '.join(m.name for m in movs)})")


def _emit_all(tables: dict[str, pa.Table], as_json: bool, as_csv: bool, only: str | None, note: str = "") -> None:
    if only is not None:
        if only not in tables:
            raise typer.BadParameter(f"no table {only!r}; tables: {', '.join(tables)}", param_hint="--table")
        tables = {only: tables[only]}
    if as_csv and len(tables) > 1:
        raise typer.BadParameter(f"--csv prints one table: add --table ({', '.join(tables)})", param_hint="--csv")
    if as_json and len(tables) > 1:
        json.dump({k: v.to_pylist() for k, v in tables.items()}, sys.stdout, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    for title, t in tables.items():
        emit(t, title=title, as_json=as_json, as_csv=as_csv)
    if note and not (as_json or as_csv):
        console.print(f"[dim]{note}[/]")


def _visible(t: pa.Table) -> pa.Table:
    """Rows that passed suppression (used where a row names an individual post or account)."""
    return t.filter(pc.invert(t.column("suppressed")))


def register(app: typer.Typer) -> None:
    """Add ``magnitude``, ``bursts``, ``trending`` and ``origin`` to the groundswell CLI."""

    @app.command("magnitude")
    def magnitude_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        bin: Bin = "day",
        sample_rate: SampleRate = None,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        movement: Movement_ = None,
        table: TableName = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """How big: posts, people, kinds; per platform, language, country and time bin; growth; first 24 hours."""
        f = _filters(platform, lang, movement)
        with open_store(db, engine, master) as opened:
            store: Any = Memo(opened)  # participants and time to participants share one pass (see magnitude)
            rate = sample_rate if sample_rate is not None else collection.sample_rate(store)
            # only the strongest burst's start is used here: find it on posts alone (people=False)
            gaps = collection.declared_gaps(store)
            top = timeline.strongest(timeline.bursts(store, "hour", f, gaps=gaps, people=False))
            # every distinct-author figure from one pass over the authors (two when the bins do not fit a mask)
            o = magnitude.overview(store, f, start=top["start"] if top else None, bin=bin)
            h, day = o.headline, o.first_hours
            summary = pa.Table.from_pylist(
                [
                    {"figure": name, "posts": getattr(x, field), "authors": x.authors}
                    for x, prefix in ((h, ""), (day, "first 24 h: "))
                    for name, field in (
                        (prefix + "posts", "posts"),
                        (prefix + "originals", "originals"),
                        (prefix + "replies", "replies"),
                        (prefix + "reposts", "reposts"),
                        (prefix + "quotes", "quotes"),
                        (prefix + "comments", "comments"),
                    )
                ]
            )
            tables = {
                "summary": sampling.with_intervals(suppress(summary, k=k), rate),
                "per platform": sampling.with_intervals(suppress(o.by["platform"], k=k), rate),
                "per language": sampling.with_intervals(suppress(o.by["lang"], k=k), rate),
                "per country": sampling.with_intervals(suppress(o.by["country"], k=k), rate),
                f"per {bin}": sampling.with_intervals(magnitude.accumulate(suppress(o.participants, k=k)), rate),
                "time to participants": suppress(o.time_to_participants, k=k, count_columns=["hours"]),
            }
        start = f"; first 24 h from {top['start']:%Y-%m-%d %H:%M} UTC (strongest burst)" if top else ""
        _emit_all(tables, as_json, as_csv, table, sampling.label(rate) + start)

    @app.command("bursts")
    def bursts_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        bin: Bin = "hour",
        hashtag: Annotated[str | None, typer.Option("--hashtag", help="Bursts of this hashtag (without #).")] = None,
        relative: Annotated[
            bool, typer.Option("--relative", help="Bursts of the share of the collection's volume, not the count.")
        ] = False,
        s: Annotated[float, typer.Option("--s", min=1.01, help="Rate ratio between burst levels.")] = 2.0,
        gamma: Annotated[float, typer.Option("--gamma", min=0.0, help="Cost of moving up a level.")] = 1.0,
        online: Annotated[
            bool, typer.Option("--online", help="Replay the posts as a live stream: onset alarms per hashtag.")
        ] = False,
        key: Annotated[
            str, typer.Option("--key", help="With --online: watch each hashtag, each movement, or all posts.")
        ] = "hashtag",
        warmup: Annotated[
            int, typer.Option("--warmup", min=2, help="With --online: bins each key learns its baseline from.")
        ] = 24,
        gap: Gap = None,
        no_detect_gaps: NoDetect = False,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        movement: Movement_ = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """When it burst: Kleinberg bursts (start, peak, end, level, weight), strongest first; gaps never count as
        silence. With --online, the live detector's onsets instead."""
        f = _filters(platform, lang, movement)
        tag = hashtag.lstrip("#").casefold() if hashtag else None
        with open_store(db, engine, master) as store:
            gaps = _gaps(store, gap)
            if online:
                found = live.replay(
                    store, bin, f, key=key, only=[tag] if tag and key == "hashtag" else None, gaps=gaps, warmup=warmup
                )
                emit(found, title="onsets (replayed as a live stream)", as_json=as_json, as_csv=as_csv)
                return
            found = timeline.bursts(
                store,
                bin,
                f,
                hashtag=tag,
                relative=relative,
                s=s,
                gamma=gamma,
                detect_gaps=not no_detect_gaps,
                gaps=gaps,
            )
        emit(suppress(found, k=k, count_columns=["posts"]), title="bursts", as_json=as_json, as_csv=as_csv)

    @app.command("trending")
    def trending_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        bin: Bin = "hour",
        window: Annotated[int, typer.Option("--window", min=1, help="Recent bins.")] = 24,
        baseline: Annotated[int, typer.Option("--baseline", min=1, help="Bins before them, the baseline.")] = 168,
        at: Annotated[
            datetime | None, typer.Option("--at", help="Judge as of this time (UTC); default: end of the data.")
        ] = None,
        min_count: Annotated[int, typer.Option("--min-count", min=1, help="Fewest recent posts to rank.")] = 10,
        top: Annotated[int, typer.Option("--top", min=1, help="How many hashtags.")] = 20,
        gap: Gap = None,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        movement: Movement_ = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """What is rising: hashtags ranked by growth against their own recent baseline (log2 of the rate ratio)."""
        f = _filters(platform, lang, movement)
        with open_store(db, engine, master) as store:
            m = _movement(store, movement)
            exclude = sorted(m.member_keys) if movement and m else []
            related = sorted(m.related_keys) if m else []
            got = trends.trending_hashtags(
                store,
                bin,
                f,
                window=window,
                baseline=baseline,
                at=at,
                min_count=min_count,
                limit=top,
                exclude=exclude,
                related=related,
                gaps=_gaps(store, gap),
            )
        emit(
            suppress(got, k=k, count_columns=["recent_posts", "baseline_posts"]),
            title="trending",
            as_json=as_json,
            as_csv=as_csv,
        )

    @app.command("origin")
    def origin_command(
        db: Db = DEFAULT_DB_PATH,
        engine: EngineName = DEFAULT_ENGINE,
        master: Master = DEFAULT_MASTER,
        seed_hours: Annotated[float, typer.Option("--seed-hours", min=0.1, help="First hours of the burst.")] = 3.0,
        start: Annotated[
            datetime | None,
            typer.Option("--start", help="Seeds of the burst starting here (UTC); default: the strongest burst."),
        ] = None,
        top: Annotated[int, typer.Option("--top", min=1, help="How many seeds.")] = 10,
        gap: Gap = None,
        k: K = DEFAULT_K,
        platform: Platform = None,
        lang: Lang = None,
        movement: Movement_ = None,
        table: TableName = None,
        as_json: Json = False,
        as_csv: Csv = False,
    ) -> None:
        """Where it began: first appearances of the movement's hashtags, dormant revivals, and seed posts (the
        posts most replied to or quoted in the first hours of the strongest burst)."""
        f = _filters(platform, lang, movement)
        with open_store(db, engine, master) as store:
            m = _movement(store, movement)
            if m is None:
                raise typer.BadParameter("the store matches no movement definitions")
            tags = origin.movement_tags(m)
            if start is None:
                best = timeline.strongest(timeline.bursts(store, "hour", f, gaps=_gaps(store, gap)))
                start = best["start"] if best else None
            elif start.tzinfo is None:
                from datetime import UTC

                start = start.replace(tzinfo=UTC)
            tables = {
                "first appearances": suppress(origin.first_appearances(store, tags, f), k=k, count_columns=["posts"]),
                "dormant revival": suppress(
                    origin.dormant_revival(store, tags, f),
                    k=k,
                    count_columns=["posts_before", "rate_before", "surge_rate", "ratio"],
                ),
            }
            if start is not None:
                tables["seed posts"] = _visible(
                    suppress(
                        origin.seed_posts(store, start, seed_hours, f, limit=top),
                        k=k,
                        count_columns=["replies", "quotes", "answers"],
                    )
                )
                tables["seed accounts"] = _visible(
                    suppress(
                        origin.seed_accounts(store, start, seed_hours, f, limit=top), k=k, count_columns=["replies"]
                    )
                )
        note = f"seeds: first {seed_hours:g} h from {start:%Y-%m-%d %H:%M} UTC" if start else "no burst: no seeds"
        _emit_all(tables, as_json, as_csv, table, note + "; seeds answered by fewer than k people are left out")
