"""Timeline section: posts per hour with the bursts drawn on the series and collection gaps shaded.

Gaps are drawn as gaps (a shaded band, the line broken), never as a drop to zero: a reader who sees the line
fall to nothing reads "the movement went quiet", and for a missing week of data that would be false.
"""

from __future__ import annotations

from datetime import UTC
from html import escape
from typing import Any

import pyarrow as pa

from groundswell.analytics import collection, magnitude, timeline
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.report.html import Section
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store

#: bursts drawn on the chart and listed in the table, strongest first
SHOWN = 8


def timeline_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    gaps = collection.declared_gaps(store)
    ser = timeline.volume(store, "hour", filters, gaps=gaps)
    if not len(ser):
        return None
    top = _episodes(timeline.bursts(store, "hour", filters, series=ser))
    spans = [
        (r["start"], r["end"], f"burst up to level {r['level']}: {r['start']:%d %b %H:%M} – {r['end']:%d %b %H:%M} UTC")
        for r in top.to_pylist()
    ]
    # an hour whose posts come from fewer than k people is not drawn: its height would count them
    small = {
        r["bin"].replace(tzinfo=UTC)
        for r in suppress(magnitude.series(store, "hour", filters), k=k).to_pylist()
        if r.get("suppressed")
    }
    values = [None if t.replace(tzinfo=UTC) in small else v for t, v in zip(ser.starts, ser.values(), strict=True)]
    svg = charts.time_series(ser.starts, values, title="Posts per hour (UTC)", spans=spans, gaps=ser.gap_spans())
    n_gap = int(ser.missing.sum())
    note = (
        f"Shaded red: the {len(spans)} strongest bursts (Kleinberg's automaton on hourly counts, ranked by weight; "
        "a burst's higher levels nest inside it and are summed into one row, 'level' being the highest reached). "
        + (
            f"Shaded sand: {n_gap:,} hours with no data collected (detected or declared), left out of the burst "
            "model and of every figure rather than counted as silence."
            if n_gap
            else "No collection gaps were detected or declared."
        )
    )
    table = suppress(top, k=k, count_columns=["posts"])
    cols = [
        ("level", "level"),
        ("start", "start (UTC)"),
        ("end", "end (UTC)"),
        ("peak", "busiest hour"),
        ("weight", "weight"),
        ("posts", "posts"),
        ("authors", "authors"),
    ]
    html = svg + f'<p class="note">{escape(note)}</p>' + (_table(_fmt(table), cols, {"posts", "authors", "weight"}))
    return Section("timeline", "Timeline", html)


def _episodes(found: pa.Table) -> pa.Table:
    """Level-1 bursts, strongest first, each with the highest level nested inside it and their summed weight."""
    rows = found.to_pylist()
    tops = [r for r in rows if r["level"] == 1]
    for t in tops:
        inside = [r for r in rows if t["start"] <= r["start"] and r["end"] <= t["end"]]
        t["level"] = max(r["level"] for r in inside)
        t["weight"] = round(sum(r["weight"] for r in inside))
    tops.sort(key=lambda r: -r["weight"])
    out = pa.Table.from_pylist(tops[:SHOWN], schema=found.schema)
    return out.set_column(out.schema.get_field_index("weight"), "weight", out.column("weight").cast(pa.int64()))


def _fmt(t: pa.Table) -> pa.Table:
    """Times as short text for the table."""
    out = t
    for c in ("start", "end", "peak"):
        vals = [f"{v:%d %b %Y %H:%M}" for v in t.column(c).to_pylist()]
        out = out.set_column(out.schema.get_field_index(c), c, pa.array(vals, pa.string()))
    return out
