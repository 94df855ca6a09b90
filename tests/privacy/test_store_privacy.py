"""Privacy of a store made with the defaults: nothing that names a person is in its bytes or its outputs."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from groundswell.analytics import magnitude
from groundswell.ingest import ingest
from groundswell.privacy.forget import audit_log, forget
from groundswell.privacy.helplines import all_helplines
from groundswell.report.html import write_report
from groundswell.store.duckdb_store import Store
from tests.conftest import METOO, TWARC2

# addresses as people write them (a mangled link like "y@outu.be" or "geen@probleem...nu" is not one)
EMAIL = re.compile(
    r"(?<![\w.])[A-Za-z0-9_%+-][A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:com|org|net|edu|gov|co|uk|fr|de|es|it|in|ca|au|io|me|info|us|nl|br|mx)\b"
)
PHONE = re.compile(r"(?<!\d)(?:\+1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)")


@pytest.fixture(scope="module")
def raw_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], set[str], set[str]]:
    """Posts of the real archive that name people (mentions, e-mails, phones) plus real twarc2 pages.

    Returns the folder and the handles, e-mail addresses and phone numbers found in the raw input by
    patterns written here, independent of the code under test.
    """
    d = tmp_path_factory.mktemp("raw")
    handles: set[str] = set()
    emails: set[str] = set()
    phones: set[str] = set()
    picked = []
    with gzip.open(METOO, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            t = r["text"]
            e, p = EMAIL.findall(t), PHONE.findall(t)
            if e or p or (len(picked) < 3000 and "@ " in t):
                picked.append(line)
                emails.update(e)
                phones.update(p)
                handles.add(r["permalink"].split("/")[3].lower())
    (d / "metoo.jsonl").write_text("".join(picked), encoding="utf-8")
    for name in ("withheld.jsonl", "brexit.jsonl"):
        shutil.copy(TWARC2 / name, d / name)
        for line in (TWARC2 / name).read_text().splitlines():
            for u in json.loads(line).get("includes", {}).get("users", []):
                handles.add(u["username"].lower())
    assert emails and phones and len(handles) > 1000
    return d, handles, emails, phones


@pytest.fixture(scope="module")
def store_path(raw_corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d, *_ = raw_corpus
    db = tmp_path_factory.mktemp("store") / "s.duckdb"
    with Store(db) as store:
        ingest(sorted(d.iterdir()), store, workers=1)
        write_report(store, db.with_name("report.html"), k=1)
        store.con.execute("CHECKPOINT").fetchall()
    return db


def _long(handles: set[str]) -> list[str]:
    # short handles ("ana", "tim") are also words; the scan checks the ones that can only be handles
    return sorted(h for h in handles if len(h) >= 7 and not h.isalpha())


def test_no_identity_in_the_database_bytes(raw_corpus, store_path: Path) -> None:
    _, handles, emails, phones = raw_corpus
    data = store_path.read_bytes().lower()
    assert len(data) > 100_000
    # a handle standing as a word; the same letters inside a hashtag (#nosalute45) or a domain name
    # (www.nporadio1.nl) name no one
    leaked = [
        h
        for h in _long(handles)
        if h.encode() in data and re.search(rb"(?<![#\w.])" + re.escape(h.encode()) + rb"(?![\w]|\.\w)", data)
    ]
    assert not leaked, leaked[:20]
    assert not [e for e in emails if e.lower().encode() in data]
    assert not [p for p in phones if p.encode() in data]


def test_no_identity_in_stored_text_columns(raw_corpus, store_path: Path) -> None:
    _, handles, emails, _ = raw_corpus
    with Store(store_path, read_only=True) as store:
        texts = "\n".join(
            r["t"]
            for r in store.sql(
                "SELECT coalesce(text,'') || ' ' || array_to_string(coalesce(urls, []), ' ') || ' ' || "
                "coalesce(author_handle,'') AS t FROM posts"
            ).to_pylist()
        ).lower()
        excerpts = "\n".join(
            r["excerpt"] or "" for r in store.sql("SELECT excerpt FROM quarantine").to_pylist()
        ).lower()
    for h in _long(handles):
        assert f"@{h}" not in texts and f"twitter.com/{h}/" not in texts, h
        assert f"@{h}" not in excerpts
    assert not any(e.lower() in texts for e in emails)


def test_no_identity_in_the_report(raw_corpus, store_path: Path) -> None:
    _, handles, emails, phones = raw_corpus
    html = store_path.with_name("report.html").read_text().lower()
    assert "magnitude" in html
    assert not [h for h in _long(handles) if h in html]
    assert not [e for e in emails if e.lower() in html]
    # the helplines in the care block are public services, not people
    hotlines = " ".join(h.phone or "" for h in all_helplines())
    assert not [p for p in phones if p in html and p not in hotlines]


def test_pseudonyms_stable_within_a_store_and_different_across_stores(tmp_path: Path) -> None:
    files = [TWARC2 / "kpop.jsonl", TWARC2 / "2sets.jsonl"]  # 2sets repeats kpop's tweets
    with Store(tmp_path / "a.duckdb") as a:
        ingest(files[:1], a, workers=1)
        first = dict(
            a.sql("SELECT post_id, author_id FROM posts").to_pylist()
            and [(r["post_id"], r["author_id"]) for r in a.sql("SELECT post_id, author_id FROM posts").to_pylist()]
        )
    with Store(tmp_path / "a.duckdb") as a:  # reopened: same key file
        a.con.execute("DELETE FROM posts").fetchall()
        ingest(files[1:], a, workers=1)
        again = {r["post_id"]: r["author_id"] for r in a.sql("SELECT post_id, author_id FROM posts").to_pylist()}
    with Store(tmp_path / "b.duckdb") as b:
        ingest(files[:1], b, workers=1)
        other = {r["post_id"]: r["author_id"] for r in b.sql("SELECT post_id, author_id FROM posts").to_pylist()}
    common = set(first) & set(again)
    assert len(common) >= 100
    assert all(first[p] == again[p] for p in common)
    assert all(first[p] != other[p] for p in first)
    assert oct((tmp_path / "a.duckdb.key").stat().st_mode & 0o777) == "0o600"


def test_forget_removes_the_text_from_the_file_and_the_figures(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        ingest([TWARC2 / "withheld.jsonl"], store, workers=1)
        victim = store.sql(
            "SELECT post_id, text, author_id FROM posts WHERE NOT is_reference AND kind = 'original' "
            "AND length(text) > 60 ORDER BY post_id LIMIT 1"
        ).to_pylist()[0]
        before = magnitude.headline(store)
        reposts = store.scalar(
            "SELECT count(*) FROM posts WHERE repost_of = ? AND NOT is_reference", [victim["post_id"]]
        )
        store.con.execute("CHECKPOINT").fetchall()
    needle = victim["text"][:50].encode()
    assert needle in db.read_bytes()  # the scan below can see text: it is not hidden by compression
    with Store(db) as store:
        res = forget(store, posts=[victim["post_id"]])
        after = magnitude.headline(store)
        assert res.posts == 1
        assert after.posts == before.posts - 1 - reposts
        assert store.scalar("SELECT count(*) FROM posts WHERE post_id = ?", [victim["post_id"]]) == 0
        log = audit_log(store)
    assert log[-1]["action"] == "forget" and log[-1]["detail"]["posts"] == 1
    assert needle not in json.dumps(log, default=str).encode()
    for f in tmp_path.iterdir():
        assert needle not in f.read_bytes(), f


def test_forget_author_by_handle(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    line = (TWARC2 / "two_tweets.jsonl").read_text()
    users = json.loads(line)["includes"]["users"]
    with Store(db) as store:
        ingest([TWARC2 / "two_tweets.jsonl"], store, workers=1)
        n = store.scalar("SELECT count(*) FROM posts")
        forget(store, authors=[users[0]["username"]])
        left = store.scalar("SELECT count(*) FROM posts")
    assert n == 2 and left < n


def test_no_identity_in_the_exports(raw_corpus, store_path: Path, tmp_path: Path) -> None:
    from groundswell.export import export

    _, handles, emails, phones = raw_corpus
    blobs = []
    with Store(store_path, read_only=True) as store:
        for what, fmt in (("posts", "csv"), ("posts", "jsonl"), ("magnitude", "csv"), ("interactions", "gexf")):
            out = tmp_path / f"{what}.{fmt}"
            export(store, what, fmt, out, k=1)
            blobs.append(out.read_text(encoding="utf-8-sig").lower())
    data = "\n".join(blobs)
    assert len(data) > 10_000
    leaked = [h for h in _long(handles) if re.search(r"(?<![#\w.])" + re.escape(h) + r"(?![\w]|\.\w)", data)]
    assert not leaked, leaked[:20]
    assert not [e for e in emails if e.lower() in data]
    assert not [p for p in phones if p in data]
