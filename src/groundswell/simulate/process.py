"""The self-exciting point process behind a simulated movement, with exact lineage.

A Hawkes process has a cluster (branching) representation, and that is what runs here: *immigrant* posts
arrive from a background intensity (the pre-onset chain message, the burst, the sustained floor, each
platform's copy shifted by its spill-over lag); every post then triggers a negative-binomial number of
*offspring* (mean ``branching``) at exponential delays (mean ``decay_hours``) on its own platform, and so on,
generation after generation. Because each offspring is created by a known parent, the cascade parents
are exact, not inferred — which is what makes the simulator a ground truth for the analytics.

Time is cut into chunks of ``chunk_hours``. A chunk's events are complete once every generation that
lands inside it has been expanded; offspring that land later wait in ``pending``. Memory is therefore
bounded by the events of one chunk plus those in flight, whatever the total size, and events come out in
time order, ready to be written.

Exact totals. ``--posts N`` promises N posts, but a branching process's size is random. ``plan`` runs the
process once counting only cascade sizes (cheap: no text), then drops whole cascades at random until
exactly N posts remain. Dropping a whole cascade never orphans a post, and dropping cascades at random
leaves the offspring-per-post ratio unbiased. ``chunks`` then replays the same random stream and filters.

Visible lineage. A repost of a repost is shown by every platform as a repost of the original (Twitter,
Mastodon and Facebook all attribute a share to the original post), so offspring of a repost get the
repost's own parent as their visible parent. The process still lets reposts trigger offspring: that is
how a retweet exposes a post to new followers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from groundswell.simulate.config import KINDS, SimConfig

ORIGINAL, REPLY, REPOST, QUOTE, COMMENT = (KINDS.index(k) for k in KINDS)
MS_PER_HOUR = 3_600_000
#: negative-binomial dispersion of offspring counts: small → a few posts go viral, most get nothing
DISPERSION = 0.5
#: hours over which the burst rises towards its peak after onset (e-folding time)
RISE_HOURS = 0.5


@dataclass(slots=True)
class Events:
    """Columns of a set of events; every array has one entry per event."""

    t: np.ndarray  # int64 ms since cfg.start
    platform: np.ndarray  # int8 index into cfg.platforms
    pid: np.ndarray  # int64 process id (creation order)
    parent: np.ndarray  # int64 pid of the visible parent, -1 for immigrants
    root: np.ndarray  # int64 cascade id (the immigrant's ordinal)
    kind: np.ndarray  # int8 index into KINDS

    def __len__(self) -> int:
        return len(self.t)

    def take(self, idx: np.ndarray) -> Events:
        return Events(self.t[idx], self.platform[idx], self.pid[idx], self.parent[idx], self.root[idx], self.kind[idx])

    @staticmethod
    def concat(parts: list[Events]) -> Events:
        if not parts:
            return Events.empty()
        return Events(*(np.concatenate([getattr(p, f) for p in parts]) for f in Events.__slots__))

    @staticmethod
    def empty() -> Events:
        i8, i64 = np.int8, np.int64
        return Events(*(np.empty(0, dtype=d) for d in (i64, i8, i64, i64, i64, i8)))


def intensity(cfg: SimConfig, platform: str, t_hours: np.ndarray) -> np.ndarray:
    """Immigrant intensity (relative units) of one platform at times in hours after ``cfg.start``.

    Before onset: the chain message, growing ×e^ramp_growth an hour up to ``ramp_level``. After onset: the
    burst rising over half an hour then decaying as a power law, over a sustained floor (``background``).
    """
    tau = t_hours - cfg.onset(platform)
    after = np.maximum(tau, 0.0)
    pre = cfg.ramp_level * np.exp(cfg.ramp_growth * np.minimum(tau, 0.0))
    chain = cfg.ramp_level * np.exp(-after / 12.0)
    rise = 1.0 - np.exp(-after / RISE_HOURS)
    burst = rise * ((1.0 + after / cfg.burst_c) ** -cfg.burst_p + cfg.background)
    return np.where(tau < 0, pre, chain + burst)


def _rng(cfg: SimConfig, stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([cfg.seed, stream])))


class Process:
    """One realization of the process for a given number of immigrants per platform."""

    def __init__(self, cfg: SimConfig, immigrants: list[int]) -> None:
        self.cfg = cfg
        self.rng = _rng(cfg, 1)
        self.end_ms = round(cfg.hours * MS_PER_HOUR)
        self.chunk_ms = max(60_000, round(cfg.chunk_hours * MS_PER_HOUR) // 60_000 * 60_000)
        self.n_chunks = math.ceil(self.end_ms / self.chunk_ms)
        n_min = math.ceil(self.end_ms / 60_000)
        mid = (np.arange(n_min) + 0.5) / 60.0
        self.minute_w = [intensity(cfg, p, mid) for p in cfg.platforms]
        per_chunk = self.chunk_ms // 60_000
        self.per_chunk = per_chunk
        self.counts = np.zeros((len(cfg.platforms), self.n_chunks), dtype=np.int64)
        for i, w in enumerate(self.minute_w):
            padded = np.zeros(self.n_chunks * per_chunk)
            padded[:n_min] = w
            mass = padded.reshape(self.n_chunks, per_chunk).sum(axis=1)
            self.counts[i] = self.rng.multinomial(immigrants[i], mass / mass.sum())
        self.decay_ms = cfg.decay_hours * MS_PER_HOUR
        self._kind_tables = []
        for p in cfg.platforms:
            kinds = sorted(cfg.offspring_kinds[p].items(), key=lambda kv: KINDS.index(kv[0]))
            codes = np.array([KINDS.index(k) for k, _ in kinds], dtype=np.int8)
            w = np.array([v for _, v in kinds], dtype=float)
            self._kind_tables.append((codes, np.cumsum(w / w.sum())))

    def chunks(self) -> Iterator[tuple[Events, Events]]:
        """Per chunk: its events sorted by (time, pid), and the offspring created while expanding it.

        The second part (offspring of this chunk's posts, wherever in time they land) tells the writer how
        many children each post has before the post is written: its reply / repost counts, and how long
        the post must be remembered for its children to point at.
        """
        pending = Events.empty()
        self.next_pid = 0
        next_root = 0
        for k in range(self.n_chunks):
            lo, hi = k * self.chunk_ms, min((k + 1) * self.chunk_ms, self.end_ms)
            imm = []
            for i, w in enumerate(self.minute_w):
                n = int(self.counts[i, k])
                if not n:
                    continue
                m0 = lo // 60_000
                ww = w[m0 : m0 + self.per_chunk]
                minute = m0 + self.rng.choice(len(ww), size=n, p=ww / ww.sum())
                t = np.sort(minute * 60_000 + self.rng.integers(0, 60_000, size=n))
                t = np.minimum(t, hi - 1)
                imm.append(
                    Events(
                        t.astype(np.int64),
                        np.full(n, i, dtype=np.int8),
                        np.arange(self.next_pid, self.next_pid + n, dtype=np.int64),
                        np.full(n, -1, dtype=np.int64),
                        np.arange(next_root, next_root + n, dtype=np.int64),
                        np.full(n, ORIGINAL, dtype=np.int8),
                    )
                )
                self.next_pid += n
                next_root += n
            due = pending.t < hi
            gen = Events.concat([*imm, pending.take(np.flatnonzero(due))])
            pending = pending.take(np.flatnonzero(~due))
            done = [gen]
            born = []
            while len(gen):
                kids = self._spawn(gen)
                kids = kids.take(np.flatnonzero(kids.t < self.end_ms))
                born.append(kids)
                inside = kids.t < hi
                pending = Events.concat([pending, kids.take(np.flatnonzero(~inside))])
                gen = kids.take(np.flatnonzero(inside))
                done.append(gen)
            ev = Events.concat(done)
            yield ev.take(np.lexsort((ev.pid, ev.t))), Events.concat(born)

    def _spawn(self, gen: Events) -> Events:
        cfg = self.cfg
        if cfg.branching <= 0:
            return Events.empty()
        fertility = self.rng.gamma(DISPERSION, cfg.branching / DISPERSION, size=len(gen))
        m = self.rng.poisson(fertility)
        src = np.repeat(np.arange(len(gen)), m)
        n = len(src)
        delay = self.rng.exponential(self.decay_ms, size=n).astype(np.int64) + 1
        plat = gen.platform[src]
        kind = np.empty(n, dtype=np.int8)
        u = self.rng.random(n)
        for i, (codes, cum) in enumerate(self._kind_tables):
            sel = plat == i
            kind[sel] = codes[np.minimum(np.searchsorted(cum, u[sel], side="right"), len(codes) - 1)]
        parent = np.where(gen.kind[src] == REPOST, gen.parent[src], gen.pid[src])
        pid = np.arange(self.next_pid, self.next_pid + n, dtype=np.int64)
        self.next_pid += n
        return Events(gen.t[src] + delay, plat, pid, parent, gen.root[src], kind)


@dataclass
class Plan:
    """How many immigrants each platform gets, and which cascades are dropped to hit the exact total."""

    immigrants: list[int]
    dropped: np.ndarray  # bool per cascade id
    generated: int  # posts the process generated before dropping


def split(total: int, probs: list[float]) -> list[int]:
    """Largest-remainder split of an integer total by shares (deterministic, sums exactly)."""
    raw = [total * p for p in probs]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def plan(cfg: SimConfig) -> Plan:
    """Choose immigrants so the process yields at least ``cfg.posts``, then drop cascades down to exactly that."""
    m = max(1, math.ceil(cfg.posts * (1 - cfg.branching) * 1.06))
    for _ in range(30):
        immigrants = split(m, cfg.platform_probs())
        immigrants = [max(1, n) for n in immigrants]
        sizes = np.zeros(sum(immigrants), dtype=np.int64)
        for ev, _ in Process(cfg, immigrants).chunks():
            sizes += np.bincount(ev.root, minlength=len(sizes))
        total = int(sizes.sum())
        if total >= cfg.posts:
            dropped = _choose_drops(sizes, total - cfg.posts, _rng(cfg, 2))
            if dropped is not None:
                return Plan(immigrants, dropped, total)
        m = math.ceil(m * max(1.1, 1.05 * cfg.posts / max(total, 1)))
    raise RuntimeError("could not reach the requested number of posts; is the window long enough?")


def _choose_drops(sizes: np.ndarray, excess: int, rng: np.random.Generator) -> np.ndarray | None:
    """Random whole cascades summing to exactly ``excess`` posts (topped up with single posts)."""
    dropped = np.zeros(len(sizes), dtype=bool)
    if excess == 0:
        return dropped
    perm = rng.permutation(len(sizes))
    cum = np.cumsum(sizes[perm])
    k = int(np.searchsorted(cum, excess, side="right"))
    dropped[perm[:k]] = True
    rest_needed = excess - (int(cum[k - 1]) if k else 0)
    rest = perm[k:]
    singles = rest[sizes[rest] == 1][:rest_needed]
    if len(singles) < rest_needed:
        return None
    dropped[singles] = True
    return dropped
