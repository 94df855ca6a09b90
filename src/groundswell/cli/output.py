"""Printing tables: Rich for people, JSON / CSV for pipes."""

from __future__ import annotations

import io
import json
import sys

import pyarrow as pa
import pyarrow.csv as pacsv
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)


def emit(tbl: pa.Table, *, title: str = "", as_json: bool = False, as_csv: bool = False) -> None:
    if as_json:
        sys.stdout.write(json.dumps(tbl.to_pylist(), default=str, ensure_ascii=False) + "\n")
        return
    if as_csv:
        buf = io.BytesIO()
        pacsv.write_csv(tbl, buf)
        sys.stdout.write(buf.getvalue().decode())
        return
    t = Table(title=title or None, title_justify="left")
    numeric = set()
    for f in tbl.schema:
        if f.name == "suppressed":
            continue
        is_num = pa.types.is_integer(f.type) or pa.types.is_floating(f.type)
        if is_num:
            numeric.add(f.name)
        t.add_column(f.name, justify="right" if is_num else "left")
    supp = tbl.column("suppressed").to_pylist() if "suppressed" in tbl.column_names else [False] * tbl.num_rows
    for row, s in zip(tbl.to_pylist(), supp, strict=True):
        cells = []
        for name in t.columns:
            key = str(name.header)
            v = row.get(key)
            if key in numeric:
                cells.append("<k" if s else "" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:,.3g}")
            else:
                cells.append("" if v is None else str(v))
        t.add_row(*cells)
    console.print(t)
