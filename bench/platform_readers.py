"""Throughput of the platform readers (chunk + parse in one process), beside anchors measured in the same run.

Anchors: the lead's GetOldTweets reader on real #MeToo lines and the twarc2 reader on real API v2 pages, both
from ``shared/data``. Platform inputs are the test fixtures' records repeated to about ``N`` records (there is
no real data of these formats in the repo); the ratio column is records/s relative to the twarc2 anchor.

    .venv/bin/python bench/platform_readers.py [N]
"""

from __future__ import annotations

import gzip
import io
import sys
import time
from pathlib import Path

import orjson

from groundswell.sources.base import Reader
from groundswell.sources.registry import detect

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "sources" / "fixtures"
SHARED = ROOT / ".." / "shared" / "data"


def lines_of(path: Path) -> list[bytes]:
    return [ln for ln in path.read_bytes().splitlines() if ln.strip()]


def repeat_lines(lines: list[bytes], n: int) -> bytes:
    out = (lines * (n // len(lines) + 1))[:n]
    return b"\n".join(out) + b"\n"


def run(data: bytes, name: str) -> tuple[type[Reader], int, int, float]:
    reader_cls = detect(data[: 64 << 10], name)
    reader = reader_cls()
    t = time.perf_counter()
    records = posts = 0
    for chunk in reader.chunks(io.BytesIO(data), name):
        parsed = reader.parse(chunk)
        records += parsed.n_records
        posts += parsed.posts.num_rows
    return reader_cls, records, posts, time.perf_counter() - t


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    inputs: list[tuple[str, bytes]] = []
    with gzip.open(SHARED / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz") as f:
        got = [next(f) for _ in range(n)]
    inputs.append(("anchor getoldtweets (real)", b"".join(got)))
    inputs.append(
        (
            "anchor twarc2 pages (real)",
            repeat_lines(lines_of(SHARED / "twitter-api-v2" / "kpop.jsonl"), max(1, n // 100)),
        )
    )
    for rel in [
        "twitter_v1/stream_with_notices.jsonl",
        "gnip/powertrack_replay.jsonl",
        "reddit/RC_2017-10_sample.ndjson",
        "mastodon/websocket_messages.jsonl",
        "bluesky_jetstream/jetstream_metoo_sample.jsonl",
        "bluesky_api/search_posts_pages.jsonl",
    ]:
        inputs.append((rel, repeat_lines(lines_of(FIXTURES / rel), n)))
    # the same v1.1 statuses as one pretty-printed array: the ijson document path
    timeline = orjson.loads((FIXTURES / "twitter_v1" / "timeline_extended_array.json").read_bytes())
    big = (timeline * (n // len(timeline) + 1))[:n]
    inputs.append(("twitter_v1 array document (ijson)", orjson.dumps(big, option=orjson.OPT_INDENT_2)))
    inputs.append(("twitter_v1 same statuses as lines", b"\n".join(orjson.dumps(s) for s in big) + b"\n"))
    for rel in ["crowdtangle/facebook_pages_2021_export.csv", "meta_content_library/facebook_posts.csv"]:
        lines = (FIXTURES / rel).read_bytes().splitlines()
        inputs.append((rel, b"\n".join([lines[0], *(lines[1:] * (n // (len(lines) - 1) + 1))[:n]]) + b"\n"))

    results = [(label, *run(data, label)) for label, data in inputs]
    anchor = results[1][2] / results[1][4]
    print(f"{'input':45s} {'reader':22s} {'records':>8s} {'posts':>8s} {'records/s':>11s} {'vs twarc2':>9s}")
    for label, reader_cls, records, posts, secs in results:
        rate = records / secs
        print(f"{label:45s} {reader_cls.name:22s} {records:8d} {posts:8d} {rate:11,.0f} {rate / anchor:9.2f}")


if __name__ == "__main__":
    main()
