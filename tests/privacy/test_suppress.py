"""suppress: hand-written tables with a group of 3 authors, properties, and the real first day of #MeToo."""

from __future__ import annotations

import gzip
from collections import defaultdict
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundswell.privacy.suppress import OTHER, Suppression, suppress
from groundswell.sources.snowflake import snowflake_time

from .conftest import FIXTURES

CASES = FIXTURES / "suppress"


def _read(path: Path) -> pa.Table:
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("daily_group_of_3", {}),
        ("daily_group_of_3_no_total", {}),
        ("country_lang_rollup_group_of_3", {}),
        ("country_lang_coarsen_group_of_3", {"coarsen": ["country", "lang"]}),
        ("coarsen_into_existing_other", {"coarsen": ["country", "lang"]}),
        ("hour_numeric_dimension_group_of_3", {"count_columns": ["posts", "share"]}),
    ],
)
def test_fixture_tables(case: str, kwargs: dict) -> None:
    got = suppress(_read(CASES / f"{case}.csv"), **kwargs)
    expected = _read(CASES / f"{case}.expected.csv")
    assert got.column_names == expected.column_names
    assert got.to_pylist() == expected.cast(got.schema).to_pylist()


def test_schema_and_types_are_kept() -> None:
    table = _read(CASES / "country_lang_rollup_group_of_3.csv")
    got = suppress(table)
    assert got.schema.remove(got.schema.get_field_index("suppressed")) == table.schema
    assert got.schema.field("suppressed").type == pa.bool_()
    assert got.column("suppressed").null_count == 0


def test_lone_suppressed_row_cannot_be_recovered_from_the_total() -> None:
    table = _read(CASES / "daily_group_of_3.csv")
    got = suppress(table).to_pylist()
    total = next(r for r in got if r["day"] is None)
    visible = [r for r in got if r["day"] is not None and not r["suppressed"]]
    hidden = [r for r in got if r["suppressed"]]
    assert len(hidden) == 2
    # What subtraction gives is the sum of two rows, never the 3-author row itself.
    assert total["posts"] - sum(r["posts"] for r in visible) == 4 + 41


def test_suppression_policy_object_applies_the_same_rule() -> None:
    table = _read(CASES / "daily_group_of_3_no_total.csv")
    assert Suppression(k=10)(table) == suppress(table, k=10)
    # k=50 hides every day below 50 authors: 45, 3, 30.
    strict = Suppression(k=50)(table).column("suppressed").to_pylist()
    assert strict == [False, True, True, False, True]


def test_null_authors_count_is_treated_as_small() -> None:
    table = pa.table({"lang": ["en", "fr"], "authors": pa.array([50, None], pa.int64()), "posts": [80, 7]})
    got = suppress(table).to_pylist()
    assert got[1] == {"lang": "fr", "authors": None, "posts": None, "suppressed": True}


def test_bad_arguments_are_refused() -> None:
    table = _read(CASES / "country_lang_coarsen_group_of_3.csv")
    with pytest.raises(ValueError):
        suppress(table, k=0)
    with pytest.raises(KeyError):
        suppress(table, authors_column="people")
    with pytest.raises(KeyError):
        suppress(table, coarsen=["region"])
    with pytest.raises(TypeError):
        suppress(table, coarsen=["day"])  # a date cannot become "other"
    with pytest.raises(TypeError):
        suppress(table, count_columns=["country"])


# --- properties on random ROLLUP tables ---------------------------------------------------------------


@st.composite
def _rollup_tables(draw: st.DrawFn) -> pa.Table:
    """country x lang detail rows plus per-country totals and a grand total (authors assumed disjoint)."""
    rows = []
    for country in draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=5, unique=True)):
        langs = draw(st.lists(st.sampled_from(["en", "fr", "es", "hi"]), min_size=1, max_size=4, unique=True))
        detail = [(country, lang, draw(st.integers(0, 40))) for lang in langs]
        rows += detail
        if draw(st.booleans()):
            rows.append((country, None, sum(a for *_, a in detail)))
    if draw(st.booleans()):
        rows.append((None, None, sum(a for c, lang, a in rows if lang is not None)))
    return pa.table(
        {
            "country": [c for c, _, _ in rows],
            "lang": [lang for _, lang, _ in rows],
            "authors": pa.array([a for *_, a in rows], pa.int64()),
            "posts": pa.array([a * 2 + 1 for *_, a in rows], pa.int64()),
        }
    )


@settings(max_examples=150, deadline=None)
@given(_rollup_tables(), st.sampled_from([3, 10, 25]))
def test_no_small_cell_is_visible_and_no_lone_cell_is_recoverable(table: pa.Table, k: int) -> None:
    got = suppress(table, k=k).to_pylist()
    src = table.to_pylist()
    for before, after in zip(src, got, strict=True):
        if after["suppressed"]:
            assert after["authors"] is None and after["posts"] is None
        else:
            assert after["authors"] >= k
            assert (after["authors"], after["posts"]) == (before["authors"], before["posts"])
        if before["authors"] < k:
            assert after["suppressed"]
    # Every group whose total is in the table has 0 or >= 2 suppressed detail rows (or only one row).
    for dim, other in (("lang", "country"), ("country", "lang")):
        totals = {r[other] for r in got if r[dim] is None}
        groups = defaultdict(list)
        for r in got:
            if r[dim] is not None:
                groups[r[other]].append(r)
        for key, detail in groups.items():
            if key in totals and len(detail) > 1:
                assert sum(r["suppressed"] for r in detail) != 1, (dim, key, detail)


@settings(max_examples=150, deadline=None)
@given(_rollup_tables(), st.sampled_from([3, 10]), st.booleans())
def test_suppress_is_idempotent(table: pa.Table, k: int, coarsen: bool) -> None:
    kw = {"coarsen": ["lang"]} if coarsen else {}
    once = suppress(table, k=k, **kw)
    assert suppress(once, k=k, **kw).to_pylist() == once.to_pylist()


@settings(max_examples=150, deadline=None)
@given(_rollup_tables())
def test_coarsening_never_shows_a_small_merged_cell(table: pa.Table) -> None:
    detail = table.filter(pa.compute.is_valid(table.column("lang")))
    got = suppress(detail, k=10, coarsen=["lang"]).to_pylist()
    for r in got:
        if not r["suppressed"]:
            assert r["authors"] >= 10
        if r["lang"] == OTHER:
            assert r["suppressed"]  # every part was small: the lower bound (largest part) is < k


# --- real data ----------------------------------------------------------------------------------------


def _hourly_authors_15_oct(shared_data: Path) -> pa.Table:
    """Distinct authors and posts per UTC hour on 15 Oct 2017, the day #MeToo took off, plus the day total."""
    authors: dict[int, set[str]] = defaultdict(set)
    posts: dict[int, int] = defaultdict(int)
    path = shared_data / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
    with gzip.open(path) as f:
        for line in f:
            rec = orjson.loads(line)
            t = snowflake_time(rec["tweet_id"])
            if t.day == 14:
                continue
            if t.day != 15:
                break  # the file is sorted by id, hence by time
            author = rec["permalink"].split("/")[3].lower()
            authors[t.hour].add(author)
            posts[t.hour] += 1
    hours = sorted(authors)
    everyone = set().union(*authors.values())
    return pa.table(
        {
            "hour": pa.array([str(h) for h in hours] + [None], pa.string()),
            "authors": pa.array([len(authors[h]) for h in hours] + [len(everyone)], pa.int64()),
            "posts": pa.array([posts[h] for h in hours] + [sum(posts.values())], pa.int64()),
        }
    )


@pytest.mark.slow
def test_first_day_of_metoo_hides_the_quiet_hours(shared_data: Path) -> None:
    table = _hourly_authors_15_oct(shared_data)
    src = table.to_pylist()
    got = suppress(table, k=10).to_pylist()
    small = [r["hour"] for r in src if r["authors"] < 10]
    # The README: "posts per hour rise from about 5 to about 300 between 12:00 and 19:00 UTC", 6,711 at 23:00.
    assert small, "expected quiet early hours with fewer than 10 authors"
    assert by_hour(src)["23"]["posts"] > 6000
    for before, after in zip(src, got, strict=True):
        if before["authors"] < 10:
            assert after["suppressed"] and after["posts"] is None
        if not after["suppressed"]:
            assert after["authors"] >= 10 and after["posts"] == before["posts"]
    hidden_hours = [r for r in got if r["suppressed"]]
    assert len(hidden_hours) != 1  # the day total is in the table, so one hidden hour is never alone
    assert not by_hour(got)[None]["suppressed"]  # the total itself is large and stays visible


def by_hour(rows: list[dict]) -> dict:
    return {r["hour"]: r for r in rows}
