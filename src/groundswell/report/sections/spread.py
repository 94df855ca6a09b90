"""Spread section: when each platform took the movement up, its lag behind the first, and cross-links."""

from __future__ import annotations

from typing import Any

from groundswell.analytics import spread
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.report.html import Section
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store


def spread_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    onsets = suppress(spread.platform_onsets(store, filters), k=k, count_columns=["posts"])
    if onsets.num_rows < 2:
        return None  # one platform: nothing spread anywhere
    f = {key: v for key, v in (filters or {}).items() if key != "platform"}
    times, counts = spread.dense_counts(spread.platform_series(store, f, "hour"), "hour")
    charts_html = "".join(
        charts.time_series(times, counts[p].tolist(), title=f"{p}: posts per hour (UTC)") for p in sorted(counts)
    )
    links = suppress(spread.cross_links(store, f), k=k)
    html = (
        "<p class='note'>Onset: start of the platform's first burst (Kleinberg) in hourly volume; lag: hours "
        "after the earliest onset.</p>"
        + _table(
            onsets,
            [("platform", "platform"), ("onset", "onset (UTC)"), ("lag_hours", "lag (h)"), ("posts", "posts")],
            {"lag_hours", "posts"},
        )
        + charts_html
        + "<h3>Links to other platforms</h3>"
        + _table(
            links,
            [("from_platform", "from"), ("to_platform", "to"), ("posts", "posts"), ("authors", "authors")],
            {"posts", "authors"},
        )
    )
    return Section("spread", "Spread across platforms", html)
