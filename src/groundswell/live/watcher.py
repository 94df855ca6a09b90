"""The watcher: sockets → bounded queue → parse, filter, enrich, store (with cursors) → live bins → alerts.

Socket readers put raw frames on one bounded :class:`asyncio.Queue`. When the store is slower than the
stream the queue fills, ``put`` waits, the readers stop reading, and the kernel's TCP window pushes back on
the server: memory stays bounded and nothing is lost. Only with ``allow_drops`` are frames dropped instead,
and then every drop is counted (and saved with the cursor, so the dashboard shows it).

The writer takes whatever has queued up as one micro-batch (at least one frame, at most ``batch_max``) and,
in a worker thread so that the sockets keep being read, runs the same reader ``parse``, the same ``enrich``
and the same store transaction as file ingest (:func:`groundswell.ingest.store_parsed`), saving each
source's cursor inside that transaction.

Bins are *event-time* bins of ``created_at``: bin ``b`` closes when the newest post seen is
``lateness`` seconds past its end, and its counts (new posts only: a replay after a reconnect is not a
surge) go to one :class:`~groundswell.analytics.bursts.OnlineDetector` per key of the movement filter. Event
time makes a replay as deterministic as the live run, and a backlog drained after an outage is binned where
it belongs instead of looking like a burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from groundswell.analytics.bursts import OnlineDetector
from groundswell.enrich.pipeline import EnrichContext, enrich, fill_entities
from groundswell.ingest import store_parsed
from groundswell.live.alerts import Alert, Sink
from groundswell.live.cursors import SourceCounters, ensure_table, load_counters, load_cursor, save_cursor
from groundswell.live.filter import MovementFilter
from groundswell.live.stream import Item
from groundswell.privacy.pseudonyms import PrivacySettings
from groundswell.sources.base import Chunk, Parsed, Reader
from groundswell.store.duckdb_store import IngestCounts, Store

log = logging.getLogger(__name__)

#: reject reasons that mean "a frame we could not read": quarantined. Everything else a reader sets aside on
#: a live stream (likes, identity events, deletions) is routine traffic: counted, not stored.
MALFORMED = (
    "invalid JSON",
    "not a Jetstream event",
    "not a status",
    "bad status",
    "bad ",
    "NUL bytes",
    "invalid UTF-8",
    "record over",
)


class LiveSource(Protocol):
    name: str
    reader: type[Reader]
    platform: str

    def start_from(self, cursor: str | None) -> None: ...

    async def run(self, put: Callable[[Item], Any], stop: asyncio.Event) -> None: ...


@dataclass
class WatchConfig:
    bin_seconds: float = 60.0
    lateness: float = 0.0  # seconds past a bin's end before it closes
    queue_size: int = 10_000  # frames in flight between sockets and store: the memory bound
    batch_max: int = 5_000
    allow_drops: bool = False
    k: int = 10  # no alert for an onset carried by fewer distinct authors
    detector: dict[str, Any] = field(default_factory=dict)  # keyword arguments of OnlineDetector


@dataclass
class Commit:
    """What one micro-batch did, for benchmarks and the dashboard."""

    items: list[Item]
    committed_at: float
    new_posts: int


class Watcher:
    """Watch ``sources`` for posts matching ``movement``; store them in ``store``; alert on surges."""

    def __init__(
        self,
        store: Store,
        sources: Sequence[LiveSource],
        movement: MovementFilter,
        *,
        config: WatchConfig | None = None,
        sinks: Sequence[Sink] = (),
        on_commit: Callable[[Commit], None] | None = None,
    ) -> None:
        self.store, self.sources, self.movement = store, list(sources), movement
        self.config = config or WatchConfig()
        self.sinks = list(sinks)
        self.on_commit = on_commit
        self.ctx = EnrichContext(key=store.pseudonym_key(), privacy=PrivacySettings.from_dict(store.privacy_settings()))
        ensure_table(store)
        self.counters: dict[str, SourceCounters] = {s.name: load_counters(store, s.name) for s in self.sources}
        self.cursors: dict[str, str | None] = {}
        for s in self.sources:
            self.cursors[s.name] = load_cursor(store, s.name)
            s.start_from(self.cursors[s.name])
        self._by_name = {s.name: s for s in self.sources}
        self._ingest: dict[str, tuple[int, IngestCounts]] = {}
        self.detectors = {key: OnlineDetector(**self.config.detector) for key in movement.key_names()}
        self._open: dict[int, dict[str, tuple[int, set[str]]]] = defaultdict(dict)  # bin → key → (posts, authors)
        self._next_bin: int | None = None  # first bin not yet closed
        self._newest: float | None = None  # newest event time seen (epoch seconds)
        self.late = 0  # new posts whose bin had already closed
        self.alerts: list[Alert] = []
        self.queue: asyncio.Queue[Item] | None = None
        self._resume_bins()

    # -- the async part -----------------------------------------------------------------------------
    async def put(self, item: Item) -> None:
        assert self.queue is not None
        if not self.config.allow_drops:
            await self.queue.put(item)
            return
        try:
            self.queue.put_nowait(item)
        except asyncio.QueueFull:
            self.counters[item.source].dropped += 1

    async def run(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set; then store what is queued and return."""
        self.queue = asyncio.Queue(self.config.queue_size)
        await asyncio.to_thread(self.warm_up)
        readers = [asyncio.create_task(s.run(self.put, stop), name=s.name) for s in self.sources]

        async def stop_readers() -> None:
            # a frame cancelled on its way into the queue was never counted nor its cursor saved:
            # the next run fetches it again
            await stop.wait()
            for t in readers:
                t.cancel()

        stopper = asyncio.create_task(stop_readers())
        try:
            while not (stop.is_set() and self.queue.empty()):
                items = await self._take(stop)
                if items:
                    await asyncio.to_thread(self.commit, items)
        finally:
            stop.set()
            await stopper
            for t in readers:
                t.cancel()
            for t in readers:
                with contextlib.suppress(asyncio.CancelledError):
                    await t
            rest = []
            while not self.queue.empty():
                rest.append(self.queue.get_nowait())
            if rest:
                self.commit(rest)
            self._finish()

    async def _take(self, stop: asyncio.Event) -> list[Item]:
        assert self.queue is not None
        if self.queue.empty():
            getter = asyncio.ensure_future(self.queue.get())
            stopper = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if getter not in done:
                getter.cancel()
                return []
            items = [getter.result()]
        else:
            items = [self.queue.get_nowait()]
        while len(items) < self.config.batch_max and not self.queue.empty():
            items.append(self.queue.get_nowait())
        return items

    def warm_up(self) -> None:
        """Run parse, filter and enrich once on a made-up post of each source, storing nothing.

        The first call of the enrich path compiles regexes and builds caches (a few hundred ms); done here,
        before any socket is open, that cost does not land on the first live batch as latency.
        """
        for src in self.sources:
            self._parse(src, [Item(src.name, _WARM.get(src.platform, b"{}"), None, time.time())])

    # -- the store part (runs in a worker thread, one batch at a time) ------------------------------
    def commit(self, items: list[Item]) -> int:
        """Parse, filter, enrich and store one micro-batch; update bins; return how many posts were new."""
        by_source: dict[str, list[Item]] = defaultdict(list)
        for it in items:
            by_source[it.source].append(it)
        parsed_all: list[Parsed] = []
        newest_cursor: dict[str, str | None] = {}
        for name, group in by_source.items():
            src = self._by_name[name]
            parsed_all.append(self._parse(src, group))
            cur = self.cursors.get(name)
            for it in group:
                if it.cursor is not None:
                    cur = _later(cur, it.cursor)
            newest_cursor[name] = cur
            c = self.counters[name]
            c.events += len(group)

        posts = [p.posts for p in parsed_all if p.posts.num_rows]
        table = pa.Table.from_batches(posts) if posts else None
        new_mask = self._new_rows(table) if table is not None else []
        # per-source counters move with the commit
        if table is not None:
            plat_src = table.column("source_file").to_pylist()
            for src_file, is_new in zip(plat_src, new_mask, strict=True):
                c = self.counters[src_file.removeprefix("live:")]
                if is_new:
                    c.stored += 1
                else:
                    c.duplicates += 1
        for p in parsed_all:
            if p.rejects:
                self.counters[p.rejects[0].source.removeprefix("live:")].rejected += len(p.rejects)

        def save(store: Store) -> None:
            for name in by_source:
                self.cursors[name] = newest_cursor[name]
                save_cursor(store, name, newest_cursor[name], self.counters[name])

        iid, counts = self._ingest_row()
        store_parsed(self.store, iid, counts, parsed_all, save)
        n_new = sum(new_mask)
        if table is not None and n_new:
            self._bin(table, new_mask)
        if self.on_commit:
            self.on_commit(Commit(items, time.time(), n_new))
        return n_new

    def _parse(self, src: LiveSource, group: list[Item]) -> Parsed:
        """Reader parse, then keep only malformed-frame rejects and the movement's posts."""
        data = b"".join(it.data + b"\n" for it in group)
        parsed = src.reader().parse(Chunk(data, f"live:{src.name}", 1, 0))
        rejects = [r for r in parsed.rejects if r.reason.startswith(MALFORMED)]
        raw = parsed.posts
        if raw.num_rows:
            # a stream position is this post's provenance: the line of the frame's cursor
            pos = [_as_int(group[line - 1].cursor) for line in raw.column("source_line").to_pylist()]
            raw = raw.set_column(raw.schema.get_field_index("source_line"), "source_line", pa.array(pos, pa.int64()))
            raw = self._keep_movement(fill_entities(raw))
        posts = enrich(raw, self.ctx) if raw.num_rows else raw.select(raw.schema.names[:-2])
        return Parsed(posts, rejects, posts.num_rows + len(rejects), posts.num_rows)

    def _keep_movement(self, raw: pa.RecordBatch) -> pa.RecordBatch:
        mask, _ = self.movement.mask(raw)
        kept = mask.to_pylist()
        if not all(kept):
            # a repost of a matching post in the same frame (a Mastodon reblog carries its original) belongs too
            ids = raw.column("post_id").to_pylist()
            matched = {ids[i] for i, k in enumerate(kept) if k}
            for i, rep in enumerate(raw.column("repost_of").to_pylist()):
                if not kept[i] and rep is not None and rep in matched:
                    kept[i] = True
        return raw.filter(pa.array(kept, pa.bool_()))

    def _new_rows(self, table: pa.Table) -> list[bool]:
        """Which rows the store will keep: first copy in the batch and not already stored."""
        keys = table.select(["platform", "post_id"]).append_column("i", pa.array(range(table.num_rows), pa.int64()))
        con = self.store.con
        con.register("_live_in", keys)
        try:
            rows = con.execute(
                "SELECT i FROM ("
                "  SELECT i, platform, post_id, row_number() OVER (PARTITION BY platform, post_id ORDER BY i) AS r"
                "  FROM _live_in) AS k "
                "WHERE r = 1 AND NOT EXISTS "
                "(SELECT 1 FROM posts p WHERE p.platform = k.platform AND p.post_id = k.post_id)"
            ).fetchall()
        finally:
            con.unregister("_live_in")
        new = [False] * table.num_rows
        for (i,) in rows:
            new[i] = True
        return new

    def _ingest_row(self) -> tuple[int, IngestCounts]:
        """One ``ingests`` row per watch run: live posts reconcile like a file's."""
        if "run" not in self._ingest:
            names = ",".join(s.name for s in self.sources)
            iid = self.store.begin_ingest(f"live:{names}", "live", "none", None)
            self._ingest["run"] = (iid, IngestCounts())
        return self._ingest["run"]

    def _finish(self) -> None:
        if "run" in self._ingest:
            iid, counts = self._ingest.pop("run")
            self.store.finish_ingest(iid, counts, None, "done", "live watch stopped")

    # -- bins and detection ---------------------------------------------------------------------------
    def _bin(self, table: pa.Table, new_mask: list[bool]) -> None:
        """Count new primary posts into their bins, under each key they match (a repost: its original's)."""
        batch = table.combine_chunks().to_batches()[0]
        _, keys = self.movement.mask(batch)
        ids = batch.column("post_id").to_pylist()
        of_post = {ids[i]: k for i, k in enumerate(keys) if k}
        width = self.config.bin_seconds
        times = pc.divide(pc.cast(batch.column("created_at"), pa.int64()), 1_000_000.0).to_pylist()
        ref = pc.fill_null(batch.column("is_reference"), False).to_pylist()
        authors = batch.column("author_id").to_pylist()
        reposts = batch.column("repost_of").to_pylist()
        for i, t in enumerate(times):
            if not new_mask[i] or ref[i] or t is None:
                continue
            b = math.floor(t / width)
            if self._next_bin is not None and b < self._next_bin:
                self.late += 1
                continue
            if self._next_bin is None:
                self._next_bin = b
            cell = self._open[b]
            for k in keys[i] or of_post.get(reposts[i], []):
                n, who = cell.get(k, (0, set()))
                who.add(authors[i] or "")
                cell[k] = (n + 1, who)
            self._newest = t if self._newest is None else max(self._newest, t)
        self._close_bins()

    def _resume_bins(self) -> None:
        """After a restart, replay the stored live posts' recent bins through the detectors (no alerts).

        Without this a restarted watcher would spend ``warmup`` bins learning a baseline it already had,
        blind to a surge that began meanwhile. Hashtag keys only: phrase matches and reposts are not
        recounted (they are a minority of a movement's posts and would need every stored text re-read).
        """
        names = [f"live:{s.name}" for s in self.sources]
        tags = sorted(self.movement.hashtags)
        if not tags:
            return
        width = self.config.bin_seconds
        newest = self.store.scalar(
            "SELECT max(created_at) FROM posts WHERE source_file IN (SELECT unnest(?)) AND NOT is_reference", [names]
        )
        if newest is None:
            return
        last = math.floor(newest.timestamp() / width)  # still open: posts may still arrive for it
        span = 4 * max(int(self.config.detector.get("warmup", 24)), 2)
        rows = self.store.con.execute(
            "SELECT CAST(floor(epoch(created_at) / ?) AS BIGINT) AS b, h, count(*), list(DISTINCT author_id) "
            "FROM (SELECT created_at, author_id, unnest(hashtags_norm) AS h FROM posts "
            "      WHERE source_file IN (SELECT unnest(?)) AND NOT is_reference AND created_at >= ?) AS t "
            "WHERE h IN (SELECT unnest(?)) GROUP BY ALL",
            [width, names, datetime.fromtimestamp((last - span) * width, UTC), tags],
        ).fetchall()
        cells: dict[int, dict[str, tuple[int, set[str]]]] = defaultdict(dict)
        for b, h, n, who in rows:
            cells[int(b)][h] = (int(n), set(who))
        if not cells:
            return
        for b in range(min(cells), last):
            for key, det in self.detectors.items():
                det.update(cells.get(b, {}).get(key, (0, set()))[0])
        self._open[last] = cells.get(last, {})
        self._next_bin = last
        self._newest = newest.timestamp()

    def _close_bins(self) -> None:
        if self._newest is None or self._next_bin is None:
            return
        width = self.config.bin_seconds
        last_closable = math.floor((self._newest - self.config.lateness) / width) - 1
        while self._next_bin <= last_closable:
            b = self._next_bin
            cell = self._open.pop(b, {})
            for key, det in self.detectors.items():
                n, who = cell.get(key, (0, set()))
                onset = det.update(n)
                if onset is not None:
                    self._alert(key, b, n, len(who), onset.baseline, onset.score)
            self._next_bin = b + 1

    def _alert(self, key: str, b: int, posts: int, authors: int, baseline: float, score: float) -> None:
        if authors < self.config.k:
            log.info("onset on %s in bin %d held back: %d authors < k=%d", key, b, authors, self.config.k)
            return
        start = datetime.fromtimestamp(b * self.config.bin_seconds, UTC).isoformat()
        alert = Alert(
            movement=self.movement.name,
            key=key,
            bin_start=start,
            bin_seconds=self.config.bin_seconds,
            posts=posts,
            authors=authors,
            baseline=baseline,
            score=score,
            detected_at=datetime.now(UTC).isoformat(),
        )
        self.alerts.append(alert)
        for sink in self.sinks:
            sink.send(alert)


_WARM = {
    "bluesky": b'{"did":"did:plc:warmup","time_us":1,"kind":"commit","commit":{"operation":"create",'
    b'"collection":"app.bsky.feed.post","rkey":"w","record":{"$type":"app.bsky.feed.post",'
    b'"createdAt":"2025-01-01T00:00:00Z","text":"warm up #metoo me too https://example.org @a.bsky.social"}}}',
    "mastodon": b'{"id":"1","created_at":"2025-01-01T00:00:00Z","account":{"acct":"w@example.org"},'
    b'"content":"<p>warm up #metoo</p>","visibility":"public"}',
}


def _as_int(cursor: str | None) -> int | None:
    return int(cursor) if cursor is not None and cursor.isdigit() else None


def _later(a: str | None, b: str) -> str:
    if a is None:
        return b
    if a.isdigit() and b.isdigit():
        return a if int(a) >= int(b) else b
    return max(a, b)
