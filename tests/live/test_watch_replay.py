"""The watcher against the local replay server: surge alerts, disconnects, restarts, back-pressure."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from groundswell.live import (
    Backoff,
    JetstreamSource,
    JsonLinesSink,
    MastodonSource,
    MovementFilter,
    StdoutSink,
    WatchConfig,
    Watcher,
    WebhookSink,
    status,
)
from tests.live.conftest import open_store, watch_until
from tests.live.replay_server import ReplayServer
from tests.live.streams import T0, jetstream, mastodon_statuses, surge_counts

METOO = MovementFilter.of(["MeToo"])
FAST = dict(base=0.01, cap=0.05)
QUIET, BIN = 30, 60


def _config(**kw) -> WatchConfig:
    return WatchConfig(bin_seconds=BIN, detector={"warmup": 10}, **kw)


def _posts(store, exclude: str = "") -> list[dict]:
    cols = f"* EXCLUDE ({exclude})" if exclude else "*"
    return store.sql(f"SELECT {cols} FROM posts ORDER BY platform, post_id").to_pylist()


class _Hook(BaseHTTPRequestHandler):
    received: list[dict]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a) -> None:
        pass


def _webhook() -> HTTPServer:
    srv = HTTPServer(("127.0.0.1", 0), _Hook)
    srv.received = []  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def test_surge_raises_one_alert_within_two_bins_and_none_before(store_path: Path, tmp_path: Path, capsys) -> None:
    stream = jetstream(surge_counts(quiet=QUIET), bin_seconds=BIN)
    hook = _webhook()
    log = tmp_path / "alerts.jsonl"
    malformed = {5: b'{"did": "did:plc:x", "time_us": ', 300: b"\x00not json", 700: b'{"kind": "commit"}'}
    try:
        with ReplayServer(stream.frames, malformed=malformed) as srv:
            store = open_store(store_path)
            src = JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST))
            sinks = [StdoutSink(), JsonLinesSink(log), WebhookSink(f"http://127.0.0.1:{hook.server_port}/hook")]
            w = Watcher(store, [src], METOO, config=_config(), sinks=sinks)
            watch_until(w, lambda: w.cursors.get("bluesky") == stream.last_cursor)
    finally:
        hook.shutdown()
    onset_start = T0 + QUIET * BIN
    assert len(w.alerts) == 1, w.alerts
    a = w.alerts[0]
    bin_start = int(time_from_iso(a.bin_start))
    assert a.key == "metoo"
    assert onset_start <= bin_start <= onset_start + 2 * BIN
    assert a.authors >= 10 and a.posts > a.baseline
    # the same alert went to all three sinks
    assert "surge: #metoo" in capsys.readouterr().out
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert [x["bin_start"] for x in logged] == [a.bin_start]
    assert [x["bin_start"] for x in hook.received] == [a.bin_start]  # type: ignore[attr-defined]
    # every movement post stored once; non-movement posts and identity events not stored; bad frames quarantined
    got = {r[0] for r in store.con.execute("SELECT post_id FROM posts").fetchall()}
    assert got == stream.matching
    assert store.scalar("SELECT count(*) FROM quarantine") == len(malformed)
    st = status(store)
    assert st[0]["source"] == "bluesky" and st[0]["cursor"] == stream.last_cursor
    assert st[0]["stored"] == len(stream.matching) and st[0]["rejected"] == len(malformed)
    assert store.scalar("SELECT read = stored + duplicates + rejected FROM ingests")


def time_from_iso(s: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(s).timestamp()


def _run_jetstream(path: Path, stream, **server_kw) -> tuple[Watcher, ReplayServer]:
    with ReplayServer(stream.frames, **server_kw) as srv:
        store = open_store(path)
        src = JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST))
        w = Watcher(store, [src], METOO, config=_config())
        watch_until(w, lambda: w.cursors.get("bluesky") == stream.last_cursor)
    return w, srv


def test_forced_disconnects_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    stream = jetstream(surge_counts(quiet=QUIET), bin_seconds=BIN, seed=3)
    clean, _ = _run_jetstream(tmp_path / "clean.duckdb", stream)
    cut, srv = _run_jetstream(tmp_path / "cut.duckdb", stream, disconnect_after=(200, 650, 1000))
    assert len(srv.cursors) == 4 and srv.cursors[0] is None and all(c is not None for c in srv.cursors[1:])
    # resumed a little before the last event seen, so some posts came twice; the store kept one copy
    assert cut.counters["bluesky"].duplicates > 0
    assert _posts(cut.store) == _posts(clean.store)
    assert cut.store.scalar("SELECT count(*) FROM posts") == len(stream.matching)
    assert [a.bin_start for a in cut.alerts] == [a.bin_start for a in clean.alerts]


def test_aborted_connections_resume_too(tmp_path: Path) -> None:
    stream = jetstream(surge_counts(quiet=QUIET), bin_seconds=BIN, seed=4)
    clean, _ = _run_jetstream(tmp_path / "clean.duckdb", stream)
    cut, srv = _run_jetstream(tmp_path / "cut.duckdb", stream, disconnect_after=(333,), abort=True)
    assert len(srv.cursors) == 2
    assert _posts(cut.store) == _posts(clean.store)


def test_restart_resumes_from_the_saved_cursor(tmp_path: Path) -> None:
    stream = jetstream(surge_counts(quiet=QUIET), bin_seconds=BIN, seed=5)
    clean, _ = _run_jetstream(tmp_path / "clean.duckdb", stream)
    path = tmp_path / "restarted.duckdb"
    # stop two bins before the surge: a restarted watcher that relearned its baseline from scratch
    # would still be warming up when the surge comes, and miss it
    half = T0 * 1_000_000 + (QUIET - 2) * BIN * 1_000_000
    with ReplayServer(stream.frames, rate=400) as srv:  # paced, so the first run stops mid-stream
        store = open_store(path)
        w1 = Watcher(store, [JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST))], METOO, config=_config())
        watch_until(w1, lambda: int(w1.cursors.get("bluesky") or 0) >= half)
        saved = status(store)[0]["cursor"]
        store.close()
        store = open_store(path)
        w2 = Watcher(store, [JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST))], METOO, config=_config())
        watch_until(w2, lambda: w2.cursors.get("bluesky") == stream.last_cursor)
    assert int(saved) < int(stream.last_cursor)
    assert srv.cursors[0] is None and srv.cursors[1] == int(saved) - 2_000_000
    assert _posts(store) == _posts(clean.store)
    assert w1.alerts == []
    assert [a.bin_start for a in w2.alerts] == [a.bin_start for a in clean.alerts]
    assert len(clean.alerts) == 1


def orjson_time(frame: bytes) -> int:
    return json.loads(frame)["time_us"]


def test_mastodon_disconnect_is_backfilled_from_the_timeline(tmp_path: Path) -> None:
    statuses = mastodon_statuses(150)
    runs = {}
    for name, kw in {"clean": {}, "cut": {"mastodon_disconnect_after": (50, 90), "mastodon_gap": 45}}.items():
        with ReplayServer(statuses=statuses, **kw) as srv:
            store = open_store(tmp_path / f"{name}.duckdb")
            src = MastodonSource(srv.mastodon_instance, "MeToo", backoff=Backoff(**FAST))
            w = Watcher(store, [src], METOO, config=_config())
            watch_until(w, lambda w=w, src=src: w.cursors.get(src.name) == statuses[-1]["id"])
            runs[name] = (w, srv, src)
    w, srv, src = runs["cut"]
    # 45 + 45 statuses were never streamed; the REST timeline brought them back
    assert srv.m_sent < len(statuses) and src.backfilled >= 90
    assert all("min_id=" in r for r in srv.rest_requests)
    # (source_file names the stream, and each replay server listens on its own port)
    assert _posts(w.store, "source_file") == _posts(runs["clean"][0].store, "source_file")
    assert w.store.scalar("SELECT count(DISTINCT post_id) FROM posts") == len(statuses)


def test_back_pressure_bounds_memory_without_drops(tmp_path: Path) -> None:
    stream = jetstream([40] * 20, bin_seconds=BIN, seed=6)
    seen: list[int] = []
    with ReplayServer(stream.frames) as srv:
        store = open_store(tmp_path / "slow.duckdb")
        src = JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST), max_queue=4)
        w = Watcher(store, [src], METOO, config=_config(queue_size=50, batch_max=50))

        def slow(commit) -> None:
            seen.append(w.queue.qsize())
            time.sleep(0.02)  # a store slower than the stream

        w.on_commit = slow
        watch_until(w, lambda: w.cursors.get("bluesky") == stream.last_cursor, timeout=60)
    assert max(seen) == 50  # the queue filled up and went no further
    assert w.counters["bluesky"].dropped == 0
    assert store.scalar("SELECT count(*) FROM posts") == len(stream.matching)


def test_drops_only_when_allowed_and_then_counted(tmp_path: Path) -> None:
    stream = jetstream([40] * 20, bin_seconds=BIN, seed=7)
    with ReplayServer(stream.frames) as srv:
        store = open_store(tmp_path / "drops.duckdb")
        w = Watcher(
            store,
            [JetstreamSource(srv.jetstream_url, backoff=Backoff(**FAST))],
            METOO,
            config=_config(queue_size=20, batch_max=20, allow_drops=True),
        )
        w.on_commit = lambda c: time.sleep(0.02)
        c = w.counters["bluesky"]
        watch_until(w, lambda: c.events + c.dropped >= len(stream.frames), timeout=30)
    c = w.counters["bluesky"]
    assert c.dropped > 0
    assert c.events + c.dropped == srv.sent == len(stream.frames)
    assert status(store)[0]["dropped"] == c.dropped
