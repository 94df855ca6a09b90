"""The demo's run must be quick."""

from __future__ import annotations

import time

from groundswell.simulate import SimConfig, simulate


def test_demo_run_under_10_seconds(tmp_path) -> None:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    truth = simulate(SimConfig(posts=20_000, platforms=("twitter", "facebook", "bluesky"), seed=1), tmp_path)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"demo run: {cpu:.2f} s CPU, {wall:.2f} s wall")
    assert truth.posts == 20_000
    # CPU time is what the code costs; wall time also pays for whatever else shares the machine
    assert cpu < 10
    assert wall < 30
