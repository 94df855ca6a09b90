"""Arrow in, Arrow out: entity extraction for the enrich stage.

The same functions run locally on a DuckDB batch and inside Spark's ``mapInArrow``, so they hold no state
besides the compiled patterns and take or return nothing but Arrow arrays (or plain lists, for tests and
small jobs). They run on every post that came without platform entities, millions of them, so the loop is
written for speed: one pass per post, cheap sign checks before any regex, URLs found once and reused for the
hashtag/mention overlap check, and the output built as flat value lists plus offsets rather than as
millions of small Python lists.

A null text gives null lists (nothing is known); an empty text gives empty lists.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.text.hashtags import drop_inside_urls, hashtag_matches, signed_matches
from groundswell.text.mentions import MENTION_RE
from groundswell.text.normalize import normalize_hashtag
from groundswell.text.urls import extract_urls_with_indices

ENTITY_KEYS = ("hashtags", "mentions", "urls")


def _as_pylist(texts: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> list[str | None]:
    if isinstance(texts, pa.ChunkedArray | pa.Array):
        if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
            raise TypeError(f"expected a string array, got {texts.type}")
        return texts.to_pylist()
    return list(texts)


def list_array(values: list[str], offsets: list[int], valid: list[bool] | None = None) -> pa.Array:
    """A ``list<string>`` array from flat values and running offsets: no Python list per row."""
    mask = None if valid is None else pa.array([not v for v in valid], pa.bool_())
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.string()), mask=mask)


def extract_entities(texts: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> dict[str, pa.Array]:
    """Hashtags, mentions and URLs of every text, as ``list<string>`` arrays of the same length.

    Row ``i`` of each array equals ``extract_hashtags(texts[i])``, ``extract_mentions(texts[i])`` and
    ``extract_urls(texts[i])``.
    """
    rows = _as_pylist(texts)
    tags: list[str] = []
    mentions: list[str] = []
    urls: list[str] = []
    tag_offsets = [0]
    mention_offsets = [0]
    url_offsets = [0]
    valid: list[bool] | None = None
    for i, text in enumerate(rows):
        if text is None:
            if valid is None:
                valid = [True] * len(rows)
            valid[i] = False
        elif text:
            found_urls = extract_urls_with_indices(text) if "." in text else []
            url_text = " ".join([u for u, _, _ in found_urls]) if found_urls else ""
            if url_text:
                urls.extend([u for u, _, _ in found_urls])
            if "#" in text or "＃" in text:
                matches = hashtag_matches(text)
                # An entity can only be dropped for starting inside a URL, so only when a URL holds its sign.
                if matches and ("#" in url_text or "＃" in url_text):
                    spans = drop_inside_urls([(m.group(1), m.start(), m.end()) for m in matches], found_urls)
                    tags.extend([tag for tag, _, _ in spans])
                else:
                    tags.extend([m.group(1) for m in matches])
            if "@" in text or "＠" in text:
                matches = signed_matches(MENTION_RE, text, "@", "＠")
                if matches and ("@" in url_text or "＠" in url_text):
                    # Lists take part in the overlap resolution, as in extract_mentions; dropped after it.
                    is_list = {m.start(): m.group(2) is not None for m in matches}
                    spans = drop_inside_urls([(m.group(1), m.start(), m.end()) for m in matches], found_urls)
                    mentions.extend([name for name, start, _ in spans if not is_list[start]])
                else:
                    mentions.extend([m.group(1) for m in matches if m.group(2) is None])
        tag_offsets.append(len(tags))
        mention_offsets.append(len(mentions))
        url_offsets.append(len(urls))
    return {
        "hashtags": list_array(tags, tag_offsets, valid),
        "mentions": list_array(mentions, mention_offsets, valid),
        "urls": list_array(urls, url_offsets, valid),
    }


def normalize_hashtags(tags: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``list<string>`` of hashtags as written -> the same lists normalized (NFKC + casefold).

    Tags repeat massively in a movement (``MeToo`` hundreds of thousands of times), so each distinct spelling
    is normalized once.
    """
    if isinstance(tags, pa.ChunkedArray):
        tags = tags.combine_chunks()
    if not (pa.types.is_list(tags.type) or pa.types.is_large_list(tags.type)):
        raise TypeError(f"expected a list<string> array, got {tags.type}")
    flat = tags.values
    uniq = pc.unique(flat)
    done = pa.array([None if t is None else normalize_hashtag(t) for t in uniq.to_pylist()], pa.string())
    values = pc.take(done, pc.index_in(flat, uniq))
    list_type = type(tags)
    return list_type.from_arrays(tags.offsets, values, mask=tags.is_null() if tags.null_count else None)
