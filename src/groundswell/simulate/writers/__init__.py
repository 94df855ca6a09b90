"""One writer per output format; each platform is written in the format its real data comes in."""

from __future__ import annotations

from groundswell.simulate.writers.base import Writer
from groundswell.simulate.writers.crowdtangle import CrowdTangleWriter
from groundswell.simulate.writers.jetstream import JetstreamWriter
from groundswell.simulate.writers.mastodon import MastodonWriter
from groundswell.simulate.writers.reddit import RedditWriter
from groundswell.simulate.writers.twarc2 import Twarc2Writer

WRITERS: dict[str, type[Writer]] = {
    "twitter": Twarc2Writer,
    "facebook": CrowdTangleWriter,
    "bluesky": JetstreamWriter,
    "mastodon": MastodonWriter,
    "reddit": RedditWriter,
}

__all__ = ["WRITERS", "Writer"]
