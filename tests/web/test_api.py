"""``/api/v1`` against independent oracles: the simulator's truth.json and plain SQL over the store."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections import Counter
from datetime import datetime, timedelta

from groundswell.web.analyses import ANALYSES
from tests.web.conftest import XSS_TEXTS, K, Site

XSS_DAY = "2017-10-16"


def _counts(site: Site) -> dict:
    return site.truth["counts"]


def test_overview_matches_the_simulations_truth(site: Site) -> None:
    counts = _counts(site)["platform"]
    authors = site.truth["authors"]
    data = site.api("/api/v1/overview")
    assert data["ready"] and data["k"] == K
    head = data["tables"]["headline"][0]
    assert head["posts"] == sum(counts.values()) + len(XSS_TEXTS)
    assert head["authors"] == sum(a["distinct"] for a in authors.values()) + len(XSS_TEXTS)
    platforms = {r["platform"]: r for r in data["tables"]["platforms"]}
    assert set(platforms) == set(counts)
    for p, n in counts.items():
        extra = len(XSS_TEXTS) if p == "twitter" else 0
        assert platforms[p]["posts"] == n + extra
        assert platforms[p]["authors"] == authors[p]["distinct"] + extra
        assert platforms[p]["suppressed"] is False


def test_platform_filter_in_the_url(site: Site) -> None:
    counts = _counts(site)["platform"]
    head = site.api("/api/v1/overview", platform="facebook")["tables"]["headline"][0]
    assert head["posts"] == counts["facebook"]
    assert site.api("/api/v1/overview", platform="reddit")["tables"]["headline"][0]["posts"] == 0


def test_time_range_filter_counts_whole_utc_days(site: Site) -> None:
    hourly = site.truth["hourly"]
    start = datetime.fromisoformat(site.truth["start"])
    day = datetime.fromisoformat(XSS_DAY + "T00:00:00+00:00")
    first = int((day - start) / timedelta(hours=1))
    expected = sum(sum(h[first : first + 24]) for h in hourly.values()) + len(XSS_TEXTS)
    head = site.api("/api/v1/overview", since=XSS_DAY, until=XSS_DAY)["tables"]["headline"][0]
    assert head["posts"] == expected
    assert head["first"].startswith(XSS_DAY) and head["last"].startswith(XSS_DAY)


def test_small_cells_are_suppressed(site: Site) -> None:
    """On the first day only a few people posted in most languages: those rows must read null."""
    with site.app.state.backend.reader() as s:
        oracle = {
            r["lang"]: r["authors"]
            for r in s.sql(
                "SELECT coalesce(lang, 'unknown') AS lang, count(DISTINCT author_id) AS authors FROM posts "
                "WHERE NOT is_reference AND created_at < TIMESTAMPTZ '2017-10-16 00:00:00+00' GROUP BY 1"
            ).to_pylist()
        }
    assert any(a < K for a in oracle.values()) and any(a >= K for a in oracle.values()), oracle
    rows = site.api("/api/v1/overview", until="2017-10-15")["tables"]["languages"]
    assert {r["lang"] for r in rows} == set(oracle)
    for r in rows:
        small = oracle[r["lang"]] < K
        assert r["suppressed"] is small
        assert (r["posts"] is None and r["authors"] is None) if small else r["authors"] == oracle[r["lang"]]


def test_csv_is_the_same_table_as_json(site: Site) -> None:
    data = site.api("/api/v1/overview")["tables"]["platforms"]
    with site.client("viewer") as c:
        r = c.get("/api/v1/overview", params={"format": "csv", "table": "platforms"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["platform"], int(x["posts"]), int(x["authors"])) for x in rows] == [
        (x["platform"], x["posts"], x["authors"]) for x in data
    ]
    with site.client("viewer") as c:
        assert c.get("/api/v1/overview", params={"format": "csv", "table": "nope"}).status_code == 404


def test_timeline_series_and_bursts(site: Site) -> None:
    hourly = site.truth["hourly"]
    start = datetime.fromisoformat(site.truth["start"]).replace(tzinfo=None)
    data = site.api("/api/v1/timeline")
    assert data["ready"]
    series = data["tables"]["series"]
    xss_hour = datetime.fromisoformat(XSS_DAY + "T10:00:00")
    for row in series:
        t = datetime.fromisoformat(row["bin"])
        h = int((t - start) / timedelta(hours=1))
        expected = sum(v[h] for v in hourly.values()) + (len(XSS_TEXTS) if t == xss_hour else 0)
        if row["suppressed"]:
            assert row["posts"] is None and row["authors"] is None
        else:
            assert row["posts"] == expected, row
    onset = datetime.fromisoformat(site.truth["onsets"]["twitter"]["bin_start"]).replace(tzinfo=None)
    starts = [datetime.fromisoformat(b["start"]) for b in data["tables"]["bursts"]]
    assert any(abs(s - onset) <= timedelta(hours=2) for s in starts), (onset, starts)


def test_analyses_not_yet_computed_say_so(site: Site) -> None:
    with site.app.state.backend.reader() as s:
        classified = s.sql("SELECT count(*) AS n FROM posts WHERE participation IS NOT NULL")[0][0].as_py()
    for slug in ("participation", "disclosures"):
        data = site.api(f"/api/v1/{slug}")
        assert data["ready"] is bool(classified)
        if not classified:
            assert "not computed" in data["reason"].lower()
    has_cascades = importlib.util.find_spec("groundswell.analytics.cascades") is not None
    assert site.api("/api/v1/cascades")["ready"] is has_cascades
    with site.client("viewer") as c:
        if not classified:
            assert c.get("/api/v1/participation", params={"format": "csv"}).status_code == 409
    assert {a.slug for a in ANALYSES} >= {"overview", "timeline", "participation", "disclosures", "spread", "cascades"}


def test_spread_per_platform_days_add_up(site: Site) -> None:
    data = site.api("/api/v1/spread")
    assert data["ready"]
    per = Counter()
    for r in data["tables"]["daily"]:
        if not r["suppressed"]:
            per[r["platform"]] += r["posts"]
    platforms = {r["platform"]: r["posts"] for r in data["tables"]["platforms"]}
    for p, total in per.items():
        assert total <= platforms[p]
    assert per["twitter"] > 0 and per["facebook"] > 0


def test_posts_are_redacted_and_carry_no_author(site: Site) -> None:
    data = site.api("/api/v1/posts", role="analyst", q="alert(1)")
    texts = sorted(p["text"] for p in data["posts"])
    assert texts == sorted(XSS_TEXTS)  # delivered as data, escaped only where HTML is made
    page = site.api("/api/v1/posts", role="analyst", limit=200)["posts"]
    assert len(page) == 200
    assert all(set(p) == {"platform", "kind", "lang", "hour", "text"} for p in page)
    with site.client("analyst") as c:
        r = c.get("/api/v1/posts", params={"q": "alert(1)", "format": "csv"})
    assert r.status_code == 200 and "<script>alert(1)</script>" in r.text
