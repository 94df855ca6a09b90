"""Our extraction against the entities Twitter itself attached to real tweets (API v2, twarc2 JSONL).

This pins what the conformance suite cannot: the index convention on real text full of emoji (Twitter
counts code points, as we do) and agreement at scale. Platform quirks are excluded, each for a stated
reason: a retweet's text is cut at 140 characters with "…" while its entities describe the full original
(so a cut-off "#Br…" has no entity); v2 omits the "RT @user:" mention and the leading reply handles
("@a @b text") from some payloads; a withheld or policy-blocked tweet's text is Twitter's notice
("@x's account has been withheld …"), with no entities. Twitter reports a mention under the account's
own capitalization (text "@FantasyandSciFi", entity "FantasyandScifi"), so names compare case-blind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import regex

from groundswell.text.extract import extract_hashtags_with_indices, extract_mentions_with_indices


def _tweets(api_dir: Path) -> list[dict[str, Any]]:
    seen: set[str] = set()
    tweets = []
    for path in sorted(api_dir.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            try:
                page = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue  # the stream-with-errors file has non-JSON lines on purpose
            data = page.get("data") if isinstance(page, dict) else None
            if isinstance(data, dict):
                data = [data]
            for tweet in data if isinstance(data, list) else []:
                if isinstance(tweet, dict) and "text" in tweet and tweet["id"] not in seen:
                    seen.add(tweet["id"])
                    tweets.append(tweet)
    return tweets


@pytest.fixture(scope="module")
def tweets(data_dir: Path) -> list[dict[str, Any]]:
    found = _tweets(data_dir / "twitter-api-v2")
    assert len(found) > 1000
    return found


def test_hashtags_and_offsets_match_twitter(tweets: list[dict[str, Any]]) -> None:
    compared = astral = 0
    for tweet in tweets:
        text = tweet["text"]
        if text.endswith("…"):
            continue
        want = [(h["tag"], h["start"], h["end"]) for h in (tweet.get("entities") or {}).get("hashtags", [])]
        assert extract_hashtags_with_indices(text) == want, text
        compared += 1
        astral += bool(want) and any(ord(c) > 0xFFFF for c in text)
    assert compared > 500
    assert astral >= 25  # enough emoji-laden tweets to prove the code-point convention


_REPLY_HANDLES = regex.compile(r"(?:[@＠]\w+\s+)*")
_NOTICE = regex.compile(r"[@＠]\w+'s account (?:has been withheld|is temporarily unavailable)")


def test_mentions_and_offsets_match_twitter(tweets: list[dict[str, Any]]) -> None:
    compared = 0
    for tweet in tweets:
        text = tweet["text"]
        if text.endswith("…") or text.startswith("RT @") or _NOTICE.match(text):
            continue
        body = _REPLY_HANDLES.match(text).end()
        entities = (tweet.get("entities") or {}).get("mentions", [])
        want = [(m["username"].lower(), m["start"], m["end"]) for m in entities if m["start"] >= body]
        got = [(name.lower(), start, end) for name, start, end in extract_mentions_with_indices(text) if start >= body]
        assert got == want, text
        compared += 1
    assert compared > 400
