"""Mastodon statuses as captured from the streaming API (server-sent events).

What ``curl https://<instance>/api/v1/streaming/public`` (or ``/hashtag?tag=metoo``) saves: a ``:)`` comment
on connect, ``:thump`` heartbeat comments in quiet moments, and per status two lines, ``event: update`` and
``data: <Status JSON>``, then a blank line. The Status follows the REST entity: ``id`` (a Mastodon snowflake
of the creation time), ``created_at``, ``in_reply_to_id``, ``in_reply_to_account_id``, ``visibility``,
``language``, ``uri``, ``url``, counts, ``content`` as HTML (hashtags and mentions are links), ``account``,
``mentions``, ``tags`` and ``reblog``. A boost is a status of its own whose ``reblog`` holds the boosted
status in full; its own ``content`` is empty and its ``language`` null, as Mastodon sends them.

Accounts on the capturing instance (the first of ``MASTODON_INSTANCES``) have ``acct`` = username; remote
ones ``username@instance``.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from groundswell.simulate.authors import MASTODON_INSTANCES, Author
from groundswell.simulate.config import SimConfig
from groundswell.simulate.record import Post
from groundswell.simulate.texts import HASHTAG, LINK
from groundswell.simulate.writers.base import Writer

HOME = MASTODON_INSTANCES[0]
HEARTBEAT_MS = 15_000


class MastodonWriter(Writer):
    platform = "mastodon"

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        super().__init__(out, cfg)
        self.f = self.open(f"mastodon/{cfg.movement}-streaming.sse")
        self.f.write(b":)\n")
        self.last_ms: int | None = None

    def write(self, post: Post) -> None:
        if self.last_ms is not None and post.unix_ms - self.last_ms >= HEARTBEAT_MS:
            self.f.write(b":thump\n")
        self.last_ms = post.unix_ms
        a = post.author
        post.uri = f"https://{a.instance}/users/{a.handle}/statuses/{post.post_id}"
        parent = post.parent
        if post.kind == "repost" and parent is not None:
            status = self._status(post, content="", language=None)
            status["uri"] = post.uri + "/activity"
            status["url"] = None
            status["reblog"] = parent.extra["json"]
        else:
            status = self._status(post, content=_html(post), language=post.lang)
            post.extra["json"] = status
        self.f.write(b"event: update\ndata: " + orjson.dumps(status) + b"\n\n")

    def _status(self, post: Post, content: str, language: str | None) -> dict[str, Any]:
        parent = post.parent
        reply = post.kind == "reply" and parent is not None
        tags = [] if post.kind == "repost" else sorted({t.lower() for t in HASHTAG.findall(post.text)})
        mentions = []
        if reply:
            pa = parent.author
            mentions = [{"id": pa.id, "username": pa.handle, "url": _profile(pa), "acct": _acct(pa)}]
        return {
            "id": post.post_id,
            "created_at": post.iso_ms(),
            "in_reply_to_id": parent.post_id if reply else None,
            "in_reply_to_account_id": parent.author.id if reply else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": language,
            "uri": post.uri,
            "url": f"https://{post.author.instance}/@{post.author.handle}/{post.post_id}",
            "replies_count": post.replies,
            "reblogs_count": post.reposts,
            "favourites_count": post.likes,
            "edited_at": None,
            "content": content,
            "reblog": None,
            "account": _account(post.author),
            "media_attachments": [],
            "mentions": mentions,
            "tags": [{"name": t, "url": f"https://{HOME}/tags/{t}"} for t in tags],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def close(self) -> None:
        self.f.close()


def _acct(a: Author) -> str:
    return a.handle if a.instance == HOME else f"{a.handle}@{a.instance}"


def _profile(a: Author) -> str:
    return f"https://{a.instance}/@{a.handle}"


def _account(a: Author) -> dict[str, Any]:
    created = datetime.fromtimestamp(a.created_ms // 86_400_000 * 86_400, tz=UTC)
    return {
        "id": a.id,
        "username": a.handle,
        "acct": _acct(a),
        "display_name": a.name,
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "note": "",
        "url": _profile(a),
        "avatar": f"https://{a.instance}/avatars/original/missing.png",
        "followers_count": a.followers,
        "following_count": a.following,
        "statuses_count": a.statuses,
        "emojis": [],
        "fields": [],
    }


def _html(post: Post) -> str:
    """The status text as Mastodon renders it: escaped, with hashtags, links and the replied-to mention linked."""
    text = html.escape(post.text, quote=False)

    def tag(m: Any) -> str:
        t = m.group(1)
        return f'<a href="https://{HOME}/tags/{t.lower()}" class="mention hashtag" rel="tag">#<span>{t}</span></a>'

    text = LINK.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow noopener noreferrer">{m.group(0)}</a>', text)
    text = HASHTAG.sub(tag, text)
    if post.kind == "reply" and post.parent is not None:
        pa = post.parent.author
        text = (
            f'<span class="h-card"><a href="{_profile(pa)}" class="u-url mention">@<span>{pa.handle}</span></a>'
            f"</span> {text}"
        )
    return f"<p>{text}</p>"
