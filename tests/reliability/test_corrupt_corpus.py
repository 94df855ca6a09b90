"""Every defect a research archive has, in one corpus: exact stored / duplicate / rejected counts and reasons.

The expected figures come from ``corpus.build``, which knows what each record it wrote must become.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from groundswell.ingest import FileResult, ingest
from groundswell.store.duckdb_store import Store
from tests.reliability import corpus


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, corpus.Expected], list[FileResult], Path]:
    d = tmp_path_factory.mktemp("corpus")
    expected = corpus.build(d)
    with Store(d / "s.duckdb") as store:
        results = ingest(list(expected), store, workers=1, max_line_bytes=corpus.LIMIT)
    return expected, results, d / "s.duckdb"


def _reason_counts(reasons: dict[str, int]) -> Counter[str]:
    return Counter(reasons)


def test_every_file_reports_exactly_what_was_built(ingested) -> None:
    expected, results, _ = ingested
    assert [r.file for r in results] == list(expected)
    for r in results:
        e = expected[r.file]
        name = Path(r.file).name
        if e.error:
            assert r.error and e.error in r.error and name in r.error, (name, r.error)
            continue
        assert r.error is None, (name, r.error)
        got = (r.counts.read, r.counts.stored, r.counts.duplicates, r.counts.rejected)
        assert got == (e.read, e.stored, e.duplicates, e.read - e.stored - e.duplicates), name
        assert r.counts.reconciles()
        assert r.counts.replaced_utf8 == e.replaced_utf8, name
        # reasons are counted by their part before the first colon
        want = Counter({k.split(":")[0]: v for k, v in e.reasons.items()})
        assert _reason_counts(r.counts.reasons) == want, name
        if e.note:
            assert r.note and e.note in r.note, (name, r.note)


def test_quarantine_holds_each_reject_at_its_line_with_its_reason(ingested) -> None:
    expected, _, db = ingested
    with Store(db, read_only=True) as store:
        for path, e in expected.items():
            rows = store.sql(
                "SELECT line, reason FROM quarantine WHERE file = ? ORDER BY line", [str(Path(path))]
            ).to_pylist()
            assert [r["line"] for r in rows] == sorted(e.reject_lines), Path(path).name
            reasons = sorted(o for o in e.outcomes if o not in (corpus.STORED, corpus.DUPLICATE))
            got = sorted(r["reason"] for r in rows)
            assert len(got) == len(reasons)
            for want, reason in zip(reasons, sorted(got), strict=True):
                assert reason.startswith(want), (Path(path).name, want, reason)


def test_store_holds_the_stored_posts_once(ingested) -> None:
    expected, _, db = ingested
    total = sum(e.stored for e in expected.values())
    with Store(db, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM posts") == total
        assert store.scalar("SELECT count(DISTINCT post_id) FROM posts") == total
        # the record with invalid UTF-8 is kept, its bad bytes shown as U+FFFD
        assert store.scalar("SELECT count(*) FROM posts WHERE text LIKE '%caf\ufffd%'") == 2
        log = store.sql("SELECT file, status, message, replaced_utf8 FROM ingests ORDER BY ingest_id").to_pylist()
    status = {Path(r["file"]).name: r["status"] for r in log}
    assert status["truncated.jsonl.gz"] == status["truncated.jsonl.zst"] == "truncated"
    assert status["defects.jsonl"] == "done"
    assert "not_posts.png" not in status  # nothing to log: the file was never read as posts


def test_cli_prints_reconciliation_and_fails_only_on_the_unreadable_file(tmp_path: Path) -> None:
    expected = corpus.build(tmp_path)
    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "groundswell", "ingest", "--db", str(tmp_path / "s.duckdb"), "--workers", "1"]
    cmd += ["--max-line-bytes", str(corpus.LIMIT)]
    readable = [p for p, e in expected.items() if not e.error]
    p = subprocess.run([*cmd, *readable], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr  # truncated archives are reported, not fatal
    read = sum(expected[f].read for f in readable)
    stored = sum(expected[f].stored for f in readable)
    dups = sum(expected[f].duplicates for f in readable)
    line = f"read {read} = stored {stored} + duplicates {dups} + rejected {read - stored - dups}"
    assert line in p.stdout.replace(",", "")
    assert "TRUNCATED" in p.stdout and "ends early" in p.stderr
    assert "invalid UTF-8, kept with U+FFFD" in p.stderr
    bad = next(f for f, e in expected.items() if e.error)
    p = subprocess.run([*cmd, bad], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 1 and "not_posts.png" in p.stderr and "not a format" in p.stderr
