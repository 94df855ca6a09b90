"""Charts as inline SVG: the report must open offline, years from now, with no script and no CDN.

Only what the report needs: a time series (with optional shaded spans for bursts and for collection gaps,
which are drawn as missing rather than as zero) and horizontal bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

W, H = 860, 240
PAD_L, PAD_R, PAD_T, PAD_B = 56, 40, 14, 34


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** (len(str(int(v))) - 1)
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag:
            return m * mag
    return 10 * mag


def _fmt(v: float) -> str:
    if v >= 1_000_000:
        return f"{v / 1_000_000:g}M"
    if v >= 1000:
        return f"{v / 1000:g}k"
    return f"{v:g}"


def time_series(
    times: Sequence[datetime],
    values: Sequence[float | None],
    *,
    title: str,
    spans: Sequence[tuple[datetime, datetime, str]] = (),
    gaps: Sequence[tuple[datetime, datetime]] = (),
    y_label: str = "posts",
) -> str:
    """A line chart; ``None`` values break the line (missing, not zero)."""
    if not times:
        return f'<p class="empty">{escape(title)}: no data</p>'
    t0, t1 = times[0].timestamp(), times[-1].timestamp()
    span = (t1 - t0) or 1.0
    vmax = _nice_max(max((v for v in values if v is not None), default=0))
    iw, ih = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(t: datetime) -> float:
        return PAD_L + (t.timestamp() - t0) / span * iw

    def y(v: float) -> float:
        return PAD_T + ih - v / vmax * ih

    out = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for a, b in gaps:
        out.append(
            f'<rect class="gap" x="{x(a):.1f}" y="{PAD_T}" width="{max(1.0, x(b) - x(a)):.1f}" height="{ih}">'
            f"<title>no data collected {a:%Y-%m-%d %H:%M} – {b:%Y-%m-%d %H:%M} UTC</title></rect>"
        )
    for a, b, label in spans:
        out.append(
            f'<rect class="span" x="{x(a):.1f}" y="{PAD_T}" width="{max(1.0, x(b) - x(a)):.1f}" height="{ih}">'
            f"<title>{escape(label)}</title></rect>"
        )
    for i in range(5):
        v = vmax * i / 4
        out.append(f'<line class="grid" x1="{PAD_L}" x2="{W - PAD_R}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>')
        out.append(f'<text class="tick" x="{PAD_L - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{_fmt(v)}</text>')
    n_ticks = 6
    for i in range(n_ticks + 1):
        t = datetime.fromtimestamp(t0 + span * i / n_ticks, tz=times[0].tzinfo)
        label = f"{t:%d %b %H:%M}" if span < 3 * 86400 else f"{t:%d %b}"
        out.append(f'<text class="tick" x="{x(t):.1f}" y="{H - 12}" text-anchor="middle">{label}</text>')
    path: list[str] = []
    pen_up = True
    for t, v in zip(times, values, strict=True):
        if v is None:
            pen_up = True
            continue
        path.append(f"{'M' if pen_up else 'L'}{x(t):.1f},{y(v):.1f}")
        pen_up = False
    out.append(f'<path class="line" d="{" ".join(path)}"/>')
    out.append(
        f'<text class="axis" x="12" y="{PAD_T + ih / 2:.0f}" transform="rotate(-90 12 {PAD_T + ih / 2:.0f})" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    out.append("</svg>")
    return "".join(out)


def bars(labels: Sequence[str], values: Sequence[float | None], *, title: str) -> str:
    """Horizontal bars; a ``None`` value is drawn as 'suppressed' (fewer than k people)."""
    if not labels:
        return f'<p class="empty">{escape(title)}: no data</p>'
    row = 22
    h = PAD_T + row * len(labels) + 8
    label_w = 170
    vmax = max((v for v in values if v is not None), default=0) or 1
    iw = W - label_w - 90
    out = [
        f'<svg class="chart bars" viewBox="0 0 {W} {h}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        yy = PAD_T + i * row
        out.append(f'<text class="label" x="{label_w - 8}" y="{yy + 15}" text-anchor="end">{escape(str(lab))}</text>')
        if v is None:
            out.append(f'<text class="suppressed" x="{label_w}" y="{yy + 15}">suppressed (fewer than k people)</text>')
            continue
        wv = v / vmax * iw
        out.append(f'<rect class="bar" x="{label_w}" y="{yy + 3}" width="{wv:.1f}" height="{row - 6}"/>')
        out.append(f'<text class="value" x="{label_w + wv + 6:.1f}" y="{yy + 15}">{v:,.0f}</text>')
    out.append("</svg>")
    return "".join(out)
