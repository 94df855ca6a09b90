"""Entity extraction from post text: the one import other stages need.

Platform data often carries entities already (Twitter API ``entities``); this is for everything that does
not: scraped archives, CSV exports, other platforms' plain text. The rules are Twitter's (twitter-text),
checked case by case against Twitter's own conformance suite, in every script and on the astral plane.

Offsets are Python ``str`` indices (Unicode code points), as in Twitter's API, so ``text[start:end]`` is the
entity with its sign. Each function returns ``[]`` fast when the sign it needs is absent.
"""

from __future__ import annotations

from groundswell.text.hashtags import extract_hashtags, extract_hashtags_with_indices
from groundswell.text.mentions import (
    extract_cashtags,
    extract_cashtags_with_indices,
    extract_mentions,
    extract_mentions_or_lists_with_indices,
    extract_mentions_with_indices,
)
from groundswell.text.urls import extract_urls, extract_urls_with_indices

__all__ = [
    "extract_cashtags",
    "extract_cashtags_with_indices",
    "extract_hashtags",
    "extract_hashtags_with_indices",
    "extract_mentions",
    "extract_mentions_or_lists_with_indices",
    "extract_mentions_with_indices",
    "extract_urls",
    "extract_urls_with_indices",
]
