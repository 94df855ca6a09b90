"""Twitter's own conformance suite (twitter-text extract.yml), one test per case, ids from its descriptions.

Every section we implement is run. No case is expected to fail; if one ever must, list it in
``KNOWN_FAILURES`` (section -> descriptions) and it becomes a strict xfail, so a fix shows up as XPASS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from groundswell.text.extract import (
    extract_cashtags,
    extract_cashtags_with_indices,
    extract_hashtags,
    extract_hashtags_with_indices,
    extract_mentions,
    extract_mentions_or_lists_with_indices,
    extract_mentions_with_indices,
    extract_urls,
    extract_urls_with_indices,
)

KNOWN_FAILURES: dict[str, set[str]] = {}


def _with_indices(key: str, extract: Callable[[str], list[tuple[str, int, int]]]) -> Callable[[str], list[dict]]:
    return lambda text: [{key: value, "indices": [start, end]} for value, start, end in extract(text)]


def _mentions_or_lists(text: str) -> list[dict]:
    return [
        {"screen_name": name, "list_slug": slug, "indices": [start, end]}
        for name, slug, start, end in extract_mentions_or_lists_with_indices(text)
    ]


SECTIONS: dict[str, Callable[[str], Any]] = {
    "hashtags": extract_hashtags,
    "hashtags_from_astral": extract_hashtags,
    "hashtags_with_indices": _with_indices("hashtag", extract_hashtags_with_indices),
    "mentions": extract_mentions,
    "mentions_with_indices": _with_indices("screen_name", extract_mentions_with_indices),
    "mentions_or_lists_with_indices": _mentions_or_lists,
    "urls": extract_urls,
    "urls_with_indices": _with_indices("url", extract_urls_with_indices),
    "urls_with_directional_markers": _with_indices("url", extract_urls_with_indices),
    "tco_urls_with_params": extract_urls,
    "cashtags": extract_cashtags,
    "cashtags_with_indices": _with_indices("cashtag", extract_cashtags_with_indices),
}


def test_conformance(conformance_case: tuple[str, str, Any]) -> None:
    section, text, expected = conformance_case
    assert SECTIONS[section](text) == expected


def test_suite_sections_we_claim_are_all_present(conformance_suite: dict[str, list]) -> None:
    """Guards against a renamed section silently dropping its cases from the run."""
    suite = conformance_suite
    assert set(SECTIONS) <= set(suite)
    assert sum(len(suite[s]) for s in ("hashtags", "hashtags_from_astral", "hashtags_with_indices")) == 76
