"""Cascades section: how the movement grew as replies, quotes and reposts around seed posts, and how much of
it was posts triggering posts (Hawkes branching ratio)."""

from __future__ import annotations

from html import escape
from typing import Any

from groundswell.analytics import cascades as casc
from groundswell.analytics.hawkes import hawkes_for
from groundswell.privacy.suppress import suppress
from groundswell.report import charts
from groundswell.report.html import Section
from groundswell.report.sections.common import figure as _figure
from groundswell.report.sections.common import table as _table
from groundswell.store.duckdb_store import Store


def cascades_section(store: Store, filters: dict[str, Any] | None, k: int) -> Section | None:
    c = casc.build_cascades(store, filters)
    if c.cascades.num_rows == 0:
        return None
    sizes = suppress(casc.size_distribution(c), k=k)
    top = casc.hide_suppressed_ids(suppress(casc.top_cascades(c, 10), k=k))
    multi = sum(1 for p in c.cascades.column("posts").to_pylist() if p > 1)
    placeholders = sum(c.cascades.column("placeholders").to_pylist())
    figs = [_figure(f"{c.cascades.num_rows:,}", "cascades"), _figure(f"{multi:,}", "with more than one post")]
    fit = hawkes_for(store, filters)
    note = ""
    if fit is not None:
        figs.append(_figure(f"{fit.branching:.2f} ± {fit.branching_se:.2f}", "branching ratio"))
        figs.append(_figure(f"{fit.mean_delay_hours * 60:.0f} min", "mean delay to an answer"))
        how = (
            "originals taken as the background, replies, quotes and reposts as triggered"
            if fit.extra.get("marked")
            else "post times only, with a background that changes every 6 hours (likely to overstate it)"
        )
        note = (
            f"<p class='note'>Branching ratio: the share of posts triggered by earlier posts, from a Hawkes "
            f"process fitted by maximum likelihood ({escape(how)}); ± is one standard error.</p>"
        )
    bars = charts.bars(
        sizes.column("size").to_pylist(), sizes.column("cascades").to_pylist(), title="Cascades by size (posts)"
    )
    cols = [
        ("platform", "platform"),
        ("root_id", "seed post"),
        ("started", "started (UTC)"),
        ("posts", "posts"),
        ("authors", "authors"),
        ("placeholders", "missing"),
        ("depth", "depth"),
        ("max_breadth", "breadth"),
        ("virality", "structural virality"),
        ("lifetime_hours", "lifetime (h)"),
        ("half_hours", "to half size (h)"),
    ]
    numeric = {"posts", "authors", "placeholders", "depth", "max_breadth", "virality", "lifetime_hours", "half_hours"}
    html = (
        f'<div class="figures">{"".join(figs)}</div>{note}{bars}'
        f"<p class='note'>{placeholders:,} parents missing from the data are kept as placeholders, so "
        "depths are not cut short. Structural virality is the mean distance between two posts of a cascade "
        "(Goel et al. 2016): about 2 for one broadcast, larger for person-to-person chains.</p>"
        "<h3>Largest cascades</h3>" + _table(top, cols, numeric)
    )
    return Section("cascades", "Cascades", html)
