"""HTML pieces shared by sections: tables that show suppressed cells as such, headline figures."""

from __future__ import annotations

from html import escape

import pyarrow as pa


def table(tbl: pa.Table, columns: list[tuple[str, str]], numeric: set[str]) -> str:
    """An HTML table; numeric cells of suppressed rows (fewer than k people) read '<k', never a number."""
    head = "".join(f'<th class="{"n" if c in numeric else ""}">{escape(label)}</th>' for c, label in columns)
    rows = []
    supp = tbl.column("suppressed").to_pylist() if "suppressed" in tbl.column_names else [False] * tbl.num_rows
    for r, s in zip(tbl.to_pylist(), supp, strict=True):
        cells = []
        for c, _ in columns:
            v = r.get(c)
            if c in numeric:
                if s:
                    txt = '<span class="suppressed">&lt;k</span>'
                elif v is None:
                    txt = ""
                elif isinstance(v, float):
                    txt = f"{v:,.3g}"
                else:
                    txt = f"{v:,}"
                cells.append(f'<td class="n">{txt}</td>')
            else:
                cells.append(f"<td>{escape('' if v is None else str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figure(value: str, label: str) -> str:
    return f'<div class="figure"><div class="v">{value}</div><div class="k">{escape(label)}</div></div>'
