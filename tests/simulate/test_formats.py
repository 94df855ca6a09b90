"""Each output format is shaped like the real thing, field by field."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.simulate.writers.crowdtangle import COLUMNS
from groundswell.sources.snowflake import snowflake_time
from groundswell.sources.twarc2 import Twarc2Reader

from .conftest import DATA, read_sse

_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"


def _pages(out: Path, truth) -> list[dict]:
    return [json.loads(line) for line in (out / truth.files["twitter"][0]).read_text("utf-8").splitlines()]


def _real_pages() -> list[dict]:
    pages = []
    for name in ("kpop", "brexit", "2sets"):
        for line in (DATA / "twitter-api-v2" / f"{name}.jsonl").read_text("utf-8").splitlines():
            pages.append(json.loads(line))
    return pages


def test_twarc2_pages_use_only_fields_real_pages_have(all_platforms_run) -> None:
    out, truth = all_platforms_run
    real = _real_pages()
    real_page_keys = set().union(*(p.keys() for p in real))
    real_tweet_keys = set().union(*(t.keys() for p in real for t in p["data"]))
    real_tweet_keys |= {"edit_history_tweet_ids"}  # present in the newer real files (mentions_tweet.jsonl)
    real_user_keys = set().union(*(u.keys() for p in real for u in p["includes"]["users"]))
    real_meta_keys = set().union(*(p["meta"].keys() for p in real))
    for page in _pages(out, truth):
        assert set(page) <= real_page_keys
        assert set(page["meta"]) <= real_meta_keys
        assert page["meta"]["result_count"] == len(page["data"]) <= 100
        for t in page["data"] + page["includes"].get("tweets", []):
            assert set(t) <= real_tweet_keys, set(t) - real_tweet_keys
        for u in page["includes"]["users"]:
            assert set(u) <= real_user_keys


def test_twarc2_ids_are_snowflakes_of_their_created_at(all_platforms_run) -> None:
    out, truth = all_platforms_run
    for page in _pages(out, truth):
        for t in page["data"]:
            assert snowflake_time(t["id"]) == datetime.fromisoformat(t["created_at"])


def test_twarc2_entities_point_at_the_text(all_platforms_run) -> None:
    out, truth = all_platforms_run
    seen = Counter()
    for page in _pages(out, truth):
        for t in page["data"]:
            text, ent = t["text"], t.get("entities", {})
            for h in ent.get("hashtags", []):
                assert text[h["start"] : h["end"]] == "#" + h["tag"]
                seen["hashtag"] += 1
            for m in ent.get("mentions", []):
                assert text[m["start"] : m["end"]] == "@" + m["username"]
                seen["mention"] += 1
            for u in ent.get("urls", []):
                assert text[u["start"] : u["end"]] == u["url"] and u["url"].startswith("https://t.co/")
                seen["url"] += 1
    assert min(seen.values()) > 100


def test_twarc2_references_are_complete_in_each_page(all_platforms_run) -> None:
    """Every referenced tweet and every author / replied-to user is in the page's includes."""
    out, truth = all_platforms_run
    kinds = Counter()
    for page in _pages(out, truth):
        users = {u["id"]: u for u in page["includes"]["users"]}
        refs = {t["id"]: t for t in page["includes"].get("tweets", [])}
        for t in page["data"]:
            assert t["author_id"] in users
            for r in t.get("referenced_tweets", []):
                kinds[r["type"]] += 1
                parent = refs[r["id"]]
                assert parent["author_id"] in users
                if r["type"] == "retweeted":
                    assert t["text"].startswith(f"RT @{users[parent['author_id']]['username']}: ")
                    assert len(t["text"]) <= 140
                if r["type"] == "replied_to":
                    assert t["in_reply_to_user_id"] == parent["author_id"]
                    assert t["text"].startswith("@" + users[parent["author_id"]]["username"] + " ")
                    assert int(t["conversation_id"]) <= int(parent["id"])
                if r["type"] == "quoted":
                    assert t["entities"]["urls"][-1]["expanded_url"].endswith("/status/" + parent["id"])
    assert set(kinds) == {"retweeted", "replied_to", "quoted"}


def test_twarc2_output_reads_through_groundswells_reader(all_platforms_run) -> None:
    out, truth = all_platforms_run
    path = out / truth.files["twitter"][0]
    assert Twarc2Reader.sniff(path.read_bytes()[:4096])
    reader = Twarc2Reader()
    with path.open("rb") as f:
        parsed = [reader.parse(c) for c in reader.chunks(f, str(path))]
    assert not [r for p in parsed for r in p.rejects]
    batch = pa.Table.from_batches([p.posts for p in parsed])
    primary = batch.filter(pc.invert(batch["is_reference"]))
    assert sum(p.n_primary for p in parsed) == primary.num_rows == truth.counts["platform"]["twitter"]
    assert dict(Counter(primary["kind"].to_pylist())) == truth.counts["kind"]["twitter"]
    assert dict(Counter(primary["lang"].to_pylist())) == truth.counts["language"]["twitter"]
    assert all(h for h in primary["hashtags"].to_pylist())


def test_crowdtangle_header_and_rows(all_platforms_run) -> None:
    out, truth = all_platforms_run
    text = (out / truth.files["facebook"][0]).read_text("utf-8")
    header = text.split("\r\n", 1)[0]
    assert header.split(",")[:39] == COLUMNS[:39]
    assert "Overperforming Score (weighted  —  Likes 1x" in header
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == truth.counts["platform"]["facebook"]
    for r in rows[:500]:
        assert r["URL"].startswith("https://www.facebook.com/") and "/posts/" in r["URL"]
        assert r["Post Created"] == f"{r['Post Created Date']} {r['Post Created Time']} UTC"
        reactions = sum(int(r[k]) for k in ("Likes", "Love", "Wow", "Haha", "Sad", "Angry", "Care"))
        assert int(r["Total Interactions"]) == reactions + int(r["Comments"]) + int(r["Shares"])
        assert r["Type"] in ("Status", "Link")


def test_jetstream_events_follow_the_lexicon(all_platforms_run) -> None:
    out, truth = all_platforms_run
    n_facets = 0
    for line in (out / truth.files["bluesky"][0]).read_text("utf-8").splitlines():
        ev = json.loads(line)
        assert list(ev) == ["did", "time_us", "kind", "commit"] and ev["kind"] == "commit"
        c = ev["commit"]
        assert c["operation"] == "create" and c["collection"] == "app.bsky.feed.post"
        assert len(c["rkey"]) == 13 and set(c["rkey"]) <= set(_B32_SORTABLE)
        assert c["cid"].startswith("bafyrei") and len(c["cid"]) == 59
        rec = c["record"]
        assert rec["$type"] == "app.bsky.feed.post"
        created_us = int(datetime.fromisoformat(rec["createdAt"]).timestamp() * 1_000_000)
        assert 0 < ev["time_us"] - created_us < 1_000_000
        # the TID encodes the creation time in microseconds
        n = 0
        for ch in c["rkey"]:
            n = n * 32 + _B32_SORTABLE.index(ch)
        assert abs((n >> 10) - created_us) < 1000
        raw = rec["text"].encode("utf-8")
        for f in rec.get("facets", []):
            tag = f["features"][0]
            assert tag["$type"] == "app.bsky.richtext.facet#tag"
            assert raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode("utf-8") == "#" + tag["tag"]
            n_facets += 1
        if "reply" in rec:
            assert rec["reply"]["root"]["uri"].startswith("at://did:plc:")
    assert n_facets > 1000


def test_jetstream_non_ascii_facets_use_byte_offsets(all_platforms_run) -> None:
    """Byte and code-point offsets differ once a text has non-ASCII characters before a hashtag."""
    out, truth = all_platforms_run
    differ = 0
    for line in (out / truth.files["bluesky"][0]).read_text("utf-8").splitlines():
        rec = json.loads(line)["commit"]["record"]
        for f in rec.get("facets", []):
            if rec["text"].find("#" + f["features"][0]["tag"]) != f["index"]["byteStart"]:
                differ += 1
    assert differ > 10


def test_mastodon_stream_is_server_sent_events(all_platforms_run) -> None:
    out, truth = all_platforms_run
    path = out / truth.files["mastodon"][0]
    lines = path.read_text("utf-8").split("\n")
    assert lines[0] == ":)"
    assert all(line.startswith((":", "event: ", "data: ")) or line == "" for line in lines)
    statuses = read_sse(path)
    assert len(statuses) == truth.counts["platform"]["mastodon"]
    for s in statuses:
        # Mastodon snowflake: milliseconds << 16
        ms = int(s["id"]) >> 16
        assert ms == int(datetime.fromisoformat(s["created_at"]).timestamp() * 1000)
        if s["reblog"] is None:
            assert s["content"].startswith("<p>") and s["tags"]
        else:
            assert s["content"] == "" and s["reblog"]["id"] != s["id"]


def test_pushshift_threads_are_consistent(all_platforms_run) -> None:
    out, truth = all_platforms_run
    folder = out / "reddit"
    subs = {json.loads(x)["id"]: json.loads(x) for x in (folder / "RS_metoo.ndjson").read_text().splitlines()}
    comments = [json.loads(x) for x in (folder / "RC_metoo.ndjson").read_text().splitlines()]
    by_id = {c["id"]: c for c in comments}
    for c in comments:
        assert c["link_id"].startswith("t3_") and c["link_id"][3:] in subs
        kind, _, pid = c["parent_id"].partition("_")
        assert (kind == "t3" and pid in subs) or (kind == "t1" and by_id[pid]["link_id"] == c["link_id"])
        assert c["subreddit"] == subs[c["link_id"][3:]]["subreddit"]
        assert isinstance(c["created_utc"], int)
    assert len(subs) + len(comments) == truth.counts["platform"]["reddit"]
