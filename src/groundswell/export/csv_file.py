"""CSV that survives a spreadsheet: exact ids, named time zone, no formula injection.

Excel and LibreOffice turn a bare ``919659438700670976`` into ``9.19659E+17`` and lose the last digits for
good, and run any cell that starts with ``=`` as a formula (CSV injection: a post text such as
``=HYPERLINK("http://evil", "click")`` becomes a live link in a researcher's sheet). So:

* every text cell is quoted and every number is bare (``csv.QUOTE_NONNUMERIC``): a reader that types
  cells by their quoting (a spreadsheet import with "quoted field as text", Python's ``csv`` with
  ``QUOTE_NONNUMERIC``) keeps ids as text. Ids are text in the store, so they are always quoted;
* a null is an empty quoted cell ``""`` (empty in every spreadsheet, NaN in pandas);
* a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
  (OWASP's advice): spreadsheets show it as text, and a reader can strip one leading ``'`` to get the
  original back;
* timestamps are ISO-8601 in UTC ending in ``Z`` (``2017-10-15T20:21:00Z``): the zone is in every cell,
  and a column has one precision throughout (microseconds only where some value has a fraction);
* lists (hashtags, mentions, urls) are joined with a space, as twarc-csv does;
* booleans are the quoted words ``true`` / ``false``;
* ``bom=True`` starts the file with a UTF-8 byte order mark, which Excel on Windows needs to read UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc

#: a text cell starting with one of these is prefixed with a quote mark
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(text: str) -> str:
    """``text`` made inert for spreadsheets: a leading ``=``, ``+``, ``-``, ``@``, tab or CR gets a ``'``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def utc_iso(v: datetime, timespec: str = "auto") -> str:
    """``2017-10-15T20:21:00Z``: ISO-8601 in UTC, the zone written as ``Z``."""
    if v.tzinfo is not None:
        v = v.astimezone(UTC)
    return v.replace(tzinfo=None).isoformat(timespec=timespec) + "Z"


def timespecs(tbl: pa.Table) -> list[str]:
    """Per column, the ISO precision that keeps every value: one format per column, so readers that infer
    the format from the first cell (pandas) parse them all."""
    out = []
    for col in tbl.columns:
        spec = "auto"
        if pa.types.is_timestamp(col.type):
            frac = (
                pc.any(pc.not_equal(pc.microsecond(col), 0)).as_py()
                or pc.any(pc.not_equal(pc.millisecond(col), 0)).as_py()
            )
            spec = "microseconds" if frac else "seconds"
        out.append(spec)
    return out


def cell(v: Any, timespec: str = "auto") -> Any:
    """One value as a CSV cell: numbers stay numbers (bare), everything else becomes safe text (quoted)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return v
    if isinstance(v, datetime):
        return utc_iso(v, timespec)
    if isinstance(v, list | tuple):
        return neutralize(" ".join("" if x is None else str(x) for x in v))
    return neutralize(str(v))


def rows(tbl: pa.Table) -> Iterable[list[Any]]:
    specs = timespecs(tbl)
    for batch in tbl.to_batches(max_chunksize=10_000):
        cols = [c.to_pylist() for c in batch.columns]
        for r in zip(*cols, strict=True):
            yield [cell(v, t) for v, t in zip(r, specs, strict=True)]


def write_csv(tbl: pa.Table, out: IO[bytes], *, bom: bool = False) -> None:
    """Write ``tbl`` to a binary stream as spreadsheet-safe UTF-8 CSV (see the module docstring)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True)
    try:
        w = csv.writer(text, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        w.writerow(tbl.column_names)
        w.writerows(rows(tbl))
        text.flush()
    finally:
        text.detach()
