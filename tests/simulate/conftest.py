"""Fixtures for the simulator's tests: simulated runs, and a plain re-reader of every output format.

The re-reader deliberately uses only ``json`` and ``csv`` and each format's documented fields, not the
simulator's own code, so a count that matches ``truth.json`` has been checked independently.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from groundswell.simulate import SimConfig, Truth, simulate

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
ALL_PLATFORMS = ("twitter", "facebook", "bluesky", "mastodon", "reddit")


@dataclass
class Row:
    platform: str
    post_id: str
    kind: str
    lang: str | None
    parent_id: str | None
    unix_ms: int
    author: str
    text: str


def read_twarc2(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        page = json.loads(line)
        for t in page["data"]:
            kind, parent = "original", None
            for r in t.get("referenced_tweets", []):
                kind = {"replied_to": "reply", "retweeted": "repost", "quoted": "quote"}[r["type"]]
                parent = r["id"]
            ms = int(datetime.fromisoformat(t["created_at"]).timestamp() * 1000)
            rows.append(Row("twitter", t["id"], kind, t["lang"], parent, ms, t["author_id"], t["text"]))
    return rows


def read_crowdtangle(path: Path) -> list[Row]:
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            post_id = r["URL"].rstrip("/").rsplit("/", 1)[1]
            parent = None
            kind = "original"
            if r["Link"].startswith("https://www.facebook.com/"):
                kind, parent = "repost", r["Link"].rstrip("/").rsplit("/", 1)[1]
            stamp, tz = r["Post Created"].rsplit(" ", 1)
            assert tz == "UTC"
            ms = int(datetime.fromisoformat(stamp + "+00:00").timestamp() * 1000)
            rows.append(Row("facebook", post_id, kind, None, parent, ms, r["Facebook Id"], r["Message"]))
    return rows


def read_jetstream(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        ev = json.loads(line)
        c = ev["commit"]
        rec = c["record"]
        uri = f"at://{ev['did']}/{c['collection']}/{c['rkey']}"
        kind, parent = "original", None
        if "reply" in rec:
            kind, parent = "reply", rec["reply"]["parent"]["uri"]
        elif rec.get("embed", {}).get("$type") == "app.bsky.embed.record":
            kind, parent = "quote", rec["embed"]["record"]["uri"]
        ms = int(datetime.fromisoformat(rec["createdAt"]).timestamp() * 1000)
        rows.append(Row("bluesky", uri, kind, rec["langs"][0], parent, ms, ev["did"], rec["text"]))
    return rows


def read_sse(path: Path) -> list[dict]:
    """Status payloads of ``update`` events in a server-sent-events capture."""
    statuses = []
    event = None
    for line in path.read_text("utf-8").split("\n"):
        if line.startswith(":") or not line:
            continue
        field, _, value = line.partition(": ")
        if field == "event":
            event = value
        elif field == "data" and event == "update":
            statuses.append(json.loads(value))
    return statuses


def read_mastodon(path: Path) -> list[Row]:
    rows = []
    for s in read_sse(path):
        kind, parent, lang = "original", None, s["language"]
        if s["reblog"] is not None:
            kind, parent, lang = "repost", s["reblog"]["id"], s["reblog"]["language"]
        elif s["in_reply_to_id"] is not None:
            kind, parent = "reply", s["in_reply_to_id"]
        ms = int(datetime.fromisoformat(s["created_at"]).timestamp() * 1000)
        rows.append(Row("mastodon", s["id"], kind, lang, parent, ms, s["account"]["id"], s["content"]))
    return rows


def read_pushshift(folder: Path) -> list[Row]:
    rows = []
    for path in sorted(folder.glob("RS_*.ndjson")):
        for line in path.read_text("utf-8").splitlines():
            s = json.loads(line)
            rows.append(
                Row("reddit", s["id"], "original", None, None, s["created_utc"] * 1000, s["author"], s["title"])
            )
    for path in sorted(folder.glob("RC_*.ndjson")):
        for line in path.read_text("utf-8").splitlines():
            c = json.loads(line)
            rows.append(
                Row(
                    "reddit",
                    c["id"],
                    "comment",
                    None,
                    c["parent_id"][3:],
                    c["created_utc"] * 1000,
                    c["author"],
                    c["body"],
                )
            )
    return rows


def reread(out: Path, truth: Truth) -> dict[str, list[Row]]:
    """Every post written, per platform, read back with json/csv only."""
    got: dict[str, list[Row]] = {}
    for platform, files in truth.files.items():
        paths = [out / f for f in files]
        if platform == "twitter":
            got[platform] = [r for p in paths for r in read_twarc2(p)]
        elif platform == "facebook":
            got[platform] = [r for p in paths for r in read_crowdtangle(p)]
        elif platform == "bluesky":
            got[platform] = [r for p in paths for r in read_jetstream(p)]
        elif platform == "mastodon":
            got[platform] = [r for p in paths for r in read_mastodon(p)]
        else:
            got[platform] = read_pushshift(paths[0].parent)
    return got


@pytest.fixture(scope="session")
def all_platforms_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    """20,000 posts on all five platforms, seed 1."""
    out = tmp_path_factory.mktemp("sim-all")
    return out, simulate(SimConfig(posts=20_000, platforms=ALL_PLATFORMS, seed=1), out)


@pytest.fixture(scope="session")
def all_platforms_rows(all_platforms_run: tuple[Path, Truth]) -> dict[str, list[Row]]:
    out, truth = all_platforms_run
    return reread(out, truth)
