"""Resume benchmark: what an interrupted ingest costs to finish, beside a clean ingest and a bare read.

    python bench/resume.py [FILE] [--at 0.8]

Anchors measured in the same run: ``clean`` (a full ingest into a new store) and ``read`` (decompressing
and hashing the file, the floor a resume cannot go under because gzip cannot seek). The interruption is a
Ctrl-C (KeyboardInterrupt) raised once ``--at`` of the file's bytes were read; ``resume`` then runs the same
ingest again. Prints seconds and the ratios resume/clean and resume/read.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import tempfile
import time
from pathlib import Path

from groundswell.ingest import ingest
from groundswell.sources.io import open_input
from groundswell.store.duckdb_store import Store

HERE = Path(__file__).resolve().parent
METOO = HERE.parent / ".." / "shared" / "data" / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", default=str(METOO))
    ap.add_argument("--at", type=float, default=0.8, help="fraction of the file read when interrupted")
    args = ap.parse_args()
    size = Path(args.file).stat().st_size

    t0 = time.perf_counter()
    opened = open_input(args.file)
    sha = hashlib.sha256()
    while block := opened.stream.read(1 << 20):
        sha.update(block)
    opened.close()
    t_read = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        with Store(Path(d) / "clean.duckdb") as store:
            (clean,) = ingest([args.file], store)
        t_clean = time.perf_counter() - t0

        seen = 0

        def interrupt(n: int) -> None:
            nonlocal seen
            seen += n
            if seen >= args.at * size:
                raise KeyboardInterrupt

        with Store(Path(d) / "resumed.duckdb") as store:
            with contextlib.suppress(KeyboardInterrupt):
                ingest([args.file], store, on_bytes=interrupt)
            done = store.scalar("SELECT read FROM ingests")
            t0 = time.perf_counter()
            (resumed,) = ingest([args.file], store)
            t_resume = time.perf_counter() - t0
            total = store.scalar("SELECT count(*) FROM posts")
    assert total == clean.counts.stored and resumed.resumed_at, "the resume did not complete the file"
    print(f"file: {args.file} ({size / 1e6:.1f} MB), interrupted after {done:,} of {clean.counts.read:,} records")
    print(f"read (decompress + hash) {t_read:7.2f} s   anchor")
    print(f"clean ingest             {t_clean:7.2f} s   anchor")
    print(
        f"resume                   {t_resume:7.2f} s   {t_resume / t_clean:.2f}× clean, {t_resume / t_read:.2f}× read"
    )


if __name__ == "__main__":
    main()
