"""Where the real data the diffusion tests read lives: beside the repo in ../shared, read in place."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
TWARC2 = DATA / "twitter-api-v2"
#: real twarc2 pages with replies, quotes and retweets, and the referenced tweets in ``includes``
TWARC2_FILES = ("entities_test.jsonl", "withheld.jsonl", "noflat.jsonl")
