"""Twitter API v2 response pages as twarc2 writes them: one JSON page a line.

Follows the real pages in ``shared/data/twitter-api-v2/*.jsonl`` field by field: ``data`` (tweets with
``entities`` — hashtags / mentions / urls with code-point ``start``/``end`` — ``author_id``, ``text``,
``referenced_tweets``, ``in_reply_to_user_id``, ``conversation_id``, ``public_metrics``, ``lang``, ``id``,
``created_at``), ``includes.users`` (every author and replied-to account of the page) and
``includes.tweets`` (every referenced tweet, in full), ``meta`` (newest/oldest id, count, next token) and
``__twarc`` (the request URL, twarc version, and a retrieval time fixed at the window's end — never the
clock). Encoded like twarc (``json.dumps`` defaults: ASCII escapes, ``", "`` separators).

Replies start with ``@handle``; quotes end with a t.co link to the quoted tweet; retweets read
``RT @handle: <text>`` cut at 140 characters with an ellipsis, as the v2 API returns them. Links are
t.co-wrapped with the expansion in ``entities.urls``.

Unlike a search (newest first), pages here run oldest first: the simulator writes in time order. Readers
must not depend on the order of lines.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from groundswell.simulate.authors import Author
from groundswell.simulate.config import SimConfig
from groundswell.simulate.record import Post, iso_seconds
from groundswell.simulate.texts import LINK, hashtags
from groundswell.simulate.writers.base import Writer, short_code

_TCO = re.compile(r"https://t\.co/")
_SOURCES = ("Twitter for iPhone", "Twitter for Android", "Twitter Web Client", "TweetDeck", "Twitter for iPad")
_FIELDS = (
    "expansions=author_id%2Cin_reply_to_user_id%2Creferenced_tweets.id%2Creferenced_tweets.id.author_id"
    "&tweet.fields=author_id%2Cconversation_id%2Ccreated_at%2Centities%2Cid%2Cin_reply_to_user_id%2Clang"
    "%2Cpublic_metrics%2Ctext%2Cpossibly_sensitive%2Creferenced_tweets%2Creply_settings%2Csource"
    "&user.fields=created_at%2Cdescription%2Cid%2Cname%2Cprotected%2Cpublic_metrics%2Cusername%2Cverified"
    "&max_results=100"
)


class Twarc2Writer(Writer):
    platform = "twitter"

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        super().__init__(out, cfg)
        self.f = self.open(f"twitter/{cfg.movement}-twarc2.jsonl")
        self.page: list[_Entry] = []
        self.held: list[_Entry] | None = None
        self.n_pages = 0
        self.users: dict[str, tuple[str, str]] = {}
        end = cfg.start.timestamp() + cfg.hours * 3600
        self.retrieved_at = datetime.fromtimestamp(end, tz=UTC).isoformat()
        query = urllib.parse.quote(f"#{cfg.movement} OR #{cfg.movement}", safe="")
        self.url = f"https://api.twitter.com/2/tweets/search/all?{_FIELDS}&query={query}"
        self.twarc = _dumps({"url": self.url, "version": "2.13.0", "retrieved_at": self.retrieved_at})

    def write(self, post: Post) -> None:
        post.extra["text"] = self._render(post)
        tweet = self._tweet(post)
        # encoded once here; a page is spliced together from these fragments (and a referenced tweet's
        # fragment is reused by every page that includes it), which is what json.dumps of the page would give
        encoded = _dumps(tweet)
        post.extra["json"] = (post.post_id, encoded)
        users = [self._user(post.author)]
        ref = None
        if post.parent is not None:
            users.append(self._user(post.parent.author))
            ref = post.parent.extra["json"]
        self.page.append((post.post_id, encoded, users, ref))
        if len(self.page) == self.cfg.page_size:
            if self.held is not None:
                self._flush(self.held, last=False)
            self.held, self.page = self.page, []

    def _user(self, a: Author) -> tuple[str, str]:
        """(id, encoded user object) of an account, cached by id for this run (cheaper than hashing ``a``)."""
        hit = self.users.get(a.id)
        if hit is None:
            if len(self.users) >= 50_000:
                self.users.clear()
            hit = self.users[a.id] = (a.id, _dumps(_user_object(a)))
        return hit

    def close(self) -> None:
        if self.held is not None:
            self._flush(self.held, last=not self.page)
        if self.page:
            self._flush(self.page, last=True)
        self.f.close()

    # -- rendering --

    def _render(self, post: Post) -> str:
        parent = post.parent
        if post.kind == "repost":
            assert parent is not None
            full = f"RT @{parent.author.handle}: {parent.extra['text']}"
            return full if len(full) <= 140 else full[:139] + "…"
        body = LINK.sub(lambda m: "https://t.co/" + short_code(post.draw, m.start()), post.text)
        post.extra["links"] = [m.group(0) for m in LINK.finditer(post.text)]
        if post.kind == "reply":
            assert parent is not None
            return f"@{parent.author.handle} {body}"
        if post.kind == "quote":
            return f"{body} https://t.co/{short_code(post.draw, 7777)}"
        return body

    def _tweet(self, post: Post) -> dict[str, Any]:
        text = post.extra["text"]
        parent = post.parent
        entities: dict[str, Any] = {}
        tags = hashtags(text)
        if tags:
            entities["hashtags"] = [{"start": s, "end": e, "tag": t} for t, s, e in tags]
        if post.kind in ("reply", "repost") and parent is not None:
            h = parent.author.handle
            at = text.index("@" + h)
            entities["mentions"] = [{"start": at, "end": at + 1 + len(h), "username": h, "id": parent.author.id}]
        urls = []
        if post.kind != "repost":
            expanded = list(post.extra.pop("links", []))
            tco = [m.start() for m in _TCO.finditer(text)]
            if post.kind == "quote" and parent is not None:
                expanded.append(f"https://twitter.com/{parent.author.handle}/status/{parent.post_id}")
            for start, exp in zip(tco, expanded, strict=False):
                end = start + len("https://t.co/") + 10
                display = exp.split("://", 1)[1]
                display = display if len(display) <= 26 else display[:25] + "…"
                urls.append(
                    {"start": start, "end": end, "url": text[start:end], "expanded_url": exp, "display_url": display}
                )
        if urls:
            entities["urls"] = urls
        t: dict[str, Any] = {}
        if entities:
            t["entities"] = entities
        t["author_id"] = post.author.id
        t["text"] = text
        refs = []
        if parent is not None:
            if post.kind == "reply":
                t["in_reply_to_user_id"] = parent.author.id
                refs.append({"type": "replied_to", "id": parent.post_id})
            elif post.kind == "quote":
                refs.append({"type": "quoted", "id": parent.post_id})
            elif post.kind == "repost":
                refs.append({"type": "retweeted", "id": parent.post_id})
        if refs:
            t["referenced_tweets"] = refs
        t["reply_settings"] = "everyone"
        t["conversation_id"] = post.thread.post_id if post.thread is not None else post.post_id
        t["possibly_sensitive"] = False
        t["source"] = _SOURCES[post.draw % len(_SOURCES)]
        if post.kind == "repost" and parent is not None:
            metrics = {"retweet_count": parent.reposts, "reply_count": 0, "like_count": 0, "quote_count": 0}
        else:
            metrics = {
                "retweet_count": post.reposts,
                "reply_count": post.replies,
                "like_count": post.likes,
                "quote_count": post.quotes,
            }
        t["public_metrics"] = metrics
        t["lang"] = post.lang
        t["edit_history_tweet_ids"] = [post.post_id]
        t["id"] = post.post_id
        t["created_at"] = post.iso_ms()
        return t

    def _flush(self, entries: list[_Entry], last: bool) -> None:
        users: dict[str, str] = {}
        refs: dict[str, str] = {}
        for _, _, tweet_users, ref in entries:
            for uid, u in tweet_users:
                users.setdefault(uid, u)
            if ref is not None:
                refs.setdefault(ref[0], ref[1])
        includes = '{"users": [' + ", ".join(users.values()) + "]"
        if refs:
            includes += ', "tweets": [' + ", ".join(refs.values()) + "]"
        ids = [int(e[0]) for e in entries]
        meta: dict[str, Any] = {"newest_id": str(max(ids)), "oldest_id": str(min(ids)), "result_count": len(entries)}
        self.n_pages += 1
        if not last:
            meta["next_token"] = short_code(self.cfg.seed, self.n_pages, length=40).lower()
        page = (
            '{"data": ['
            + ", ".join(e[1] for e in entries)
            + '], "includes": '
            + includes
            + '}, "meta": '
            + _dumps(meta)
            + ', "__twarc": '
            + self.twarc
            + "}\n"
        )
        self.f.write(page.encode("ascii"))


#: (tweet id, encoded tweet, [(user id, encoded user)], (id, encoded) of the referenced tweet or None)
_Entry = tuple[str, str, list[tuple[str, str]], tuple[str, str] | None]
#: json.dumps with its defaults (ASCII escapes, ", " and ": " separators), as twarc writes pages
_dumps = json.JSONEncoder().encode


def _user_object(a: Author) -> dict[str, Any]:
    created = iso_seconds(a.created_ms // 1000) + ".000Z"
    return {
        "name": a.name,
        "verified": False,
        "description": "",
        "protected": False,
        "id": a.id,
        "username": a.handle,
        "created_at": created,
        "public_metrics": {
            "followers_count": a.followers,
            "following_count": a.following,
            "tweet_count": a.statuses,
            "listed_count": a.followers // 200,
        },
    }
