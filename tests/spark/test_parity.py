"""Parity: the same files ingested and analyzed with DuckDB and with Spark (local[2]) give identical figures.

Both stores hold the same inputs (see ``conftest.py``): a simulated five-platform movement, two real twarc2
files and the first lines of the real metoo2017 archive. Every comparison is of whole Arrow tables (values
*and* types), computed by the analytics functions the CLI and report call, on each engine in turn.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from groundswell.analytics import cascades, firsts, magnitude, participation, timeline
from groundswell.schema import POST_SCHEMA

FILTERS = [None, {"platform": "twitter", "lang": "en", "movement": "metoo"}]


def both(pair, fn):
    return fn(pair.duck), fn(pair.spark)


def test_every_file_reconciles_with_the_same_counts(pair) -> None:
    assert [r.file for r in pair.spark_results] == [r.file for r in pair.duck_results]
    for d, s in zip(pair.duck_results, pair.spark_results, strict=True):
        assert s.error == d.error
        assert s.format == d.format
        assert s.counts == d.counts, s.file
        assert s.counts.reconciles()
    assert sum(r.counts.stored for r in pair.spark_results) > 3000
    assert any(r.counts.rejected for r in pair.spark_results)  # the stream with error lines
    assert any(r.counts.duplicates for r in pair.spark_results)  # twarc2 includes repeat posts


def test_stored_posts_are_identical_pseudonyms_included(pair) -> None:
    cols = ", ".join(POST_SCHEMA.names)
    q = f"SELECT {cols} FROM posts ORDER BY platform, post_id"
    d, s = both(pair, lambda e: e.sql(q))
    assert d.num_rows == s.num_rows > 3000
    # list order inside list_distinct-free columns is the reader's, so whole rows compare
    assert s.cast(d.schema).equals(d)
    assert pc.all(pc.starts_with(s.column("author_id"), "u_")).as_py()


@pytest.mark.parametrize("f", FILTERS, ids=str)
def test_magnitude_headline_and_breakdowns(pair, f) -> None:
    d, s = both(pair, lambda e: magnitude.headline(e, f))
    assert s == d
    assert d.posts > 0
    for dim in ("platform", "lang", "community"):
        d, s = both(pair, lambda e, dim=dim: magnitude.by(e, dim, f))
        assert s.equals(d), dim
    d, s = both(pair, lambda e: magnitude.top_hashtags(e, f, limit=15))
    assert s.equals(d)
    # the one-pass overview (bit masks per author) on both engines, and its tail path (HEAD 1) on Spark
    d, s = both(pair, lambda e: magnitude.overview(e, f, dimensions=("platform", "lang", "community")))
    assert (s.headline, s.first_hours) == (d.headline, d.first_hours)
    for dim, t in d.by.items():
        assert s.by[dim].equals(t), dim
        assert t.equals(magnitude.by(pair.duck, dim, f)), dim


@pytest.mark.parametrize("bin", ["minute", "week"])
def test_magnitude_series_and_participants(pair, bin) -> None:
    d, s = both(pair, lambda e: magnitude.series(e, bin))
    assert d.num_rows > 1
    assert s.equals(d)
    assert d.schema.field("bin").type == pa.timestamp("us")  # wall-clock UTC bins on both
    d, s = both(pair, lambda e: magnitude.participants(e, "day" if bin == "week" else "hour", {"movement": "metoo"}))
    assert d.num_rows > 1
    assert s.equals(d)


def test_participants_with_bins_as_bits(pair) -> None:
    """Bluesky posts come from the simulated days only: few enough bins for the bit-mask way (``firsts``)."""
    f = {"platform": "bluesky"}
    d, s = both(pair, lambda e: magnitude.participants(e, "hour", f))
    assert 1 < d.num_rows <= firsts.MAX_BINS
    assert s.equals(d)
    d, s = both(pair, lambda e: magnitude.time_to_participants(e, (5, 20, 10**6), f))
    assert d.column("reached_at").null_count == 1 and s.equals(d)
    # the same parts inside overview's one pass over the authors
    d, s = both(pair, lambda e: magnitude.overview(e, f, bin="hour"))
    assert d.participants.equals(magnitude.participants(pair.duck, "hour", f))
    assert s.participants.equals(d.participants) and s.time_to_participants.equals(d.time_to_participants)
    assert (s.headline, s.first_hours) == (d.headline, d.first_hours)


def test_overview_tail_path(pair, monkeypatch) -> None:
    monkeypatch.setattr(magnitude, "HEAD", 1)
    d, s = both(pair, lambda e: magnitude.overview(e))
    assert s.headline == d.headline
    for dim, t in d.by.items():
        assert t.num_rows > 1 or dim == "country"
        assert s.by[dim].equals(t), dim


def test_first_hours_and_time_to_participants(pair) -> None:
    d, s = both(pair, lambda e: magnitude.time_to_participants(e, (10, 100, 1000, 10**6)))
    assert s.equals(d)
    assert d.column("reached_at").null_count == 1  # a million people are not in this data
    d, s = both(pair, lambda e: magnitude.first_hours(e, 24))
    assert s == d


@pytest.mark.parametrize(("f", "tag"), [(None, None), ({"platform": "twitter"}, "metoo")], ids=["all", "twitter-metoo"])
def test_bursts(pair, f, tag) -> None:
    d, s = both(pair, lambda e: timeline.bursts(e, "hour", f, hashtag=tag))
    assert d.num_rows > 0
    assert s.equals(d)
    d, s = both(pair, lambda e: timeline.bursts(e, "hour", f, hashtag="howiwillchange", relative=True))
    assert s.equals(d)


def test_volume_series_with_gaps(pair) -> None:
    d, s = both(pair, lambda e: timeline.volume(e, "day", hashtag=["metoo", "timesup"]).table())
    assert d.num_rows > 10  # the 2017 slice and the simulation are years apart: the axis spans the gap
    assert s.equals(d)
    assert d.column("missing").to_pylist().count(True) > 0


@pytest.mark.parametrize("bin", [None, "day"])
def test_participation_prevalence(pair, bin) -> None:
    d, s = both(pair, lambda e: participation.prevalence(e, bin=bin, n_boot=100))
    assert d.num_rows >= 6
    assert s.equals(d)
    counts = participation.label_counts(pair.duck).to_pylist()
    assert sum(r["posts"] for r in counts) > 2500  # classified at ingest on both engines
    assert participation.label_counts(pair.spark).equals(participation.label_counts(pair.duck))


@pytest.mark.parametrize("conversations", [True, False])
def test_cascade_figures(pair, conversations) -> None:
    """Cascade ids are node row numbers, which depend on the order rows come back in; everything else matches."""
    keys = [("platform", "ascending"), ("root_id", "ascending"), ("started", "ascending"), ("nodes", "ascending")]

    def table(e):
        c = cascades.build_cascades(e, conversations=conversations).cascades
        return c.drop_columns(["cascade"]).sort_by(keys)

    d, s = both(pair, table)
    assert d.num_rows > 100
    assert s.equals(d)
    assert pc.max(d.column("depth")).as_py() >= 2
    # the largest cascades come out in the same order on both engines, not re-sorted here
    d, s = both(pair, lambda e: cascades.top_cascades(cascades.build_cascades(e, conversations=conversations), 50))
    assert s.equals(d)
    d, s = both(pair, lambda e: cascades.size_distribution(cascades.build_cascades(e)))
    assert s.equals(d)
