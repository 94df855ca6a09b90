"""How the simulator scales: time and peak memory per size, beside anchors measured in the same run.

    .venv/bin/python bench/simulate_scale.py                 # 20k and 200k posts
    .venv/bin/python bench/simulate_scale.py 20000 1000000   # any sizes

Each size runs in a fresh subprocess so its peak RSS is its own. Three figures per size:

* ``process``: the point process alone (plan + one replay), which the brief wants to scale to 10M posts
  in minutes with bounded memory;
* ``full``: ``simulate()`` on all five platforms, writing every file;
* ``anchor``: writing the same number of minimal JSON lines (``json.dumps`` of a 5-field dict) — the floor
  any writer in Python pays — so ``full / anchor`` says how much the formats themselves cost.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
import numpy as np
from groundswell.simulate import SimConfig, simulate
from groundswell.simulate.process import Process, plan

n, what = int(sys.argv[1]), sys.argv[2]
platforms = ("twitter", "facebook", "bluesky", "mastodon", "reddit")
cfg = SimConfig(posts=n, platforms=platforms, seed=1)
t0 = time.perf_counter()
if what == "process":
    p = plan(cfg)
    kept = 0
    for ev, _ in Process(cfg, p.immigrants).chunks():
        kept += int((~p.dropped[ev.root]).sum())
    assert kept == n
elif what == "full":
    with tempfile.TemporaryDirectory() as d:
        truth = simulate(cfg, Path(d))
        assert truth.posts == n
else:
    with tempfile.TemporaryDirectory() as d, open(Path(d) / "anchor.jsonl", "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": str(i), "t": 1508098860000 + i, "text": "Me too. #MeToo", "lang": "en", "k": "original"}) + "\n")
secs = time.perf_counter() - t0
print(json.dumps({"secs": secs, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(n: int, what: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), what], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    print(f"{'posts':>10} {'process s':>10} {'full s':>9} {'anchor s':>9} {'full/anchor':>11} "
          f"{'posts/s':>9} {'RSS proc MB':>11} {'RSS full MB':>11}")  # fmt: skip
    for n in sizes:
        proc, full, anchor = run(n, "process"), run(n, "full"), run(n, "anchor")
        print(
            f"{n:>10,} {proc['secs']:>10.2f} {full['secs']:>9.2f} {anchor['secs']:>9.2f} "
            f"{full['secs'] / anchor['secs']:>11.1f} {n / full['secs']:>9,.0f} "
            f"{proc['rss_mb']:>11.0f} {full['rss_mb']:>11.0f}"
        )


if __name__ == "__main__":
    tempfile.tempdir = None
    t = time.perf_counter()
    main([int(a) for a in sys.argv[1:]] or [20_000, 200_000])
    print(f"(bench took {time.perf_counter() - t:.0f} s)")
