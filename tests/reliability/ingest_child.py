"""Run one ingest the way the CLI does, with small chunks and transactions so a kill lands mid-file.

    python ingest_child.py DB WORKERS TX_ROWS CHUNK_BYTES FILE...

Prints ``start`` when the store is open and ingest begins, ``commit`` after each transaction commits and
``done SECONDS`` at the end, so the parent test can aim its kill across the whole ingest (the real commit
runs unchanged; only the line is added). With WORKERS > 1 parsing runs in worker processes even for these
small files, as it does for big ones.
"""

from __future__ import annotations

import importlib
import sys
import time

from groundswell.sources.base import LineReader
from groundswell.store.duckdb_store import Store


def main() -> None:
    db, workers, tx_rows, chunk_bytes, *files = sys.argv[1:]
    ingest_module = importlib.import_module("groundswell.ingest")  # the module (the package re-exports the function)
    LineReader.chunk_bytes = int(chunk_bytes)
    ingest_module.PARALLEL_MIN_BYTES = 0
    flush = ingest_module._Transaction.flush

    def flush_and_say(self) -> None:  # type: ignore[no-untyped-def]
        pending = bool(self.pending)
        flush(self)
        if pending:
            print("commit", flush=True)

    ingest_module._Transaction.flush = flush_and_say
    with Store(db) as store:
        print("start", flush=True)
        t0 = time.perf_counter()
        results = ingest_module.ingest(files, store, workers=int(workers), tx_rows=int(tx_rows))
        print("done", time.perf_counter() - t0, flush=True)
    for r in results:
        print("file", r.file, r.counts.read, r.counts.stored, r.counts.duplicates, r.counts.rejected, r.resumed_at)


if __name__ == "__main__":
    main()
