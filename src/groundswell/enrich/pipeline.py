"""The enrich stage: raw reader batches in, store-ready batches out.

Each step is a pure function of an Arrow batch and an ``EnrichContext`` (plain data, picklable), so the same
code runs in ingest's worker processes and inside Spark's ``mapInArrow``. Order matters only where a step
reads what another wrote: entities are extracted from the text before pseudonymization rewrites the
mentions in it; classification reads the pseudonymized text, as every later reader of the store will.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.enrich.movements import match_movements
from groundswell.movements.definition import Movement
from groundswell.privacy.pseudonyms import PrivacySettings, Pseudonymizer
from groundswell.schema import POST_SCHEMA
from groundswell.text.batch import extract_entities, normalize_hashtags


@dataclass(frozen=True)
class EnrichContext:
    key: bytes
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    movements: tuple[Movement, ...] = ()  # movement definitions to match (empty: none); plain picklable data
    participation: bool = False  # run the participation classifier


def fill_entities(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Extract hashtags / mentions / URLs from text where the reader had none, and normalize hashtags."""
    cols = {name: batch.column(name) for name in batch.schema.names}
    missing = pc.is_null(cols["hashtags"])
    if pc.any(missing).as_py():
        extracted = extract_entities(cols["text"])
        for name in ("hashtags", "mentions", "urls"):
            if name == "mentions":
                # keys for the pseudonymizer: "@handle"
                vals = pa.array(
                    [None if m is None else ["@" + h.lower() for h in m] for m in extracted["mentions"].to_pylist()],
                    type=pa.list_(pa.string()),
                )
            else:
                vals = extracted[name]
            cols[name] = pc.if_else(pc.is_null(cols[name]), vals, cols[name])
    cols["hashtags_norm"] = normalize_hashtags(cols["hashtags"])
    return pa.RecordBatch.from_pydict(cols, schema=batch.schema)


def _map_accounts(platform: pa.Array, accounts: pa.Array, pseudo: Pseudonymizer) -> pa.Array:
    """Pseudonymize a string column, hashing each distinct (platform, account) once."""
    if accounts.null_count == len(accounts):
        return pa.nulls(len(accounts), pa.string())
    plats = pc.unique(platform).to_pylist()
    if len(plats) == 1:
        uniq = pc.unique(accounts)
        mapped = pa.array([pseudo(plats[0], a) for a in uniq.to_pylist()], pa.string())
        return pc.take(mapped, pc.index_in(accounts, uniq))
    return pa.array(
        [pseudo(p, a) for p, a in zip(platform.to_pylist(), accounts.to_pylist(), strict=True)], pa.string()
    )


def pseudonymize(batch: pa.RecordBatch, ctx: EnrichContext, pseudo: Pseudonymizer | None = None) -> pa.RecordBatch:
    """Replace raw account identities by keyed pseudonyms and drop the raw columns."""
    pseudo = pseudo or Pseudonymizer(ctx.key)
    settings = ctx.privacy
    platform = batch.column("platform")
    cols = {name: batch.column(name) for name in POST_SCHEMA.names}
    cols["author_id"] = _map_accounts(platform, batch.column("raw_author"), pseudo)
    cols["parent_author_id"] = _map_accounts(platform, batch.column("raw_parent_author"), pseudo)

    mentions = batch.column("mentions")
    flat = pc.list_flatten(mentions)
    parent_of = pc.list_parent_indices(mentions)
    mapped = _map_accounts(pc.take(platform, parent_of), flat, pseudo)
    cols["mentions"] = pa.ListArray.from_arrays(_offsets(mentions), mapped, mask=pc.is_null(mentions))

    handles = batch.column("author_handle")
    if handles.null_count < len(handles):
        followers = batch.column("author_followers").to_pylist()
        keep = [h if h and settings.is_public(h, followers[i]) else None for i, h in enumerate(handles.to_pylist())]
        cols["author_handle"] = pa.array(keep, pa.string())

    text = batch.column("text")
    has_at = pc.fill_null(pc.or_(pc.match_substring(text, "@"), pc.match_substring(text, "＠")), False)
    if pc.any(has_at).as_py():
        plat = platform.to_pylist()
        texts = text.to_pylist()
        for i in pc.indices_nonzero(has_at).to_pylist():
            texts[i] = pseudo.rewrite_text(plat[i], texts[i], settings)
        cols["text"] = pa.array(texts, pa.string())
    return pa.RecordBatch.from_pydict(cols, schema=POST_SCHEMA)


def _offsets(lists: pa.Array) -> pa.Array:
    """Offsets of a list array, rebased to 0 (slices keep their parent's offsets)."""
    offs = lists.offsets
    return pc.subtract(offs, offs[0]) if offs[0].as_py() else offs


def enrich(batch: pa.RecordBatch, ctx: EnrichContext) -> pa.RecordBatch:
    """Every enrich step, in order. Input: ``RAW_SCHEMA`` batch; output: ``POST_SCHEMA`` batch."""
    batch = fill_entities(batch)
    batch = pseudonymize(batch, ctx, _pseudonymizer(ctx))
    batch = match_movements(batch, ctx.movements)
    return batch


_cache: dict[bytes, Pseudonymizer] = {}


def _pseudonymizer(ctx: EnrichContext) -> Pseudonymizer:
    # one memo per key per process: worker processes see the same few prolific accounts again and again
    p = _cache.get(ctx.key)
    if p is None:
        p = _cache[ctx.key] = Pseudonymizer(ctx.key)
    return p
