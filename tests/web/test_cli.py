"""``groundswell users …`` and ``groundswell serve`` as a user runs them: real processes, real store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from groundswell.cli import app
from tests.web.conftest import write_xss_posts

GS = [sys.executable, "-m", "groundswell"]


def test_users_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    run = CliRunner().invoke
    r = run(
        app, ["users", "add", "maria", "--role", "analyst", "--db", db, "--password-stdin"], input="a long password\n"
    )
    assert r.exit_code == 0, r.output
    assert run(app, ["users", "add", "maria", "--db", db, "--password-stdin"], input="a long password\n").exit_code == 2
    assert (
        run(
            app, ["users", "add", "x", "--role", "boss", "--db", db, "--password-stdin"], input="a long password\n"
        ).exit_code
        == 2
    )
    assert run(app, ["users", "add", "y", "--db", db, "--password-stdin"], input="short\n").exit_code == 2
    r = run(app, ["users", "token", "maria", "--db", db])
    assert r.exit_code == 0 and r.output.strip().startswith("gs_")
    listing = run(app, ["users", "list", "--db", db]).output
    assert "maria\tanalyst\t1 token(s)" in listing and "\nx\t" not in listing
    assert run(app, ["users", "remove", "maria", "--db", db]).exit_code == 0
    assert run(app, ["users", "remove", "maria", "--db", db]).exit_code == 1


def test_serve_answers_and_owns_the_writer(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    posts = write_xss_posts(tmp_path / "posts.jsonl")
    env = {**os.environ, "GROUNDSWELL_DB": str(db)}
    run = CliRunner().invoke  # set-up in-process; only the server and the second writer are real processes
    assert run(app, ["ingest", str(posts), "--db", str(db), "--workers", "1"]).exit_code == 0
    add = ["users", "add", "ann", "--role", "viewer", "--db", str(db), "--password-stdin"]
    assert run(app, add, input="a long password\n").exit_code == 0
    token = run(app, ["users", "token", "ann", "--db", str(db)]).output.strip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([*GS, "serve", "--port", str(port), "--k", "1"], env=env, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"{url}/api/v1/overview", headers={"Authorization": f"Bearer {token}"})
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["tables"]["headline"][0]["posts"] == 2
        assert httpx.get(f"{url}/overview").status_code == 303
        # accounts live in a SQLite sidecar, so they can change while the server runs
        add_bo = ["users", "add", "bo", "--db", str(db), "--password-stdin"]
        assert run(app, add_bo, input="another long one\n").exit_code == 0
        assert "bo\tviewer" in run(app, ["users", "list", "--db", str(db)]).output
        # the server is the store's writer: a second writing process is refused with a clear message
        second = subprocess.run([*GS, "ingest", str(posts)], env=env, capture_output=True, text=True)
        assert second.returncode == 2 and "another process" in second.stderr.replace("\n", " ")
    finally:
        server.terminate()
        server.wait(timeout=20)
