"""Benchmark movement matching and the live monitor, each beside a plain anchor measured in the same run.

    .venv/bin/python bench/movements.py [--limit 280733] [--flat-bins 20000]

* **Matching** (enrich step): the real #MeToo 2017 sample (read in place from ``../shared/data``, parsed and
  entity-extracted by the real reader first, untimed), matched against the built-in ``metoo`` definition.
  Anchor: the obvious pure-Python loop (set membership per post, ``re.search`` per text) over the same rows;
  both must give identical lists.
* **Live monitor** on a replayed stream: flat Poisson posts (40 an hour, two hashtags) through
  :class:`LiveMonitor`, false alarms per 1,000 flat bins printed; then a 3x step in one hashtag, onset delay in
  bins. Anchor: ``detect_online`` on the same counts already binned (the detector alone, no binning).
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from groundswell.analytics.bursts import detect_online
from groundswell.analytics.live import LiveMonitor
from groundswell.enrich.movements import movement_lists
from groundswell.enrich.pipeline import fill_entities
from groundswell.movements import builtin
from groundswell.movements.definition import REPLY_KINDS
from groundswell.sources.getoldtweets import GetOldTweetsReader
from groundswell.sources.io import open_input

METOO = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "metoo2017"
    / "metoo-2017-10-14_2017-11-30.jsonl.gz"
)


def load(limit: int) -> pa.Table:
    reader = GetOldTweetsReader()
    opened = open_input(str(METOO))
    batches, n = [], 0
    try:
        for chunk in reader.chunks(opened.stream, str(METOO)):
            b = fill_entities(reader.parse(chunk).posts)
            batches.append(b)
            n += b.num_rows
            if n >= limit:
                break
    finally:
        opened.close()
    return pa.Table.from_batches(batches).slice(0, limit).select(["hashtags_norm", "text", "kind"])


def plain_python(table: pa.Table, movement) -> list[list[str]]:
    keys = movement.member_keys
    pats = [
        (re.compile(r"(?:^|[^\w#@])" + r"\s+".join(map(re.escape, p.text.split())) + r"(?:$|[^\w])", re.I), p.scope)
        for p in movement.phrases
    ]
    out = []
    for tags, text, kind in zip(*(table.column(c).to_pylist() for c in ("hashtags_norm", "text", "kind")), strict=True):
        hit = any(t in keys for t in tags or [])
        if not hit and text:
            hit = any(p.search(text) and (scope == "any" or kind in REPLY_KINDS) for p, scope in pats)
        out.append([movement.name] if hit else [])
    return out


def bench_matching(limit: int) -> None:
    m = builtin("metoo")
    t0 = time.perf_counter()
    table = load(limit)
    print(f"loaded {table.num_rows:,} real posts in {time.perf_counter() - t0:.1f} s (reader + entities, untimed)")
    t0 = time.perf_counter()
    ours = movement_lists(table, [m]).to_pylist()
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    anchor = plain_python(table, m)
    t_anchor = time.perf_counter() - t0
    same = ours == anchor
    print(
        f"matching: ours {t_ours:.2f} s ({table.num_rows / t_ours:,.0f} posts/s); plain-Python anchor "
        f"{t_anchor:.2f} s ({table.num_rows / t_anchor:,.0f} posts/s); ratio {t_anchor / t_ours:.1f}x; "
        f"identical lists: {same}; members {sum(1 for x in ours if x):,}"
    )


def _stream(counts: np.ndarray, tags_for, start: datetime) -> list[pa.Table]:
    """One table per day of posts, each post at a uniform time inside its hour."""
    rng = np.random.default_rng(1)
    days = []
    for d in range(0, counts.shape[1], 24):
        times, tags = [], []
        for h in range(d, min(d + 24, counts.shape[1])):
            t0 = start + timedelta(hours=h)
            for k, name in enumerate(tags_for):
                n = int(counts[k, h])
                times += [t0 + timedelta(seconds=float(s)) for s in rng.uniform(0, 3599, n)]
                tags += [[name]] * n
        order = np.argsort(np.array([t.timestamp() for t in times]))
        days.append(
            pa.table(
                {
                    "created_at": pa.array([times[i] for i in order], pa.timestamp("us", tz="UTC")),
                    "hashtags_norm": pa.array([tags[i] for i in order], pa.list_(pa.string())),
                }
            )
        )
    return days


def bench_live(flat_bins: int) -> None:
    rng = np.random.default_rng(0)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    counts = rng.poisson(40, (2, flat_bins))
    stream = _stream(counts, ["a", "b"], start)
    monitor = LiveMonitor(key="hashtag")
    t0 = time.perf_counter()
    for day in stream:
        monitor.add(day)
    monitor.flush()
    t_monitor = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw = sum(len(detect_online(counts[k].astype(float))) for k in range(2))
    t_raw = time.perf_counter() - t0
    posts = int(counts.sum())
    alarms = len(monitor.alerts)
    print(
        f"live monitor, flat Poisson (40/h, 2 hashtags, {flat_bins:,} bins each): {alarms} false alarms = "
        f"{1000 * alarms / (2 * flat_bins):.3f} per 1,000 bins (detector alone on binned counts: {raw}); "
        f"{posts / t_monitor:,.0f} posts/s; monitor {t_monitor:.2f} s vs detector alone {t_raw:.2f} s "
        f"(binning overhead {t_monitor / t_raw:.1f}x)"
    )
    delays = []
    for seed in range(10):
        rng = np.random.default_rng(100 + seed)
        onset = int(rng.integers(100, 300))
        rate = np.where(np.arange(onset + 48) < onset, 40, 120)
        c = np.stack([rng.poisson(rate), rng.poisson(40, onset + 48)])
        m = LiveMonitor(key="hashtag")
        for day in _stream(c, ["a", "b"], start):
            m.add(day)
        m.flush()
        first = [a for a in m.alerts if a.key == "a"]
        delays.append((first[0].bin_start - start) // timedelta(hours=1) - onset if first else None)
    print(f"live monitor, 3x step in one hashtag (10 seeds): onset delay in bins {delays}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=280_733)
    ap.add_argument("--flat-bins", type=int, default=20_000)
    args = ap.parse_args()
    bench_matching(args.limit)
    bench_live(args.flat_bins)


if __name__ == "__main__":
    main()
