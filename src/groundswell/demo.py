"""The demo: simulate → ingest → report, through exactly the code paths real data takes."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from groundswell.ingest import ingest
from groundswell.report.html import write_report
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import Store

DEMO_PLATFORMS = ("twitter", "facebook", "bluesky")


@dataclass(frozen=True)
class DemoResult:
    report: Path
    simulated: int
    stored: int
    platforms: tuple[str, ...]


def run_demo(out: str | Path, *, posts: int = 20_000, seed: int = 1, workdir: str | Path | None = None) -> DemoResult:
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="groundswell-demo-") as tmp:
        base = Path(workdir) if workdir else Path(tmp)
        data = base / "data"
        data.mkdir(parents=True, exist_ok=True)
        simulate(SimConfig(posts=posts, platforms=DEMO_PLATFORMS, seed=seed), data)
        files = sorted(p for p in data.rglob("*") if p.is_file() and p.name != "truth.json" and p.suffix != ".parquet")
        db = base / "demo.duckdb"
        for stale in (db, db.with_name(db.name + ".wal")):
            stale.unlink(missing_ok=True)
        with Store(db) as store:
            results = ingest(files, store, workers=1)
            write_report(store, out, title="groundswell demo: a simulated #MeToo-like movement")
        return DemoResult(
            report=out,
            simulated=sum(r.counts.read for r in results),
            stored=sum(r.counts.stored for r in results),
            platforms=DEMO_PLATFORMS,
        )
