"""Parse + enrich alone, in one process: the CPU cost per post of what ingest's workers do.

    python bench/parse_enrich.py [--file /tmp/gsb200/corpus.jsonl] [--chunks 40] [--profile] [--dump OUT]

The ingest benchmark (bench/ingest.py) times the whole command on a shared machine; this one isolates the
worker's share (reader.parse, then enrich) over the first ``--chunks`` chunks of a file, in CPU seconds,
so a change to the parse or enrich path can be measured without DuckDB or process start-up in the figure;
``--repeat N`` runs each chunk N times and counts the fastest run, which keeps most of the other jobs on a
shared machine out of the figure, but the enrich memos (texts seen before) make runs after the first
optimistic, so the default is one run: compare versions in the same machine state instead. Besides the twarc2 file it runs the real #MeToo scrape (GetOldTweets
format: no platform entities, so text extraction, mention rewriting and redaction run on every post).

``--dump DIR`` writes every enriched batch to Parquet, so two versions of the code can be compared row for
row (``--compare DIR`` reads such a folder back and fails on the first difference): speed work must not
change a single stored value.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from groundswell.enrich.pipeline import EnrichContext, enrich
from groundswell.movements.config import default_movements
from groundswell.sources.io import open_input
from groundswell.sources.registry import detect

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
METOO = SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
KEY = b"bench-key-0123456789abcdef"


def chunks_of(path: Path, n: int) -> tuple[object, list]:
    opened = open_input(path)
    reader = detect(opened.head, str(path))()
    out = []
    for c in reader.chunks(opened.stream, path.name):
        out.append(c)
        if len(out) >= n:
            break
    opened.close()
    return reader, out


def run(path: Path, n: int, ctx: EnrichContext, profile: bool, repeat: int) -> pa.Table:
    reader, chunks = chunks_of(path, n)
    prof = cProfile.Profile() if profile else None
    parse_s = enrich_s = 0.0
    posts = 0
    batches = []
    if prof:
        prof.enable()
    for c in chunks:
        best_parse = best_enrich = float("inf")
        for _ in range(repeat):  # the fastest of a few runs: other jobs on a shared machine only add time
            t0 = time.process_time()
            parsed = reader.parse(c)
            t1 = time.process_time()
            batch = enrich(parsed.posts, ctx)
            t2 = time.process_time()
            best_parse, best_enrich = min(best_parse, t1 - t0), min(best_enrich, t2 - t1)
        parse_s += best_parse
        enrich_s += best_enrich
        posts += batch.num_rows
        batches.append(batch)
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    total = parse_s + enrich_s
    print(
        f"{path.name}: {len(chunks)} chunks, {posts:,} posts: parse {parse_s:.2f} s + enrich {enrich_s:.2f} s "
        f"= {total:.2f} CPU s, {1e6 * total / max(posts, 1):.1f} µs/post "
        f"(parse {1e6 * parse_s / max(posts, 1):.1f}, enrich {1e6 * enrich_s / max(posts, 1):.1f})"
    )
    return pa.Table.from_batches(batches)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, default=Path("/tmp/gsb200/corpus.jsonl"))
    ap.add_argument("--chunks", type=int, default=40)
    ap.add_argument("--metoo-chunks", type=int, default=8, help="chunks of the #MeToo scrape (0: skip it)")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per chunk, the fastest counts (default 1: text memos make repeats optimistic)",
    )
    ap.add_argument("--dump", type=Path, help="write the enriched posts of each file to DIR/<name>.parquet")
    ap.add_argument("--compare", type=Path, help="fail unless the enriched posts equal those dumped in DIR")
    a = ap.parse_args()
    ctx = EnrichContext(key=KEY, movements=default_movements())
    for path, n in ((a.file, a.chunks), (METOO, a.metoo_chunks)):
        if not n:
            continue
        table = run(path, n, ctx, a.profile, a.repeat)
        name = path.name + ".parquet"
        if a.dump:
            a.dump.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, a.dump / name)
        if a.compare:
            ref = pq.read_table(a.compare / name)
            if ref.schema != table.schema:
                raise SystemExit(f"{path.name}: schema differs")
            for col in ref.column_names:
                if not ref.column(col).equals(table.column(col)):
                    x, y = ref.column(col).to_pylist(), table.column(col).to_pylist()
                    i = next(i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q)
                    raise SystemExit(f"{path.name}: column {col} differs at row {i}: {x[i]!r} != {y[i]!r}")
            print(f"{path.name}: identical to {a.compare / name} ({table.num_rows:,} rows)")


if __name__ == "__main__":
    main()
