"""Time bins from epoch microseconds are exactly DuckDB's ``date_trunc(bin, created_at AT TIME ZONE 'UTC')``.

The cheaper expression must be the same value for every instant: every post of the real 2017 archive, and
the instants where an off-by-one would show (bin edges, the microsecond before them, a leap day, a Monday and
a Sunday for weeks, and instants before 1970, where integer division and a floor differ).
"""

from __future__ import annotations

import duckdb
import pytest

from groundswell.analytics.timeline import BIN_WIDTH, _bin_expr

EDGES = [
    "2017-10-15 20:21:00+00",
    "2017-10-15 23:59:59.999999+00",
    "2017-10-16 00:00:00+00",  # a Monday
    "2017-10-22 23:59:59.999999+00",  # a Sunday
    "2016-02-29 12:34:56.789+00",
    "1970-01-01 00:00:00+00",
    "1969-12-31 23:59:59.999999+00",
    "1969-12-29 00:00:00+00",  # a Monday before the epoch
    "1955-06-15 13:45:30.5+00",
    "2038-01-19 03:14:08+00",
]


@pytest.mark.parametrize("bin", list(BIN_WIDTH))
def test_bins_equal_date_trunc_on_real_posts(metoo_store, bin: str) -> None:
    differ = metoo_store.scalar(
        f"SELECT count(*) FROM posts WHERE {_bin_expr(bin)} IS DISTINCT FROM date_trunc('{bin}', created_at AT TIME ZONE 'UTC')"
    )
    assert differ == 0
    assert metoo_store.scalar(f"SELECT count(DISTINCT {_bin_expr(bin)}) FROM posts") > 1


@pytest.mark.parametrize("bin", list(BIN_WIDTH))
def test_bins_equal_date_trunc_at_the_edges(bin: str) -> None:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    values = ", ".join(f"(TIMESTAMPTZ '{t}')" for t in EDGES)
    rows = con.execute(
        f"SELECT created_at, {_bin_expr(bin)}, date_trunc('{bin}', created_at AT TIME ZONE 'UTC') "
        f"FROM (VALUES {values}) v(created_at)"
    ).fetchall()
    assert len(rows) == len(EDGES)
    for t, got, want in rows:
        assert got == want, (bin, t)
