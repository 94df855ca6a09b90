"""Small-cell suppression: the one gate every aggregate passes through before anyone sees it.

A count of posts "by 3 people in Iceland writing Icelandic on 15 October" can point at a person who
disclosed an assault. So every table that leaves ``analytics/`` goes through ``suppress``: a row whose
number of distinct authors is below ``k`` has its counts (and its authors count) blanked to null and is
flagged ``suppressed = true``. The flag is a column, not a silent drop, so readers and charts can say
"fewer than k" instead of pretending the row is zero.

Three refinements, each with its reason:

**Which columns are counts.** By default every numeric column except the authors column (shares and
averages are computed from the same few people, so they go too). A numeric *dimension* such as an hour or
a year must be kept out by passing ``count_columns`` explicitly. Every non-count column is a dimension.

**Coarsening** (``coarsen=["country", "lang"]``). Before suppressing, small rows have the named
dimensions replaced by ``"other"`` and are merged per remaining dimensions (one "other" row per day,
say), counts summed. Even when the merged row is still suppressed, the reader learns "some small
countries", not "Iceland": the *presence* of a small cell is hidden too. Distinct authors cannot be summed:
the same person may post in two languages. The merged row therefore carries two bounds: the sum of the
parts is an upper bound (shown in the authors column when the row is published) and the largest part is
a lower bound, and the suppression decision uses the lower bound, so it errs towards suppressing. A
merged row is published only when it absorbs a part that was large on its own, e.g. an existing
"other" row.

**Complementary suppression.** If a group's total is published, one suppressed row in that group could
be recovered by subtraction: total minus the visible rows. Totals are recognised the way DuckDB's
``GROUP BY ROLLUP`` / ``CUBE`` writes them: a row whose dimension is null is the total over that
dimension for the values of the other dimensions. (Aggregates should therefore label an unknown country
"und" or "unknown", never null.) For every such group that has exactly one suppressed detail row and at
least one visible one, the visible detail row with the fewest authors is suppressed too, and this is
repeated until no group is left with a lone suppressed row, since one secondary suppression can create a
lone one in a crossing group. Two suppressed rows only reveal their sum. ``suppress`` can only protect
against totals it can see: when a total is published elsewhere (a headline number), pass it in the
table as its ROLLUP row.

Running ``suppress`` twice gives the same table as running it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

OTHER = "other"
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class Suppression:
    """The suppression policy of a report, so every section applies the same k."""

    k: int = 10
    authors_column: str = "authors"

    def __call__(
        self, table: pa.Table, *, count_columns: Sequence[str] | None = None, coarsen: Sequence[str] = ()
    ) -> pa.Table:
        return suppress(
            table, k=self.k, authors_column=self.authors_column, count_columns=count_columns, coarsen=coarsen
        )


@dataclass
class _Row:
    values: dict[str, Any]
    lower: int | None  # lower bound on distinct authors (None: unknown, treated as small)
    suppressed: bool


def _is_numeric(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)


def _columns(
    table: pa.Table, authors_column: str, count_columns: Sequence[str] | None, coarsen: Sequence[str]
) -> tuple[list[str], list[str]]:
    """(count columns, dimension columns), validated."""
    schema = table.schema
    if authors_column not in schema.names:
        raise KeyError(f"no authors column {authors_column!r} in {schema.names}")
    if not pa.types.is_integer(schema.field(authors_column).type):
        raise TypeError(
            f"authors column {authors_column!r} must hold integers, not {schema.field(authors_column).type}"
        )
    if count_columns is None:
        counts = [f.name for f in schema if f.name not in (authors_column, SUPPRESSED) and _is_numeric(f.type)]
    else:
        counts = list(count_columns)
        for c in counts:
            if c not in schema.names or not _is_numeric(schema.field(c).type):
                raise TypeError(f"count column {c!r} is missing or not numeric")
    dims = [n for n in schema.names if n not in counts and n not in (authors_column, SUPPRESSED)]
    for c in coarsen:
        if c not in dims:
            raise KeyError(f"coarsen column {c!r} is not a dimension of the table (dimensions: {dims})")
        t = schema.field(c).type
        if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
            raise TypeError(f"coarsen column {c!r} must hold text to take the value {OTHER!r}, not {t}")
    return counts, dims


def _sum(values: list[Any]) -> Any:
    return None if any(v is None for v in values) else sum(values)


def _coarsen(
    rows: list[_Row],
    prior: list[bool],
    k: int,
    dims: list[str],
    counts: list[str],
    authors: str,
    coarsen: Sequence[str],
) -> list[_Row]:
    """Relabel small rows' ``coarsen`` dimensions "other" and merge rows that then share every dimension.

    Total rows (null in a coarsened dimension) are never relabelled, nor are rows suppressed upstream
    (a previous pass already placed them), which keeps ``suppress`` idempotent.
    """
    for r, was in zip(rows, prior, strict=True):
        small = r.lower is None or r.lower < k
        if small and not was and all(r.values[c] is not None for c in coarsen):
            r.values.update({c: OTHER for c in coarsen})
    merged: dict[tuple, list[_Row]] = {}
    for r in rows:
        merged.setdefault(tuple(r.values[d] for d in dims), []).append(r)
    out = []
    for parts in merged.values():
        if len(parts) == 1:
            out.append(parts[0])
            continue
        values = dict(parts[0].values)
        for c in counts:
            values[c] = _sum([p.values[c] for p in parts])
        values[authors] = _sum([p.values[authors] for p in parts])  # upper bound
        lows = [p.lower for p in parts if p.lower is not None]
        lower = max(lows) if lows else None
        out.append(_Row(values, lower, lower is None or lower < k or values[authors] is None))
    return out


def _complementary(rows: list[_Row], dims: list[str]) -> None:
    """Suppress more rows until no group with a visible total has exactly one suppressed detail row."""
    changed = True
    while changed:
        changed = False
        for d in dims:
            others = [x for x in dims if x != d]
            groups: dict[tuple, list[_Row]] = defaultdict(list)
            has_total: set[tuple] = set()
            for r in rows:
                key = tuple(r.values[x] for x in others)
                if r.values[d] is None:
                    has_total.add(key)
                else:
                    groups[key].append(r)
            for key, detail in groups.items():
                if key not in has_total:
                    continue
                hidden = [r for r in detail if r.suppressed]
                visible = [r for r in detail if not r.suppressed]
                if len(hidden) == 1 and visible:
                    min(visible, key=lambda r: r.lower if r.lower is not None else -1).suppressed = True
                    changed = True


def suppress(
    table: pa.Table,
    *,
    k: int = 10,
    authors_column: str = "authors",
    count_columns: Sequence[str] | None = None,
    coarsen: Sequence[str] = (),
) -> pa.Table:
    """``table`` with every row of fewer than ``k`` distinct authors blanked and flagged (see module doc).

    The result has the input's columns and types, in the same row order (a merged "other" row takes the
    place of its first part), plus a boolean ``suppressed`` column. A ``suppressed`` column already in the
    input is honoured, so rows suppressed upstream stay suppressed.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    counts, dims = _columns(table, authors_column, count_columns, coarsen)
    prior = table.column(SUPPRESSED).to_pylist() if SUPPRESSED in table.schema.names else [False] * table.num_rows
    rows = []
    for values, was in zip(table.to_pylist(), prior, strict=True):
        n = values[authors_column]
        rows.append(_Row(values, n, bool(was) or n is None or n < k))
    if coarsen:
        rows = _coarsen(rows, [bool(p) for p in prior], k, dims, counts, authors_column, coarsen)
    _complementary(rows, dims)
    for r in rows:
        if r.suppressed:
            r.values.update({c: None for c in [*counts, authors_column]})
        r.values[SUPPRESSED] = r.suppressed
    schema = table.schema
    if SUPPRESSED in schema.names:
        schema = schema.remove(schema.get_field_index(SUPPRESSED))
    schema = schema.append(pa.field(SUPPRESSED, pa.bool_(), nullable=False))
    return pa.Table.from_pylist([r.values for r in rows], schema=schema)
