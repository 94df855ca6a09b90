"""``groundswell watch`` as a user runs it: a real process against the local replay server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from groundswell.live import status
from groundswell.store.duckdb_store import Store
from tests.live.replay_server import ReplayServer
from tests.live.streams import jetstream, mastodon_statuses, surge_counts


def test_watch_command_stores_alerts_and_reports(tmp_path: Path) -> None:
    stream = jetstream(surge_counts(quiet=30), bin_seconds=60, seed=11)
    statuses = mastodon_statuses(40)
    with ReplayServer(stream.frames, statuses=statuses) as srv:
        cmd = [
            sys.executable, "-m", "groundswell", "watch",
            "--source", f"bluesky:{srv.jetstream_url}",
            "--source", f"mastodon:{srv.mastodon_instance}",
            "--hashtag", "MeToo", "--db", "w.duckdb", "--bin-seconds", "60", "--warmup", "10",
            "--alert-log", "alerts.jsonl", "--duration", "9",
        ]  # fmt: skip
        p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("surge: #metoo") == 1
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 1
    assert json.loads((tmp_path / "alerts.jsonl").read_text())["key"] == "metoo"
    assert f"{len(stream.matching)} posts stored" in p.stderr.replace(",", "")
    with Store(tmp_path / "w.duckdb", read_only=True) as s:
        assert s.scalar("SELECT count(*) FROM posts WHERE platform = 'bluesky'") == len(stream.matching)
        assert s.scalar("SELECT count(*) FROM posts WHERE platform = 'mastodon'") == len(statuses)
        by_source = {r["source"]: r for r in status(s)}
    assert by_source["bluesky"]["cursor"] == stream.last_cursor
    assert by_source[f"mastodon:127.0.0.1:{srv.port}/metoo"]["cursor"] == statuses[-1]["id"]
