"""One real store and one real server per test process, shared by the web tests.

The store is a simulated three-platform movement (known truth in ``truth.json``) ingested through the normal
readers, plus two hostile twarc2 posts whose text is ``<script>`` / ``<img onerror>``. The server is uvicorn
on a free 127.0.0.1 port, in a thread, serving the same app object the in-process tests use, so the browser,
schemathesis and the route-table test all hit one configuration.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from groundswell.ingest import ingest
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import Store
from groundswell.web import create_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
K = 5
PASSWORD = "correct horse battery staple"
XSS_TEXTS = ("<script>alert(1)</script> #MeToo", "<img src=x onerror=alert(1)> #MeToo")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIM = SimConfig(posts=4000, platforms=("twitter", "facebook", "bluesky"), seed=11)


def write_xss_posts(path: Path) -> Path:
    """A twarc2 response page holding the two hostile posts (real twarc2 JSONL, read by the twarc2 reader)."""
    page = {
        "data": [
            {
                "id": f"99000000000000000{i}",
                "text": text,
                "author_id": f"11{i}",
                "created_at": f"2017-10-16T10:0{i}:00.000Z",
                "lang": "en",
                "conversation_id": f"99000000000000000{i}",
            }
            for i, text in enumerate(XSS_TEXTS, start=1)
        ],
        "includes": {"users": [{"id": f"11{i}", "username": f"person{i}", "name": "P"} for i in (1, 2)]},
    }
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    return path


@dataclass
class Site:
    """The shared server: its app, base URL, truth of the simulation, and one account per role."""

    app: FastAPI
    url: str
    truth: dict[str, Any]
    tokens: dict[str, str]
    db: Path

    def client(self, role: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, follow_redirects=False)

    def api(self, path: str, role: str = "viewer", **params: Any) -> Any:
        with self.client(role) as c:
            r = c.get(path, params=params)
            r.raise_for_status()
            return r.json()


def login(client: httpx.Client | TestClient, name: str, password: str = PASSWORD) -> None:
    """Sign in through the real form (CSRF token from the form, nonce cookie from the same response)."""
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, "login form has no CSRF field"
    r = client.post("/login", data={"name": name, "password": password, "csrf": token.group(1), "next": "/overview"})
    assert r.status_code == 303, r.text


def csrf_of(client: httpx.Client | TestClient, page: str = "/overview") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert m, f"{page} has no CSRF field"
    return m.group(1)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve_site(base: Path, sim: SimConfig = SIM, *, k: int = K) -> Iterator[Site]:
    """Simulate, ingest (plus the hostile posts), create one account and token per role, serve on 127.0.0.1."""
    truth = simulate(sim, base / "sim")
    files = sorted(
        p for p in (base / "sim").rglob("*") if p.is_file() and p.name != "truth.json" and p.suffix != ".parquet"
    )
    files.append(write_xss_posts(base / "xss.jsonl"))
    db = base / "site.duckdb"
    with Store(db) as store:
        results = ingest(files, store, workers=1)
    assert all(r.error is None and r.counts.reconciles() for r in results)
    app = create_app(db, k=k)
    tokens = {}
    for role in ("viewer", "analyst", "admin"):
        app.state.accounts.add_user(role, PASSWORD, role)
        tokens[role] = app.state.accounts.new_token(role, "tests")
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    host, port = sock.getsockname()
    truth_json = json.loads((base / "sim" / "truth.json").read_text())
    assert truth.posts == truth_json["posts"]
    try:
        yield Site(app, f"http://{host}:{port}", truth_json, tokens, db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.backend.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The read-only site: tests on it must not change its data (writes get their own, see test_writes)."""
    with serve_site(tmp_path_factory.mktemp("web")) as s:
        yield s


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
