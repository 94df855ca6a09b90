"""Movement matching, an enrich step: which movements does each post belong to?

A post belongs to a movement when one of its normalized hashtags (``hashtags_norm``) is one of the movement's
hashtags or variants, or when its text contains one of the movement's phrases (in replies only, for phrases
scoped ``reply``). It can belong to several movements: the ``movements`` column is a list of names, in the order
the definitions were given. Matching leaves an empty list, not null, on posts that match nothing, so "checked,
not a member" and "never checked" stay distinguishable.

Pure Arrow over a batch, like every enrich step, so it runs in ingest's workers and in Spark's ``mapInArrow``
alike. Hashtags are tested with one ``is_in`` over the flattened lists per movement; phrases with one RE2 scan
of the texts of posts the hashtags did not already place (a regex over every text would cost more than all the
rest of matching) (case-insensitive, Unicode-aware word boundaries: "me too" matches "Me too." but not "awesome
tool"). What phrase matching cannot do: see full-width or otherwise unnormalized spellings of the words, or
tell an unrelated "me too!" in a reply from a movement one; keep phrases specific or scoped to replies.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from groundswell.movements.definition import REPLY_KINDS, Movement, Phrase

_LIST = pa.list_(pa.string())


def _phrase_pattern(phrases: Sequence[Phrase]) -> str:
    """One RE2 alternation; words may be separated by any run of spaces, and must stand as whole words."""
    words = ["\\s+".join(re.escape(w) for w in p.text.split()) for p in phrases]
    return "(?:^|[^\\pL\\pN_#@])(?:" + "|".join(words) + ")(?:$|[^\\pL\\pN_])"


@cache
def _keys(m: Movement) -> pa.Array:
    return pa.array(sorted(m.member_keys), pa.string())


def member_masks(batch: pa.RecordBatch | pa.Table, movements: Sequence[Movement]) -> np.ndarray:
    """Boolean array (movements x rows): row ``j`` belongs to movement ``i``."""
    n = batch.num_rows
    out = np.zeros((len(movements), n), dtype=bool)
    if not n or not movements:
        return out
    tags = batch.column("hashtags_norm")
    if isinstance(tags, pa.ChunkedArray):
        tags = tags.combine_chunks()
    flat = pc.list_flatten(tags)
    parents = pc.list_parent_indices(tags).to_numpy(zero_copy_only=False)
    text = batch.column("text")
    kind = batch.column("kind")
    answers = pc.fill_null(pc.is_in(kind, pa.array(REPLY_KINDS)), False).to_numpy(zero_copy_only=False)
    for i, m in enumerate(movements):
        if len(flat):
            hit = pc.fill_null(pc.is_in(flat, _keys(m)), False).to_numpy(zero_copy_only=False)
            out[i, parents[hit]] = True
        for scope in ("any", "reply"):
            phrases = [p for p in m.phrases if p.scope == scope]
            # scan only the texts that could still change the answer: posts not yet members (of the right kind)
            todo = ~out[i] & answers if scope == "reply" else ~out[i]
            if not phrases or not todo.any():
                continue
            rows = np.flatnonzero(todo)
            texts = _take(text, rows)
            found = pc.fill_null(pc.match_substring_regex(texts, _phrase_pattern(phrases), ignore_case=True), False)
            out[i, rows[found.to_numpy(zero_copy_only=False)]] = True
    return out


def _take(arr: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """``arr[rows]``; chunk by chunk for a chunked column (a plain take would first copy every chunk into one)."""
    if isinstance(arr, pa.Array):
        return pc.take(arr, pa.array(rows, pa.int64()))
    parts, start = [], 0
    for chunk in arr.chunks:
        end = start + len(chunk)
        lo, hi = np.searchsorted(rows, [start, end])
        if hi > lo:
            parts.append(pc.take(chunk, pa.array(rows[lo:hi] - start, pa.int64())))
        start = end
    return pa.concat_arrays(parts) if parts else pa.array([], arr.type)


def movement_lists(batch: pa.RecordBatch | pa.Table, movements: Sequence[Movement]) -> pa.Array:
    """The ``movements`` column for a batch: a list of matching movement names per post."""
    masks = member_masks(batch, movements)
    rows, which = np.nonzero(masks.T)  # row-major: grouped by post, in definition order within a post
    names = pa.array([m.name for m in movements], pa.string())
    values = pc.take(names, pa.array(which, pa.int64())) if len(which) else pa.array([], pa.string())
    offsets = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=batch.num_rows)))).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def match_movements(batch: pa.RecordBatch, movements: Sequence[Movement]) -> pa.RecordBatch:
    """``batch`` with its ``movements`` column filled (nothing changes when no movements are given)."""
    if not movements:
        return batch
    idx = batch.schema.get_field_index("movements")
    return batch.set_column(idx, batch.schema.field(idx), movement_lists(batch, movements))
