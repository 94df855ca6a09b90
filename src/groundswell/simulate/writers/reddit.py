"""Reddit submissions and comments as Pushshift NDJSON dumps (``RS_*`` and ``RC_*`` files).

One JSON object a line, compact, with Pushshift's field names: submissions carry ``id``, ``author``,
``author_fullname``, ``created_utc`` (integer seconds), ``subreddit``, ``subreddit_id``, ``title``,
``selftext``, ``permalink``, ``url``, ``num_comments``, ``score``; comments carry ``id``, ``body``,
``link_id`` (``t3_`` + the submission id), ``parent_id`` (``t3_`` for a top-level comment, ``t1_`` + the
parent comment id otherwise), ``permalink``, ``score``. Ids are base 36, as Reddit's are. A simulated
submission is a self post whose title is the text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from groundswell.simulate.config import SimConfig
from groundswell.simulate.ids import base36, mix
from groundswell.simulate.record import Post
from groundswell.simulate.writers.base import Writer

SUBREDDITS = ("TwoXChromosomes", "news", "AskWomen", "MensLib", "worldnews", "TrueOffMyChest", "feminisms")
_SLUG = re.compile(r"[^a-z0-9]+")


class RedditWriter(Writer):
    platform = "reddit"

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        super().__init__(out, cfg)
        self.subs = self.open(f"reddit/RS_{cfg.movement}.ndjson")
        self.comments = self.open(f"reddit/RC_{cfg.movement}.ndjson")
        self.retrieved = int(cfg.start.timestamp() + cfg.hours * 3600)

    def write(self, post: Post) -> None:
        a = post.author
        created = post.unix_ms // 1000
        if post.kind == "original":
            sub = SUBREDDITS[mix(post.draw, 3) % len(SUBREDDITS)]
            post.community = sub
            slug = _SLUG.sub("_", post.text.lower()).strip("_")[:50].rstrip("_") or "metoo"
            permalink = f"/r/{sub}/comments/{post.post_id}/{slug}/"
            post.uri = permalink
            rec: dict[str, Any] = {
                "author": a.handle,
                "author_fullname": a.id,
                "created_utc": created,
                "domain": f"self.{sub}",
                "id": post.post_id,
                "is_self": True,
                "num_comments": post.replies,
                "over_18": False,
                "permalink": permalink,
                "retrieved_on": self.retrieved,
                "score": post.likes + 1,
                "selftext": "",
                "subreddit": sub,
                "subreddit_id": _subreddit_id(sub),
                "subreddit_type": "public",
                "title": post.text,
                "url": "https://www.reddit.com" + permalink,
            }
            self.subs.write(orjson.dumps(rec) + b"\n")
            return
        thread, parent = post.thread, post.parent
        assert thread is not None and parent is not None
        sub = thread.community
        post.community = sub
        parent_id = ("t3_" if parent.kind == "original" else "t1_") + parent.post_id
        permalink = f"{thread.uri}{post.post_id}/"
        post.uri = thread.uri
        rec = {
            "author": a.handle,
            "author_fullname": a.id,
            "body": post.text,
            "controversiality": 0,
            "created_utc": created,
            "id": post.post_id,
            "is_submitter": False,
            "link_id": "t3_" + thread.post_id,
            "parent_id": parent_id,
            "permalink": permalink,
            "retrieved_on": self.retrieved,
            "score": post.likes + 1,
            "stickied": False,
            "subreddit": sub,
            "subreddit_id": _subreddit_id(sub),
        }
        self.comments.write(orjson.dumps(rec) + b"\n")

    def close(self) -> None:
        self.subs.close()
        self.comments.close()


def _subreddit_id(sub: str) -> str:
    return "t5_" + base36(100_000 + SUBREDDITS.index(sub) * 7919)
