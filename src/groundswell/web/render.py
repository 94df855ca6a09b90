"""HTML pieces for the dashboard: headline figures, tables and a sparkline, each marked for tests and scripts.

Figures and tables carry ``data-figure`` / ``data-table`` attributes naming the API field they show, so a
browser test (or a curious journalist) can check the page against ``/api/v1`` cell by cell. Suppressed
values read "<k", never a number, exactly as in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pyarrow as pa

from groundswell.report.sections.common import table as _report_table

LABELS = {
    "posts": "posts",
    "authors": "distinct authors",
    "originals": "original posts",
    "replies": "replies",
    "reposts": "reposts",
    "quotes": "quotes",
    "comments": "comments",
}


def figure(name: str, value: int | None, suppressed: bool) -> str:
    shown = "&lt;k" if suppressed or value is None else f"{value:,}"
    return (
        f'<div class="figure" data-figure="{escape(name)}"><div class="v">{shown}</div>'
        f'<div class="k">{escape(LABELS.get(name, name))}</div></div>'
    )


def table(tbl: pa.Table, name: str, columns: list[tuple[str, str]]) -> str:
    """The report's table (suppressed cells as '<k'), tagged with the API table name it shows."""
    if tbl.num_rows == 0:
        return f'<p class="empty" data-table="{escape(name)}">Nothing to show.</p>'
    numeric = {
        c
        for c, _ in columns
        if pa.types.is_integer(tbl.schema.field(c).type) or pa.types.is_floating(tbl.schema.field(c).type)
    }
    return f'<div class="table" data-table="{escape(name)}">{_report_table(tbl, columns, numeric)}</div>'


def sparkline(values: Sequence[float | None], *, title: str, width: int = 300, height: int = 48) -> str:
    """A small line without axes, for a glance at the shape; ``None`` (suppressed) breaks the line."""
    pts = [v for v in values if v is not None]
    if len(values) < 2 or not pts:
        return f'<p class="empty">{escape(title)}: too few points to draw.</p>'
    top = max(pts) or 1.0
    step = width / (len(values) - 1)
    path, pen_up = [], True
    for i, v in enumerate(values):
        if v is None:
            pen_up = True
            continue
        path.append(f"{'M' if pen_up else 'L'}{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}")
        pen_up = False
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<path class="line" d="{" ".join(path)}"/></svg>'
    )
