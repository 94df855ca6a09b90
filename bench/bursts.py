"""Benchmark the burst detectors against the PyPI packages people reach for, in one run.

    .venv/bin/python bench/bursts.py [--sizes 365 3650 36500] [--timeout 120]

* batched Kleinberg, two states, on shares (``r`` of ``d`` posts per bin): ours against ``burst_detection``;
* Kleinberg's inter-arrival model on event times: ours against ``pybursts``;
* the online detector's false alarms per 1,000 bins of flat Poisson series, and its delay on a 3x step.

Both packages are old: ``burst_detection`` needs ``numpy<1.24`` (it calls ``np.float``) and ``pandas<2.1``, so
they run in their own venv under ``bench/.venvs/`` (created on first use; the only downloads, from PyPI through
pip) and are called through a subprocess running this same file in ``--worker`` mode. Each side is timed
inside its own process, on the same generated series, around the call that turns data into bursts; the bursts
are then compared exactly (start, end, level; weights to 1e-6).

``pybursts`` 0.1.1 fails on any numpy since 1.12 while *listing* the bursts it has found (it indexes an array
with floats). The worker replaces that one ``np.repeat`` call so the listing runs; the timed automaton is
untouched. ``burst_detection`` chooses each bin's state greedily, given the previous bin's, rather than by
Viterbi; the bench reports any bins where that makes the two disagree instead of hiding them.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venvs" / "legacy"
LEGACY = ["burst_detection==0.1.3", "pybursts==0.1.1", "numpy<1.24", "pandas<2.1"]
ANCHORS = {"burst_detection": "12.6 s at 36,500 bins", "pybursts": "> 120 s at 36,500"}


# --- worker side: runs inside the legacy venv, imports nothing from groundswell ---------------------------


def _worker(which: str, source: str, target: str) -> None:
    data = np.load(source)
    if which == "burst_detection":
        import burst_detection as bd

        r, d = data["r"], data["d"]
        start = time.perf_counter()
        q, _, _, p = bd.burst_detection(r, d, len(r), s=2.0, gamma=1.0, smooth_win=1)
        table = bd.enumerate_bursts(q, "b")
        seconds = time.perf_counter() - start
        table = bd.burst_weights(table, r, d, p).sort_values("begin")
        bursts = [[1, int(b), int(e), float(w)] for b, e, w in zip(table.begin, table.end, table.weight, strict=True)]
    else:
        from pybursts import pybursts

        shim = types.ModuleType("numpy_shim")
        shim.__dict__.update({k: getattr(np, k) for k in dir(np) if not k.startswith("__")})

        def repeat(value, times):
            if isinstance(value, float) and math.isnan(value):
                return np.repeat(np.array(value, dtype=object), int(times))
            return np.repeat(value, times)

        shim.repeat = repeat
        pybursts.np = shim
        offsets = data["offsets"]
        start = time.perf_counter()
        rows = pybursts.kleinberg(offsets, s=2, gamma=1)
        seconds = time.perf_counter() - start
        bursts = [[int(lv), float(a), float(b)] for lv, a, b in rows if lv >= 1]
    Path(target).write_text(json.dumps({"seconds": seconds, "bursts": bursts}))


# --- bench side ---------------------------------------------------------------------------------------------


def ensure_venv() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {VENV} with {', '.join(LEGACY)} (one-time)", flush=True)
        VENV.parent.mkdir(parents=True, exist_ok=True)
        (VENV.parent / ".gitignore").write_text("*\n")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *LEGACY], check=True)
    return python


def run_worker(python: Path, which: str, arrays: dict, timeout: float) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.npz", Path(tmp) / "out.json"
        np.savez(source, **arrays)
        try:
            subprocess.run(
                [str(python), __file__, "--worker", which, str(source), str(target)], check=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            return None
        return json.loads(target.read_text())


def share_series(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """About 2,000 posts per bin, 2% of them on the hashtag, with bursts of 3-30 bins at 8%."""
    rng = np.random.default_rng(seed)
    d = rng.poisson(2000, n)
    p = np.full(n, 0.02)
    for a in rng.integers(0, n - 30, max(1, n // 100)):
        p[a : a + rng.integers(3, 30)] = 0.08
    return rng.binomial(d, p), d


def event_times(n: int, seed: int) -> np.ndarray:
    """n + 1 event times, a Poisson process of rate 1 with stretches at rate 10."""
    rng = np.random.default_rng(seed)
    scale = np.ones(n)
    for a in rng.integers(0, max(1, n - 40), max(1, n // 100)):
        scale[a : a + rng.integers(5, 40)] = 0.1
    return np.concatenate(([0.0], np.cumsum(rng.exponential(scale))))


def timed(fn, *args, repeat: int = 3, **kw):
    best, out = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(*args, **kw)
        best = min(best, time.perf_counter() - start)
    return best, out


def compare_batched(python: Path, sizes: list[int], timeout: float) -> None:
    from groundswell.analytics.bursts import kleinberg_bursts

    print("\nbatched Kleinberg, 2 states, s=2, gamma=1 (burst_detection anchor elsewhere: 12.6 s at 36,500 bins)")
    print(f"{'bins':>7} {'ours':>9} {'burst_detection':>16} {'ratio':>8}  same bursts")
    for n in sizes:
        r, d = share_series(n, seed=n)
        ours_s, ours = timed(kleinberg_bursts, r, d, s=2.0, gamma=1.0, levels=1)
        theirs = run_worker(python, "burst_detection", {"r": r, "d": d}, timeout)
        if theirs is None:
            print(f"{n:>7} {ours_s:>8.4f}s {'> ' + str(timeout) + ' s':>16}")
            continue
        mine = [(b.start, b.end) for b in ours]
        other = [(b, e) for _, b, e, _ in theirs["bursts"]]
        weights_ok = mine == other and all(
            math.isclose(a.weight, w, rel_tol=1e-6) for a, (_, _, _, w) in zip(ours, theirs["bursts"], strict=True)
        )
        verdict = f"yes ({len(mine)} bursts, weights agree)" if weights_ok else describe_difference(mine, other, n)
        ratio = theirs["seconds"] / ours_s
        print(f"{n:>7} {ours_s:>8.4f}s {theirs['seconds']:>15.3f}s {ratio:>7.0f}x  {verdict}")


def describe_difference(mine: list[tuple[int, int]], other: list[tuple[int, int]], n: int) -> str:
    a, b = np.zeros(n, bool), np.zeros(n, bool)
    for s, e in mine:
        a[s : e + 1] = True
    for s, e in other:
        b[s : e + 1] = True
    return f"NO: {len(mine)} vs {len(other)} bursts, {int((a != b).sum())} of {n} bins differ"


def compare_offsets(python: Path, sizes: list[int], timeout: float) -> None:
    from groundswell.analytics.bursts import kleinberg_offsets

    print(
        f"\ninter-arrival Kleinberg, s=2, gamma=1 (pybursts anchor elsewhere: > 120 s at 36,500); timeout {timeout:g} s"
    )
    print(f"{'events':>7} {'ours':>9} {'pybursts':>16} {'ratio':>8}  same bursts")
    for n in sizes:
        times = event_times(n, seed=n)
        ours_s, ours = timed(kleinberg_offsets, times, s=2.0, gamma=1.0)
        theirs = run_worker(python, "pybursts", {"offsets": times}, timeout)
        if theirs is None:
            ratio = timeout / ours_s
            print(f"{n:>7} {ours_s:>8.4f}s {'> ' + format(timeout, 'g') + ' s':>16} {'> ' + format(ratio, '.0f'):>7}x")
            continue
        mine = sorted((b.level, float(times[b.start]), float(times[b.end])) for b in ours)
        other = sorted(tuple(row) for row in theirs["bursts"])
        same = mine == other
        verdict = f"yes ({len(mine)} bursts)" if same else f"NO: {len(mine)} vs {len(other)} bursts"
        ratio = theirs["seconds"] / ours_s
        print(f"{n:>7} {ours_s:>8.4f}s {theirs['seconds']:>15.3f}s {ratio:>7.0f}x  {verdict}")


def online_false_alarms(bins: int = 100_000) -> None:
    from groundswell.analytics.bursts import detect_online

    print(
        f"\nonline detector (defaults) on flat Poisson: false alarms per 1,000 bins over {bins:,} bins; delay on a 3x step"
    )
    print(f"{'rate':>7} {'false/1000':>11} {'step delay (bins), 40 seeds':>30}")
    for lam in (2, 20, 100, 1000):
        rng = np.random.default_rng(lam)
        alarms = sum(len(detect_online(rng.poisson(lam, 5000))) for _ in range(bins // 5000))
        delays = []
        for seed in range(40):
            g = np.random.default_rng(10_000 + seed)
            onset = int(g.integers(100, 400))
            onsets = detect_online(g.poisson(np.where(np.arange(onset + 48) < onset, lam, 3 * lam)))
            after = [o.bin - onset for o in onsets if o.bin >= onset]
            delays.append(after[0] if after else None)
        found = [x for x in delays if x is not None]
        spread = f"median {np.median(found):.0f}, max {max(found)}" if found else "none"
        print(f"{lam:>7} {1000 * alarms / bins:>11.3f} {spread + f', missed {delays.count(None)}':>30}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[365, 3_650, 36_500])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed to each package call")
    args = parser.parse_args()
    python = ensure_venv()
    compare_batched(python, args.sizes, args.timeout)
    compare_offsets(python, args.sizes, args.timeout)
    online_false_alarms()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        _worker(*sys.argv[2:])
    else:
        main()
