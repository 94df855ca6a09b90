"""Build large twarc2 JSONL corpora from the real shared pages, with fresh ids.

Copies of the real API pages are repeated until the file reaches the requested size; in copy k every
numeric id (tweets, users, conversations, references) is shifted by the same offset, so references stay
consistent inside a copy and no two copies share a post. Only files that hold tweet pages are used.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "twitter-api-v2"
SKIP = {
    "counts.jsonl",
    "users.jsonl",
    "lists.jsonl",
    "tweets_compliance.jsonl",
    "users_compliance.jsonl",
    "streaming_output_with_error.jsonl",
    "empty.json",
}
_ID = re.compile(rb'"(\d{6,20})"')
OFFSET = 10**19 // 4096  # keeps shifted ids below 2**63 for thousands of copies


def source_lines() -> list[bytes]:
    lines = []
    for f in sorted(SHARED.glob("*.jsonl")):
        if f.name in SKIP:
            continue
        lines += [ln for ln in f.read_bytes().splitlines() if ln.strip()]
    return lines


def build(out: Path, min_bytes: int) -> tuple[int, int]:
    """Write at least ``min_bytes`` to ``out``; return (bytes, copies of the shared pages)."""
    lines = source_lines()
    written = 0
    k = 0
    with open(out, "wb") as f:
        while written < min_bytes:
            k += 1
            shift = k * (OFFSET // 1000)
            for ln in lines:
                new = _ID.sub(lambda m, s=shift: b'"%d"' % (int(m.group(1)) + s), ln)
                f.write(new + b"\n")
                written += len(new) + 1
    return written, k


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mb", type=int, default=200)
    a = ap.parse_args()
    size, copies = build(a.out, a.mb << 20)
    print(f"{a.out}: {size / 1e6:.0f} MB, {copies} copies of the shared pages")
