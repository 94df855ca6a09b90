"""Writes through the server, on a site of their own (they change the data): upload in the browser, reads that
keep answering while an ingest runs, and forget."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from groundswell.simulate import SimConfig, simulate
from tests.web.conftest import PASSWORD, Site, csrf_of, login, serve_site


@pytest.fixture(scope="module")
def wsite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with serve_site(tmp_path_factory.mktemp("writes"), SimConfig(posts=1500, platforms=("twitter",), seed=5)) as s:
        yield s


def _posts(site: Site, **filters: str) -> int:
    return site.api("/api/v1/overview", **filters)["tables"]["headline"][0]["posts"]


def test_admin_uploads_a_file_in_the_browser(wsite: Site, browser: Any, tmp_path: Path, artifacts: Path) -> None:
    simulate(SimConfig(posts=800, platforms=("bluesky",), seed=21), tmp_path / "up")
    upload = tmp_path / "up" / "bluesky" / "metoo-jetstream.jsonl"
    before = _posts(wsite)
    assert _posts(wsite, platform="bluesky") == 0
    context = browser.new_context(base_url=wsite.url)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("input[name=name]", "admin")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/overview")
        page.goto("/admin")
        page.set_input_files("#upload input[type=file]", str(upload))
        page.click("#upload button[type=submit]")
        page.wait_for_selector("[data-reconciles]")
        page.screenshot(path=str(artifacts / "upload-result.png"), full_page=True)
        count = {k: int(page.inner_text(f"[data-count={k}]")) for k in ("read", "stored", "duplicates", "rejected")}
        assert page.get_attribute("[data-reconciles]", "data-reconciles") == "true"
    finally:
        context.close()
    assert count["read"] == 800 == count["stored"] + count["duplicates"] + count["rejected"]
    assert _posts(wsite, platform="bluesky") == count["stored"] > 0
    assert _posts(wsite) == before + count["stored"]
    sources = wsite.api("/api/v1/sources")["tables"]["ingests"]
    assert sources[-1]["file"].endswith("metoo-jetstream.jsonl") and sources[-1]["stored"] == count["stored"]
    assert not list(wsite.db.parent.glob("*.uploads/*"))  # the raw upload is not kept


def test_reads_keep_answering_while_an_upload_ingests(wsite: Site, tmp_path: Path) -> None:
    simulate(SimConfig(posts=8_000, platforms=("mastodon",), seed=8), tmp_path / "big")
    big = next((tmp_path / "big" / "mastodon").iterdir())
    before = _posts(wsite)
    polls: list[tuple[float, int, int | None]] = []
    done = threading.Event()

    def poll() -> None:
        with wsite.client("viewer") as c:
            while not done.is_set():
                r = c.get("/api/v1/overview")
                posts = r.json()["tables"]["headline"][0]["posts"] if r.status_code == 200 else None
                polls.append((time.monotonic(), r.status_code, posts))
                time.sleep(0.02)

    reader = threading.Thread(target=poll)
    with wsite.client() as admin:
        login(admin, "admin")
        token = csrf_of(admin, "/admin")
        reader.start()
        time.sleep(0.2)
        t0 = time.monotonic()
        with big.open("rb") as f:
            r = admin.post("/admin/upload", data={"csrf": token}, files={"file": (big.name, f)})
        t1 = time.monotonic()
        done.set()
        reader.join()
    assert r.status_code == 200, r.text[:500]
    stored = int(r.text.split('data-count="stored">')[1].split("<")[0])
    during = [p for p in polls if t0 <= p[0] <= t1]
    assert all(status == 200 for _, status, _ in polls)
    assert len(during) >= 3, f"only {len(during)} reads completed during a {t1 - t0:.1f} s ingest"
    assert all(before <= n <= before + stored for _, _, n in during)
    assert _posts(wsite) == before + stored and stored > 6_000


def test_admin_forgets_posts(wsite: Site) -> None:
    with wsite.app.state.backend.reader() as s:
        ids = [
            r["post_id"]
            for r in s.sql(
                "SELECT post_id FROM posts WHERE platform = 'twitter' AND NOT is_reference ORDER BY post_id LIMIT 3"
            ).to_pylist()
        ]
    before = _posts(wsite, platform="twitter")
    with wsite.client() as admin:
        login(admin, "admin")
        r = admin.post(
            "/admin/forget",
            data={"csrf": csrf_of(admin, "/admin"), "platform": "twitter", "post_ids": "\n".join([*ids, "123"])},
        )
    assert r.status_code == 200 and 'data-forgotten="3"' in r.text
    assert _posts(wsite, platform="twitter") == before - 3
    with wsite.app.state.backend.reader() as s:
        marks = ", ".join("?" * len(ids))
        assert s.scalar(f"SELECT count(*) FROM posts WHERE post_id IN ({marks})", ids) == 0
    log = wsite.app.state.accounts.audit_log(10)
    assert any(a["action"] == "forget" and a["actor"] == "admin" and "3 of 4" in str(a["detail"]) for a in log)
