"""The report's Magnitude, Timeline and Origin sections on a simulated movement's store."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from groundswell.analytics import collection
from groundswell.report.html import render
from groundswell.report.sections.origin import origin_section
from groundswell.report.sections.timeline import timeline_section
from groundswell.store.duckdb_store import Store
from tests.analytics import stores


@pytest.fixture(scope="module")
def declared():
    """A copy of the simulated store declared a 1% sample with a three-hour outage."""
    db, truth = stores.multi_platform()
    copy = stores.copy(db, "report-declared")
    start = datetime.fromisoformat(truth.start)
    span = (start + timedelta(hours=40), start + timedelta(hours=43))
    with Store(copy) as st:
        collection.declare(st, sample_rate=0.01, gaps=[span])
    return copy, truth, span


def _section(html: str, sid: str) -> str:
    m = re.search(rf'<section[^>]*id="{sid}".*?</section>', html, re.S)
    assert m, f"no section {sid}"
    return m.group(0)


def test_report_has_the_three_sections_in_order(multi):
    st, _ = multi
    html = render(st, k=5)
    ids = re.findall(r'<section[^>]*id="([a-z]+)"', html)
    assert ids.index("magnitude") < ids.index("timeline") < ids.index("origin")
    mag = _section(html, "magnitude")
    assert "First 24 hours" in mag and "Growth" in mag and "Per country" in mag
    assert "counts are of the posts in this data set" in mag.lower()


def test_timeline_draws_bursts_and_shades_gaps(declared):
    db, _, span = declared
    with Store(db, read_only=True) as st:
        sec = timeline_section(st, None, 5)
    assert sec is not None
    assert len(re.findall(r'<rect class="span"', sec.html)) >= 1
    gaps = re.findall(r'<rect class="gap"[^>]*><title>no data collected ([^<]*)</title>', sec.html)
    assert gaps == [f"{span[0]:%Y-%m-%d %H:%M} – {span[1]:%Y-%m-%d %H:%M} UTC"]
    assert "3 hours with no data collected" in sec.html


def test_declared_sample_rate_gives_estimates_with_intervals(declared):
    db, truth, _ = declared
    with Store(db, read_only=True) as st:
        mag = _section(render(st, k=5), "magnitude")
    assert "1% sample" in mag and "95% interval" in mag
    assert f"{truth.posts * 100:,}" in mag  # 4,000 posts drawn at 1%: 400,000 estimated


def test_origin_lists_first_appearances_and_hides_small_seeds(multi):
    st, _ = multi
    sec = origin_section(st, None, 2)
    assert sec is not None and "first appearances" in sec.html and "MeToo" in sec.html
    assert "Seeds of the strongest burst" in sec.html
    # at a k no seed reaches, no seed post id is printed at all
    strict = origin_section(st, None, 10_000)
    assert strict is not None and "Seeds of the strongest burst" not in strict.html
