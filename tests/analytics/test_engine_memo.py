"""Memo: a report's repeated questions are asked of the store once, and the answers are the store's own."""

from __future__ import annotations

from groundswell.analytics import magnitude, timeline
from groundswell.analytics.engine import Memo


class Counting:
    """The real store, counting the queries that reach it."""

    def __init__(self, store):
        self.store, self.queries = store, []

    def sql(self, query, params=None):
        self.queries.append(query)
        return self.store.sql(query, params)


def test_the_hourly_series_is_asked_once_and_equals_the_store_answer(multi):
    st, _ = multi
    counting = Counting(st)
    memo = Memo(counting)
    ser = timeline.volume(memo, "hour")
    series = magnitude.series(memo, "hour")
    again = magnitude.series(memo, "hour")
    assert len(counting.queries) == 1  # volume's counts and magnitude.series are one query
    assert series.equals(magnitude.series(st, "hour")) and again.equals(series)
    assert sum(ser.posts) == sum(series.column("posts").to_pylist()) == magnitude.headline(st).posts


def test_different_parameters_are_different_questions(multi):
    st, _ = multi
    counting = Counting(st)
    memo = Memo(counting)
    twitter = magnitude.by(memo, "lang", {"platform": "twitter"})
    bluesky = magnitude.by(memo, "lang", {"platform": "bluesky"})
    assert len(counting.queries) == 2
    assert twitter.equals(magnitude.by(st, "lang", {"platform": "twitter"}))
    assert bluesky.equals(magnitude.by(st, "lang", {"platform": "bluesky"}))
    assert not twitter.equals(bluesky)


def test_everything_but_sql_reaches_the_store(multi):
    st, _ = multi
    assert Memo(st).scalar("SELECT count(*) FROM posts") == st.scalar("SELECT count(*) FROM posts")


def test_large_answers_are_passed_on_not_kept(multi):
    """A row-level answer (the cascades' input) is not held for the rest of a report; aggregates still are."""
    st, _ = multi
    counting = Counting(st)
    memo = Memo(counting, max_bytes=4096)
    rows = "SELECT post_id, author_id FROM posts"
    first, again = memo.sql(rows), memo.sql(rows)
    assert first.nbytes > 4096 and first.equals(again)
    assert len(counting.queries) == 2  # asked twice: not kept
    magnitude.series(memo, "hour")
    magnitude.series(memo, "hour")
    assert len(counting.queries) == 3  # the small answer is kept
