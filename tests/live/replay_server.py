"""A local server on 127.0.0.1 that speaks Jetstream and Mastodon streaming + REST, replaying recorded-format
events, with forced disconnects, malformed frames and (for the benchmark) a paced live clock.

* ``/subscribe?wantedCollections=…&cursor=T``: Jetstream. Sends every event with ``time_us >= T`` in order.
* ``/api/v1/streaming?stream=hashtag&tag=X``: Mastodon streaming (websocket messages). Like a real server it
  has no memory: statuses "posted" while a client is away are never streamed to it.
* ``/api/v1/timelines/tag/X?min_id=|since_id=&limit=``: Mastodon REST, newest first, of what was posted so far.

It runs its own event loop in a thread, so tests drive the watcher with ``asyncio.run`` as the CLI does.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response


class ReplayServer:
    def __init__(
        self,
        jetstream: list[bytes] | None = None,
        statuses: list[dict[str, Any]] | None = None,
        *,
        disconnect_after: tuple[int, ...] = (),
        abort: bool = False,
        malformed: dict[int, bytes] | None = None,
        mastodon_disconnect_after: tuple[int, ...] = (),
        mastodon_gap: int = 0,
        rate: float | None = None,
        live_clock: bool = False,
    ) -> None:
        self.jetstream = jetstream or []
        self.times = [orjson.loads(f)["time_us"] for f in self.jetstream]
        self.statuses = statuses or []
        self.disconnect_after = set(disconnect_after)
        self.abort = abort
        self.malformed = malformed or {}
        self.m_disconnect_after = set(mastodon_disconnect_after)
        self.m_gap = mastodon_gap
        self.rate = rate
        self.live_clock = live_clock
        self.sent = 0  # Jetstream frames sent, over all connections
        self.m_pos = 0  # statuses "posted" so far
        self.m_sent = 0
        self.connections: list[str] = []
        self.cursors: list[int | None] = []
        self.rest_requests: list[str] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stop: asyncio.Future[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------------
    def __enter__(self) -> ReplayServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("replay server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(lambda: self._stop is not None and self._stop.set_result(None))
        self._thread.join(10)

    @property
    def jetstream_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/subscribe"

    @property
    def mastodon_instance(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = self._loop.create_future()
        async with serve(self._handler, "127.0.0.1", 0, process_request=self._rest, max_queue=16) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop

    # -- REST ---------------------------------------------------------------------------------------
    def _rest(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if not url.path.startswith("/api/v1/timelines/tag/"):
            return None
        self.rest_requests.append(request.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        limit = min(int(q.get("limit", 20)), 40)
        posted = self.statuses[: self.m_pos]
        if "min_id" in q:  # the page right after min_id
            page = [s for s in posted if int(s["id"]) > int(q["min_id"])][:limit]
        else:  # since_id (or nothing): the newest page
            floor = int(q.get("since_id", -1))
            page = [s for s in posted if int(s["id"]) > floor][-limit:]
        body = json.dumps(list(reversed(page))).encode()
        headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return Response(HTTPStatus.OK.value, "OK", headers, body)

    # -- websockets ---------------------------------------------------------------------------------
    async def _handler(self, ws: ServerConnection) -> None:
        url = urlsplit(ws.request.path if ws.request else "/")
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.connections.append(url.path)
        try:
            if url.path == "/subscribe":
                await self._jetstream(ws, int(q["cursor"]) if "cursor" in q else None)
            elif url.path == "/api/v1/streaming":
                await self._mastodon(ws, q.get("tag", ""))
        except ConnectionClosed:  # the client went away mid-replay (a watcher stopping): normal
            return
        await ws.wait_closed()

    async def _drop(self, ws: ServerConnection) -> None:
        if self.abort:
            ws.transport.abort()
        else:
            await ws.close(1011, "replay: forced disconnect")

    async def _pace(self, t0: float, n: int) -> None:
        if self.rate:
            ahead = t0 + n / self.rate - time.perf_counter()
            if ahead > 0:
                await asyncio.sleep(ahead)

    async def _jetstream(self, ws: ServerConnection, cursor: int | None) -> None:
        self.cursors.append(cursor)
        t0, n = time.perf_counter(), 0
        for i, frame in enumerate(self.jetstream):
            if cursor is not None and self.times[i] < cursor:
                continue
            if self.live_clock:
                ev = orjson.loads(frame)
                ev["time_us"] = int(time.time() * 1e6)
                frame = orjson.dumps(ev)
            if i in self.malformed and cursor is None:
                await ws.send(self.malformed[i].decode())
            await ws.send(frame.decode())
            self.sent += 1
            n += 1
            await self._pace(t0, n)
            if self.sent in self.disconnect_after:
                self.disconnect_after.discard(self.sent)
                await self._drop(ws)
                return

    async def _mastodon(self, ws: ServerConnection, tag: str) -> None:
        while self.m_pos < len(self.statuses):
            st = self.statuses[self.m_pos]
            self.m_pos += 1
            msg = {"stream": ["hashtag", tag], "event": "update", "payload": json.dumps(st)}
            await ws.send(json.dumps(msg))
            self.m_sent += 1
            if self.m_sent in self.m_disconnect_after:
                self.m_disconnect_after.discard(self.m_sent)
                self.m_pos = min(len(self.statuses), self.m_pos + self.m_gap)  # posted while the client is away
                await self._drop(ws)
                return
