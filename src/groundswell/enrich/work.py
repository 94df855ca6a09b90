"""One chunk of a file, parsed and enriched: the unit of work of an ingest's worker processes and Spark's tasks.

Both ingests call the same function, so it lives here, beside enrich, rather than as a private helper of
``groundswell.ingest`` that Spark had to import. The worker's set-up lives here too: its Arrow allocator and
``without_pandas`` (pyarrow would otherwise load pandas, 48 MB, into every ingest process).
"""

from __future__ import annotations

import sys

import pyarrow as pa

from groundswell.enrich.pipeline import EnrichContext, enrich
from groundswell.sources.base import Chunk, Parsed, Reader, Reject

__all__ = ["POOL", "parse_and_enrich", "without_pandas", "worker_start"]


def parse_and_enrich(reader: Reader, chunk: Chunk, ctx: EnrichContext) -> Parsed:
    """Parse a chunk and enrich its posts; rows enrich fails on are quarantined one by one, not the chunk."""
    parsed = reader.parse(chunk)
    try:
        parsed.posts = enrich(parsed.posts, ctx)
    except Exception:
        _enrich_by_halves(parsed, ctx)
    return parsed


def _enrich_by_halves(parsed: Parsed, ctx: EnrichContext) -> None:
    """Enrich failed on a batch: find the rows it fails on by bisection and quarantine just those."""
    good: list[pa.RecordBatch] = []
    stack = [parsed.posts]
    while stack:
        batch = stack.pop()
        try:
            good.append(enrich(batch, ctx))
            continue
        except Exception as e:
            if batch.num_rows > 1:
                half = batch.num_rows // 2
                stack += [batch.slice(half), batch.slice(0, half)]
                continue
            row = batch.to_pylist()[0]
            detail = " ".join(str(e).split())[:300]
            reason = f"enrich failed: {type(e).__name__}: {detail}"
            parsed.rejects.append(Reject.of(row["source_file"], row["source_line"], reason, row["text"] or ""))
            parsed.n_primary -= not row["is_reference"]
    parsed.posts = pa.Table.from_batches(good).combine_chunks().to_batches()[0] if good else _empty(parsed.posts)


def _empty(batch: pa.RecordBatch) -> pa.RecordBatch:
    return batch.slice(0, 0)


#: Arrow's allocator while ingesting, in this process and the workers. Arrow's default (mimalloc here) keeps
#: freed pages for reuse; an ingest frees a chunk's buffers every few milliseconds, and with the C library's
#: allocator the peak RSS of the 200 MB bench file's ingest fell from 559 to 521–532 MB (main 367 → 340–345,
#: worker 182 → 160–167).
POOL = pa.system_memory_pool()


def worker_start() -> None:
    """Initializer of an ingest worker process."""
    pa.set_memory_pool(POOL)  # a worker process only ever ingests
    without_pandas()


def without_pandas() -> None:
    """Keep pyarrow from loading pandas into a process that only ingests.

    pyarrow imports pandas on its first ``pa.array`` call, to check whether the input is a pandas object; that
    is 48 MB resident in every ingest process (the main one and each worker) for nothing, since an ingest
    never hands pyarrow a pandas object: on the 200 MB bench file, ~95 of its ~530 MB peak. With pandas
    reported missing, pyarrow notes that it has none and goes on. Only for processes that do nothing else
    (ingest workers, the ``groundswell ingest`` command): in a caller's own process ``to_pandas`` must keep
    working, so the library's ``ingest`` never does this to it.
    """
    if "pandas" not in sys.modules and not any(isinstance(f, _NoPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas:
    """An import finder that reports pandas missing (``sys.modules["pandas"] = None`` is not enough: pyarrow's
    Cython import takes the None as the module)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is not loaded in a process that only ingests", name=name)
