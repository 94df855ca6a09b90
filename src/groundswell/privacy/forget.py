"""Forgetting: when a post or an account is deleted upstream, it is deleted here, everywhere.

"Everywhere" means every place groundswell copied it: the post row, reposts that carry its text, quarantined
excerpts that mention it, derived tables (recomputed from posts, so simply dropped), export files the store
manages, and — because a DELETE only marks rows — the bytes of the database file itself, which is rewritten
after every forget. The audit log keeps counts, never content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from groundswell.privacy.pseudonyms import Pseudonymizer
from groundswell.store.duckdb_store import Store


@dataclass
class ForgetResult:
    posts: int = 0
    reposts: int = 0
    quarantine: int = 0
    exports: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "posts": self.posts,
            "reposts": self.reposts,
            "quarantine": self.quarantine,
            "exports": len(self.exports),
        }


def _account_key(handle_or_id: str) -> str:
    """The raw account key readers use: numeric ids as they are, handles as '@' + lowercase."""
    s = handle_or_id.strip()
    if s.isdigit() or s.startswith("did:"):
        return s
    return "@" + s.lstrip("@").lower()


def forget(
    store: Store,
    *,
    posts: Iterable[str] = (),
    authors: Iterable[str] = (),
    platform: str = "twitter",
    reason: str = "request",
) -> ForgetResult:
    """Remove posts (by id) and every post of accounts (by handle or platform id), then rewrite the file."""
    post_ids = sorted({p.strip() for p in posts if p.strip()})
    pseudo = Pseudonymizer(store.pseudonym_key())
    author_ids = sorted({p for a in authors if a.strip() and (p := pseudo(platform, _account_key(a)))})
    res = ForgetResult()
    con = store.con
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        con.execute("CREATE TEMP TABLE _forget (post_id VARCHAR)").fetchall()
        if post_ids:
            con.executemany("INSERT INTO _forget VALUES (?)", [[p] for p in post_ids])
        if author_ids:
            con.execute(
                "INSERT INTO _forget SELECT post_id FROM posts WHERE platform = ? "
                "AND (list_contains(?, author_id) OR list_contains(?, author_alias))",
                [platform, author_ids, author_ids],
            ).fetchall()
        # reposts copy the text of what they repost: they go with it
        res.reposts = _count(
            store,
            "SELECT count(*) FROM posts WHERE platform = ? AND repost_of IN (SELECT post_id FROM _forget) "
            "AND post_id NOT IN (SELECT post_id FROM _forget)",
            [platform],
        )
        con.execute(
            "INSERT INTO _forget SELECT post_id FROM posts WHERE platform = ? AND repost_of IN (SELECT post_id FROM _forget)",
            [platform],
        ).fetchall()
        res.posts = (
            _count(
                store,
                "SELECT count(*) FROM posts WHERE platform = ? AND post_id IN (SELECT post_id FROM _forget)",
                [platform],
            )
            - res.reposts
        )
        con.execute(
            "DELETE FROM posts WHERE platform = ? AND post_id IN (SELECT post_id FROM _forget)", [platform]
        ).fetchall()
        # quarantined raw excerpts that name a forgotten post
        res.quarantine = _count(
            store,
            "SELECT count(*) FROM quarantine q WHERE EXISTS (SELECT 1 FROM _forget f WHERE contains(q.excerpt, f.post_id))",
        )
        con.execute(
            "DELETE FROM quarantine q WHERE EXISTS (SELECT 1 FROM _forget f WHERE contains(q.excerpt, f.post_id))"
        ).fetchall()
        con.execute("DROP TABLE _forget").fetchall()
        store.drop_derived()
        res.exports = store.remove_managed_exports()
        store.audit(
            "forget",
            {"reason": reason, **res.to_dict(), "requested_posts": len(post_ids), "requested_authors": len(author_ids)},
        )
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    store.compact()
    return res


def _count(store: Store, sql: str, params: list | None = None) -> int:
    return int(store.scalar(sql, params) or 0)


def read_compliance(path: str | Path) -> tuple[list[str], str]:
    """Ids to delete from a twarc2 compliance output file, and whether they are tweets or users.

    Compliance lines don't say which kind of job made them; twarc names the files, so the name decides
    (``users`` in it → user ids), and the caller may override.
    """
    ids = []
    for line in Path(path).read_bytes().splitlines():
        if not line.strip():
            continue
        obj = orjson.loads(line)
        if obj.get("action") in {"delete", "deactivate", "suspend", "protect", "scrub_geo"} and obj.get("id"):
            ids.append(str(obj["id"]))
    kind = "users" if "user" in Path(path).name.lower() else "tweets"
    return ids, kind


def expire(store: Store, days: int) -> ForgetResult:
    """Retention: forget every post created more than ``days`` days ago."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    res = ForgetResult()
    for platform in [r["platform"] for r in store.sql("SELECT DISTINCT platform FROM posts").to_pylist()]:
        old = [
            r["post_id"]
            for r in store.sql(
                "SELECT post_id FROM posts WHERE platform = ? AND created_at < ?", [platform, cutoff]
            ).to_pylist()
        ]
        if old:
            r = forget(store, posts=old, platform=platform, reason=f"expire-after {days} days")
            res.posts += r.posts
            res.reposts += r.reposts
            res.quarantine += r.quarantine
    return res


def audit_log(store: Store) -> list[dict]:
    return [
        {**r, "detail": json.loads(r["detail"])}
        for r in store.sql("SELECT happened, action, detail FROM audit ORDER BY happened").to_pylist()
    ]
