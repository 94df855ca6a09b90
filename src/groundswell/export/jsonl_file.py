"""JSON lines: one object per row, for pipelines (jq, pandas ``read_json(lines=True)``, DuckDB, Spark).

Ids stay JSON strings (they are text in the store), so no reader turns a 19-digit id into a float; times
are ISO-8601 strings in UTC ending in ``Z``; nulls are ``null``.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

import orjson
import pyarrow as pa

from groundswell.export.csv_file import timespecs, utc_iso


def _default(v: Any) -> Any:
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


def write_jsonl(tbl: pa.Table, out: IO[bytes]) -> None:
    """Write ``tbl`` as UTF-8 JSON lines to a binary stream."""
    specs = dict(zip(tbl.column_names, timespecs(tbl), strict=True))
    for batch in tbl.to_batches(max_chunksize=10_000):
        for row in batch.to_pylist():
            for key, v in row.items():
                if isinstance(v, datetime):
                    row[key] = utc_iso(v, specs[key])
            out.write(orjson.dumps(row, default=_default, option=orjson.OPT_APPEND_NEWLINE))
