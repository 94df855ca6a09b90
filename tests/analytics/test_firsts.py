"""The two ways of the participants pass (bins as bits, (author, bin) groups) give the same tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from groundswell.analytics import firsts, magnitude

CASES = [
    ("day", None),
    ("hour", {"platform": "reddit"}),
    ("week", None),
    ("day", {"lang": "en", "since": datetime(2017, 10, 16, 6, tzinfo=UTC)}),
]


def _both(st, monkeypatch, bin, f, thresholds=(10, 100, 1000, 10**6)):
    got = {}
    for way, most in (("bits", firsts.MAX_BINS), ("groups", 0)):
        monkeypatch.setattr(firsts, "MAX_BINS", most)
        got[way] = (
            magnitude.participants(st, bin, f),
            magnitude.time_to_participants(st, thresholds, f),
        )
    return got["bits"], got["groups"]


@pytest.mark.parametrize(("bin", "f"), CASES, ids=["day", "hour-reddit", "week", "day-en-since"])
def test_bits_and_groups_agree_on_the_simulated_movement(multi, monkeypatch, bin, f):
    st, _ = multi
    (p_bits, t_bits), (p_groups, t_groups) = _both(st, monkeypatch, bin, f)
    assert p_bits.num_rows > 1
    assert p_bits.equals(p_groups)
    assert t_bits.equals(t_groups)
    assert sum(p_bits.column("new_authors").to_pylist()) == magnitude.headline(st, f).authors


def test_bits_and_groups_agree_on_the_real_archive(metoo_store, monkeypatch):
    """Seven weeks (36 days with posts, gaps between): the masks hold them; a million people are never reached."""
    (p_bits, t_bits), (p_groups, t_groups) = _both(metoo_store, monkeypatch, "day", None)
    assert p_bits.num_rows == 36 and p_bits.equals(p_groups)
    assert t_bits.equals(t_groups)
    assert t_bits.column("reached_at").null_count == 1
    assert sum(p_bits.column("new_authors").to_pylist()) == magnitude.headline(metoo_store).authors


def test_too_many_bins_take_the_groups_way(metoo_store, monkeypatch):
    """Hourly bins over seven weeks do not fit a mask: same answer as forcing the groups way."""
    (p_auto, _), (p_groups, _) = _both(metoo_store, monkeypatch, "hour", None, (100,))
    assert p_auto.num_rows > firsts.MAX_BINS and p_auto.equals(p_groups)
