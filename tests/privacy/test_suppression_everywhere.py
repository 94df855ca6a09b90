"""Every aggregate output passes through suppression: a group of 3 authors never shows as a number.

The data set is a simulated movement plus one small group: 3 authors who wrote 4,321 posts, alone in their
language ("fy"), their hashtag (#fryskerare) and their hour. No output may show that count.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from groundswell.export import WHAT, ExportError, export
from groundswell.ingest import ingest
from groundswell.report.html import render
from groundswell.report.sections import SECTIONS
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import Store

SMALL = 4321
# the count as a number, not four hex digits inside a random pseudonym (u_…4321…) or a longer number
COUNT = re.compile(r"(?<![0-9A-Za-z_,.])4,?321(?![0-9A-Za-z_])")


def shows_count(text: str) -> bool:
    return bool(COUNT.search(text))


def _small_group_pages() -> str:
    start = datetime(2017, 10, 20, 3, 0, tzinfo=UTC)
    lines = []
    for page in range(0, SMALL, 100):
        data = []
        for i in range(page, min(page + 100, SMALL)):
            data.append(
                {
                    "id": str(990000000000000000 + i),
                    "text": f"Wy binne hjir #fryskerare #MeToo {i}",
                    "created_at": (start + timedelta(seconds=i % 3000)).isoformat().replace("+00:00", ".000Z"),
                    "author_id": str(7000 + i % 3),
                    "lang": "fy",
                    "entities": {
                        "hashtags": [
                            {"start": 15, "end": 26, "tag": "fryskerare"},
                            {"start": 27, "end": 33, "tag": "MeToo"},
                        ]
                    },
                }
            )
        users = [{"id": str(7000 + a), "username": f"frysk{a}", "name": "x"} for a in range(3)]
        lines.append(json.dumps({"data": data, "includes": {"users": users}}))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("sim")
    simulate(SimConfig(posts=3000, platforms=("twitter",), seed=3), d / "sim")
    (twarc,) = sorted((d / "sim" / "twitter").glob("*.jsonl"))
    combined = d / "all.jsonl"
    combined.write_text(twarc.read_text() + _small_group_pages())
    db = d / "s.duckdb"
    with Store(db) as store:
        ingest([combined], store, workers=1)
        assert store.scalar("SELECT count(*) FROM posts WHERE lang = 'fy'") == SMALL
    return db


@pytest.mark.parametrize("builder", SECTIONS, ids=lambda b: b.__name__)
def test_each_report_section_suppresses_the_small_group(builder, store_path: Path) -> None:
    with Store(store_path, read_only=True) as store:
        section = builder(store, None, 10)
    if section is None:
        return
    assert not shows_count(section.html), section.id


def test_whole_report(store_path: Path) -> None:
    with Store(store_path, read_only=True) as store:
        html = render(store, k=10)
    assert not shows_count(html)
    assert "fryskerare" not in html or "suppressed (fewer than k people)" in html


def test_stats_command(store_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "groundswell", "stats", "--db", str(store_path), "--json", "--lang", "fy"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert not shows_count(out)
    tables = json.loads(out)
    assert tables["per platform"][0]["suppressed"] is True


@pytest.mark.parametrize("what", sorted(set(WHAT) - {"posts"}))
def test_each_export_suppresses_the_small_group(what: str, store_path: Path, tmp_path: Path) -> None:
    """Every aggregate export (posts are rows, not aggregates: redacted and pseudonymized instead)."""
    fmt = "gexf" if WHAT[what].graph else "csv"
    out = tmp_path / f"{what}.{fmt}"
    with Store(store_path, read_only=True) as store:
        try:
            export(store, what, fmt, out, k=10)
        except ExportError as e:  # an analysis this store has no data for (participation without --classify)
            assert "participation" in what and "classif" in str(e).lower(), e
            return
    data = out.read_text(encoding="utf-8-sig")
    # as a number, not as four hex digits inside a random pseudonym (u_…4321…)
    assert not shows_count(data), what


def test_timeline_does_not_draw_the_small_groups_hour(store_path: Path) -> None:
    """Their hour holds 4,321 posts, ten times any other: drawn, it would set the axis to 5k."""
    from groundswell.report.sections.timeline import timeline_section

    with Store(store_path, read_only=True) as store:
        html = timeline_section(store, None, 10).html
        drawn = timeline_section(store, None, 1).html  # k=1 suppresses nothing: the same chart shows it
    assert ">5k<" in drawn
    assert ">5k<" not in html
