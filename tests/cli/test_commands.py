"""The CLI end to end, as a user runs it: real processes, real files, real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import TWARC2
from tests.sources.test_twarc2 import oracle

GS = [sys.executable, "-m", "groundswell"]


def run(*args: str, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    p = subprocess.run([*GS, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)
    if ok:
        assert p.returncode == 0, p.stdout + p.stderr
    return p


def test_ingest_stats_report(tmp_path: Path) -> None:
    files = [str(TWARC2 / n) for n in ("kpop.jsonl", "brexit.jsonl", "counts.jsonl")]
    out = run("ingest", *files, "--db", "s.duckdb", cwd=tmp_path).stdout
    assert "kpop.jsonl" in out and "not posts" in out
    ids: set[str] = set()
    records = 0
    for n in ("kpop.jsonl", "brexit.jsonl"):
        _, every, r = oracle(TWARC2 / n)
        ids |= every
        records += r
    read = records + 1  # counts.jsonl: one line, rejected
    expected = f"read {read} = stored {len(ids)} + duplicates {records - len(ids)} + rejected 1"
    assert expected in out.replace(",", "")
    stats = json.loads(run("stats", "--db", "s.duckdb", "--json", "--k", "1", cwd=tmp_path).stdout)
    assert {r["platform"]: r["posts"] for r in stats["per platform"]} == {"twitter": 200}
    assert sum(r["posts"] for r in stats["per day"]) == 200
    tags = {r["hashtag"] for r in stats["top hashtags"]}
    assert "brexit" in tags
    run("report", "--db", "s.duckdb", "--out", "r.html", cwd=tmp_path)
    html = (tmp_path / "r.html").read_text()
    assert "<svg" in html and "Magnitude" in html
    # self-contained: nothing is loaded from anywhere (links for the reader to follow are fine)
    import re

    assert not re.search(r"""(src=|<link|@import|url\()""", html)
    assert "<script" not in html


def test_second_ingest_reports_duplicates(tmp_path: Path) -> None:
    f = str(TWARC2 / "kpop.jsonl")
    run("ingest", f, "--db", "s.duckdb", cwd=tmp_path)
    out = run("ingest", f, "--db", "s.duckdb", cwd=tmp_path).stdout.replace(",", "")
    assert "read 123 = stored 0 + duplicates 123 + rejected 0" in out


def test_unreadable_file_is_fatal_and_named(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello, this is not a data file\n")
    p = run("ingest", "notes.txt", "missing.jsonl", "--db", "s.duckdb", cwd=tmp_path, ok=False)
    assert p.returncode == 1
    assert "notes.txt: not a format groundswell reads" in p.stderr
    assert "missing.jsonl: cannot open" in p.stderr


def test_stdin(tmp_path: Path) -> None:
    data = (TWARC2 / "two_tweets.jsonl").read_bytes()
    p = subprocess.run(
        [*GS, "ingest", "-", "--db", "s.duckdb"], cwd=tmp_path, input=data, capture_output=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    assert b"stored 2" in p.stdout


def test_second_writer_gets_a_clear_error(tmp_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"))  # another process-like writer holding the file
    try:
        code = (
            "import duckdb,sys\n"
            "from groundswell.store.duckdb_store import Store, StoreError\n"
            f"try:\n    Store({str(tmp_path / 's.duckdb')!r})\nexcept StoreError as e:\n    print(e); sys.exit(3)\n"
        )
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert p.returncode == 3 and "open for writing by another process" in p.stdout, p.stdout + p.stderr
    finally:
        con.close()


def test_demo_writes_report(tmp_path: Path) -> None:
    run("demo", "--out", "report.html", "--posts", "3000", cwd=tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "Magnitude" in html and "Content warning" in html
    for platform in ("twitter", "facebook", "bluesky"):
        assert f"<td>{platform}</td>" in html


def test_ingest_classify_fills_participation(tmp_path: Path) -> None:
    import duckdb

    from groundswell.participation import CLASSES

    run("ingest", str(TWARC2 / "withheld.jsonl"), "--db", "s.duckdb", "--classify", cwd=tmp_path)
    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    rows = con.execute("SELECT participation, participation_p FROM posts").fetchall()
    con.close()
    assert rows and all(c in CLASSES and 0 < p <= 1 for c, p in rows)


def test_ingest_a_folder_mixing_every_format(tmp_path: Path) -> None:
    """One folder, every platform's format, no --format: each file is detected and read."""
    import shutil

    fixtures = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
    folder = tmp_path / "archive"
    expected = {}
    for f in sorted(fixtures.rglob("*")):
        if f.is_file():
            dest = folder / f.parent.name / f.name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)
            expected[f.name] = f.parent.name.replace("_", "-")
    shutil.copy(TWARC2 / "kpop.jsonl", folder / "kpop.jsonl")
    expected["kpop.jsonl"] = "twarc2"
    out = run("ingest", str(folder), "--db", "s.duckdb", cwd=tmp_path).stdout
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    formats = {Path(f).name: fmt for f, fmt in con.execute("SELECT file, format FROM ingests").fetchall()}
    platforms = {p for (p,) in con.execute("SELECT DISTINCT platform FROM posts").fetchall()}
    con.close()
    assert formats == expected, out
    assert {"twitter", "facebook", "reddit", "mastodon", "bluesky"} <= platforms


def test_ingest_the_folder_the_simulator_wrote(tmp_path: Path) -> None:
    """``simulate --out DIR`` then ``ingest DIR``: the ground truth beside the posts is left out, every post
    stored, exit 0; named on its own, truth.json is still read, and refused as holding no posts."""
    from groundswell.simulate import SimConfig, simulate

    simulate(SimConfig(posts=3000, seed=5, inline_parents_max=0), tmp_path / "sim")  # parents in the sidecar
    truth = json.loads((tmp_path / "sim" / "truth.json").read_text())
    assert (tmp_path / "sim" / "parents.parquet").is_file()
    out = run("ingest", "sim", "--db", "s.duckdb", cwd=tmp_path).stdout
    assert "truth.json" not in out and "parents.parquet" not in out
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    (stored,) = con.execute("SELECT count(*) FROM posts WHERE NOT is_reference").fetchall()[0]
    (rejected,) = con.execute("SELECT coalesce(sum(rejected), 0) FROM ingests").fetchall()[0]
    con.close()
    assert stored == truth["posts"] and rejected == 0
    p = run("ingest", "sim/truth.json", "--db", "t.duckdb", cwd=tmp_path, ok=False)
    assert p.returncode == 1 and "truth.json" in p.stdout + p.stderr
