"""The DuckDB → Spark SQL translation, on the analytics' own query text (no Spark needed to check it)."""

from __future__ import annotations

import pytest

from groundswell.analytics.engine import where
from groundswell.spark.engine import to_spark


def test_utc_bins_become_wall_clock_truncations() -> None:
    got = to_spark("SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AS bin FROM posts GROUP BY 1 ORDER BY 1")
    assert (
        got
        == "SELECT CAST(DATE_TRUNC('HOUR', created_at) AS TIMESTAMP_NTZ) AS bin FROM posts GROUP BY 1 ORDER BY 1 NULLS LAST"
    )


def test_duckdb_list_functions_and_filters_translate() -> None:
    w, params = where({"platform": "twitter", "movement": "metoo"})
    got = to_spark(
        f"SELECT count(*) FILTER (WHERE kind = 'reply') AS r, unnest(list_distinct(hashtags_norm)) FROM posts WHERE {w}"
    )
    assert "ARRAY_CONTAINS(movements, ?)" in got
    assert "EXPLODE(ARRAY_DISTINCT(hashtags_norm))" in got
    assert "FILTER(WHERE kind = 'reply')" in got
    assert got.count("?") == len(params) == 2  # placeholders stay placeholders: values are bound by Spark


def test_other_time_zones_are_left_to_sqlglot() -> None:
    got = to_spark("SELECT created_at AT TIME ZONE 'America/New_York' FROM posts")
    assert "TIMESTAMP_NTZ" not in got
    assert "America/New_York" in got


def test_one_statement_at_a_time() -> None:
    with pytest.raises(ValueError, match="one SQL statement"):
        to_spark("SELECT 1; DROP TABLE posts")
