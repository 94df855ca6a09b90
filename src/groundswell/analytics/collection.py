"""What the user declares about how the data was collected: its sample rate and its known holes.

Two facts no algorithm can recover from the posts alone. A 1% stream looks like any other data set until
someone says it is 1%; an outage the collector logged is better declared than guessed. Both are kept in the
store's ``meta`` table so the report, the CLI and every later session read the same declaration.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from groundswell.analytics.sampling import check_rate
from groundswell.movements.config import get_meta, set_meta
from groundswell.store.duckdb_store import Store

Span = tuple[datetime, datetime]


def declare(store: Store, *, sample_rate: float | None = None, gaps: Sequence[Span] | None = None) -> None:
    """Record the sample rate (``None`` leaves it unchanged; use ``clear_sample_rate`` to remove) and gaps."""
    if sample_rate is not None:
        set_meta(store, "sample_rate", repr(check_rate(sample_rate)))
    if gaps is not None:
        spans = []
        for a, b in gaps:
            a, b = _utc(a), _utc(b)
            if b <= a:
                raise ValueError(f"gap {a} – {b} ends before it starts")
            spans.append([a.isoformat(), b.isoformat()])
        set_meta(store, "gaps", json.dumps(spans))


def clear_sample_rate(store: Store) -> None:
    store.con.execute("DELETE FROM meta WHERE key = 'sample_rate'").fetchall()


def sample_rate(store: Store) -> float | None:
    raw = get_meta(store, "sample_rate")
    return float(raw) if raw else None


def declared_gaps(store: Store) -> list[Span]:
    raw = get_meta(store, "gaps")
    return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in json.loads(raw)] if raw else []


def parse_span(text: str) -> Span:
    """``"2017-10-16/2017-10-23"`` or ``"2017-10-16T00:00/2017-10-16T06:00"`` (UTC unless an offset is given)."""
    try:
        a, b = text.split("/")
        span = (_utc(datetime.fromisoformat(a.strip())), _utc(datetime.fromisoformat(b.strip())))
    except ValueError as e:
        raise ValueError(f"a gap is START/END in ISO format, e.g. 2017-10-16/2017-10-23; got {text!r}") from e
    if span[1] <= span[0]:
        raise ValueError(f"gap {text!r} ends before it starts")
    return span


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
