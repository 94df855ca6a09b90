"""Recorded-format streams for the replay server, built from the platform readers' real fixtures.

Each generated event is a copy of a real fixture event (``tests/sources/fixtures/bluesky_jetstream`` and
``mastodon``) with its ids, author, times and text changed, so the watcher reads exactly the shapes the
platforms send. Generation is seeded: the same call gives the same bytes, and the truth (which events are
the movement's, where the surge starts) is known independently of the code under test.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import orjson

FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"
JETSTREAM_FIXTURE = FIXTURES / "bluesky_jetstream" / "jetstream_metoo_sample.jsonl"
MASTODON_FIXTURE = FIXTURES / "mastodon" / "hashtag_timeline.json"

#: 2025-10-15T00:00:00Z, a bin boundary for any bin width dividing a day
T0 = 1_760_486_400


@dataclass
class Stream:
    frames: list[bytes]
    matching: set[str] = field(default_factory=set)  # post ids (at:// URIs / status ids) carrying #MeToo
    last_cursor: str = ""


def _post_template() -> dict:
    for line in JETSTREAM_FIXTURE.read_bytes().splitlines():
        ev = orjson.loads(line)
        if (
            ev.get("kind") == "commit"
            and ev["commit"]["collection"] == "app.bsky.feed.post"
            and "reply" not in ev["commit"]["record"]
        ):
            return ev
    raise AssertionError("fixture has no plain post")


def jetstream(
    counts: list[int], *, bin_seconds: int = 60, other_share: float = 0.3, authors: int = 400, seed: int = 0
) -> Stream:
    """Posts per bin with #MeToo given by ``counts``; plus non-movement posts and identity events."""
    rng = random.Random(seed)
    tpl = _post_template()
    items: list[tuple[float, dict, bool]] = []
    serial = 0
    for b, n in enumerate(counts):
        n_other = int(n * other_share / (1 - other_share)) + rng.randint(0, 2)
        for j in range(n + n_other):
            serial += 1
            t = T0 + b * bin_seconds + rng.random() * bin_seconds
            ev = copy.deepcopy(tpl)
            did = f"did:plc:live{rng.randrange(authors):06d}"
            ev["did"] = did
            ev["commit"]["rkey"] = f"3lv{serial:010d}"
            rec = ev["commit"]["record"]
            matching = j < n
            tag = "MeToo" if matching else "Caturday"
            rec["text"] = f"Post {serial}: #{tag} is why I speak up."
            start = len(f"Post {serial}: ".encode())
            rec["facets"] = [
                {
                    "index": {"byteStart": start, "byteEnd": start + 1 + len(tag)},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": tag}],
                }
            ]
            items.append((t, ev, matching))
        if b % 5 == 0:  # identity events ride the same stream and are not posts
            t = T0 + b * bin_seconds + rng.random() * bin_seconds
            items.append((t, {"did": "did:plc:ident0000", "time_us": 0, "kind": "identity", "identity": {}}, False))
    items.sort(key=lambda x: x[0])
    frames, matching_ids = [], set()
    for i, (t, ev, matching) in enumerate(items):
        ev["time_us"] = int(t * 1_000_000) + i % 7  # the relay clock: strictly after creation, unique enough
        if "commit" in ev:
            ms = int(t * 1000)
            ev["commit"]["record"]["createdAt"] = _iso_ms(ms)
            if matching:
                matching_ids.add(f"at://{ev['did']}/app.bsky.feed.post/{ev['commit']['rkey']}")
        frames.append(orjson.dumps(ev))
    return Stream(frames, matching_ids, str(orjson.loads(frames[-1])["time_us"]))


def _iso_ms(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def surge_counts(*, quiet: int = 30, surge: int = 6, after: int = 4, base: float = 8.0, high: int = 90, seed: int = 1):
    """Poisson-ish quiet bins around ``base``, then ``surge`` bins of about ``high``; the onset is bin ``quiet``."""
    rng = random.Random(seed)

    def around(mu: float) -> int:
        return max(0, round(rng.gauss(mu, mu**0.5)))

    return (
        [around(base) for _ in range(quiet)]
        + [around(high) for _ in range(surge)]
        + [around(base) for _ in range(after)]
    )


def mastodon_statuses(n: int, *, seed: int = 0) -> list[dict]:
    """``n`` #MeToo statuses in increasing id order, one a minute, from a fixture status."""
    tpl = json.loads(MASTODON_FIXTURE.read_text())[0]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        st = copy.deepcopy(tpl)
        st["id"] = str(113_400_000_000_000_000 + i * 1000)
        st["created_at"] = _iso_ms((T0 + 60 * i) * 1000)
        user = f"user{rng.randrange(200)}"
        st["account"] = {
            **st["account"],
            "id": str(109_000 + i),
            "username": user,
            "acct": user,
            "url": f"https://mastodon.example/@{user}",
        }
        st["uri"] = f"https://mastodon.example/users/{user}/statuses/{st['id']}"
        st["url"] = f"https://mastodon.example/@{user}/{st['id']}"
        st["content"] = (
            f'<p>Status {i}. <a href="https://mastodon.example/tags/MeToo" class="mention hashtag" rel="tag">'
            "#<span>MeToo</span></a> still matters.</p>"
        )
        st["tags"] = [{"name": "MeToo", "url": "https://mastodon.example/tags/metoo"}]
        st["mentions"] = []
        st["reblog"] = None
        out.append(st)
    return out
