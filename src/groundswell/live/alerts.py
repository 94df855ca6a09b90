"""Alerts: a burst onset on a live hashtag, told to a person (stdout), a file and a webhook.

An alert says *that* a hashtag surged and by how much, never who posted: it carries the hashtag, the bin, the
post and author counts, the baseline and the detector's score — no text, no account. An onset carried by
fewer than ``k`` distinct authors is not announced at all (the watcher checks), for the same reason every
table suppresses small cells: a "surge" of three people points at those three people.

The webhook is rate-limited: at most one POST per ``min_interval`` seconds. Alerts that come sooner are held
back and counted, and the next POST says how many were held back (``suppressed``) — a storm of onsets across
many hashtags must not become a storm of requests to someone's chat channel.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, TextIO

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Alert:
    movement: str
    key: str  # the normalized hashtag, or "phrase"
    bin_start: str  # ISO 8601 UTC start of the bin that raised the alarm
    bin_seconds: float
    posts: int
    authors: int
    baseline: float
    score: float
    detected_at: str  # wall-clock time of detection, ISO 8601 UTC

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"[groundswell] surge: #{self.key} ({self.movement}) {self.posts} posts by {self.authors} authors "
            f"in the {self.bin_seconds:g}s bin starting {self.bin_start} (baseline {self.baseline:.1f})"
        )


class Sink(Protocol):
    def send(self, alert: Alert) -> None: ...


class StdoutSink:
    """One human-readable line per alert."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out

    def send(self, alert: Alert) -> None:
        print(alert.line(), file=self.out or sys.stdout, flush=True)


class JsonLinesSink:
    """Appends one JSON object per alert: a log that other tools can tail."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def send(self, alert: Alert) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(alert.to_dict(), sort_keys=True) + "\n")


class WebhookSink:
    """POSTs each alert as JSON, at most one request per ``min_interval`` seconds."""

    def __init__(self, url: str, *, min_interval: float = 60.0, timeout: float = 10.0) -> None:
        self.url, self.min_interval, self.timeout = url, min_interval, timeout
        self._last: float | None = None
        self.suppressed = 0  # held back since the last POST
        self.sent = 0
        self.failed = 0

    def send(self, alert: Alert) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.min_interval:
            self.suppressed += 1
            return
        body = {**alert.to_dict(), "suppressed": self.suppressed}
        req = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "User-Agent": "groundswell-watch"},
            method="POST",
        )
        self._last = now
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
            self.sent += 1
            self.suppressed = 0
        except OSError as e:  # a webhook that is down must not stop the watcher
            self.failed += 1
            log.warning("webhook %s failed: %s", self.url, e)
