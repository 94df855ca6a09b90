"""Live: watch a movement as it happens on Bluesky (Jetstream) and Mastodon, store it, and alert on surges.

``Watcher`` runs the sources, stores their posts through the same enrich and store path as files, saves
each stream's cursor with its posts, and runs an online burst detector per hashtag on event-time bins.
``status(store)`` is what a dashboard reads.
"""

from groundswell.live.alerts import Alert, JsonLinesSink, StdoutSink, WebhookSink
from groundswell.live.cursors import status
from groundswell.live.filter import MovementFilter
from groundswell.live.jetstream import JetstreamSource
from groundswell.live.mastodon import MastodonSource
from groundswell.live.reconnect import Backoff
from groundswell.live.watcher import Commit, WatchConfig, Watcher

__all__ = [
    "Alert",
    "Backoff",
    "Commit",
    "JetstreamSource",
    "JsonLinesSink",
    "MastodonSource",
    "MovementFilter",
    "StdoutSink",
    "WatchConfig",
    "Watcher",
    "WebhookSink",
    "status",
]
