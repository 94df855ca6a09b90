"""A plain Kleinberg automaton to check the vectorized one against: loops, textbook costs, no cleverness.

It follows the paper literally: K states, emission cost -ln P(observation | state), transition cost
(j - i) * gamma * ln(n) upwards and 0 downwards, a K x K Viterbi table with back pointers. Ties go to the lower
state (the conservative reading: no burst without evidence). Missing bins are skipped, as the module documents,
and reported as -1.
"""

from __future__ import annotations

import itertools
import math


def reference_states(counts, totals=None, *, s=2.0, gamma=1.0, levels=3, missing=None):
    n_all = len(counts)
    observed = []
    for t in range(n_all):
        if missing is not None and missing[t]:
            continue
        if math.isnan(counts[t]):
            continue
        if totals is not None and (math.isnan(totals[t]) or totals[t] <= 0):
            continue
        observed.append(t)
    states_out = [-1] * n_all
    n = len(observed)
    if n == 0:
        return states_out

    if totals is None:
        base = sum(counts[t] for t in observed) / n
        if base <= 0:
            for t in observed:
                states_out[t] = 0
            return states_out
        rates = [base * s**i for i in range(levels + 1)]

        def cost(i, t):
            lam = rates[i]
            r = counts[t]
            return lam - r * math.log(lam) + math.lgamma(r + 1)

    else:
        base = sum(counts[t] for t in observed) / sum(totals[t] for t in observed)
        probs = [base * s**i for i in range(levels + 1)]
        probs = [p for p in probs if p < 1]
        if base <= 0 or len(probs) < 2:
            for t in observed:
                states_out[t] = 0
            return states_out

        def cost(i, t):
            p = probs[i]
            r, d = counts[t], totals[t]
            log_choose = math.lgamma(d + 1) - math.lgamma(r + 1) - math.lgamma(d - r + 1)
            return -(log_choose + r * math.log(p) + (d - r) * math.log(1 - p))

        rates = probs

    k = len(rates)

    def tau(i, j):
        if j > i:
            return (j - i) * gamma * math.log(n)
        return 0.0

    # Viterbi: best[j] is the cheapest cost of a path ending in state j; start in state 0.
    best = [0.0] + [math.inf] * (k - 1)
    back = []
    for t in observed:
        new_best = []
        pointers = []
        for j in range(k):
            choice, choice_cost = 0, math.inf
            for i in range(k):
                c = best[i] + tau(i, j)
                if c < choice_cost:
                    choice, choice_cost = i, c
            new_best.append(choice_cost + cost(j, t))
            pointers.append(choice)
        best = new_best
        back.append(pointers)

    state = min(range(k), key=lambda j: (best[j], j))
    path = [0] * n
    for pos in range(n - 1, -1, -1):
        path[pos] = state
        state = back[pos][state]
    for pos, t in enumerate(observed):
        states_out[t] = path[pos]
    return states_out


def reference_offset_states(offsets, *, s=2.0, gamma=1.0, levels=3):
    """Kleinberg's original model over the gaps between sorted event times: one state per gap."""
    times = sorted(offsets)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    n = len(gaps)
    mean_gap = sum(gaps) / n
    k = levels + 1
    rates = [s**i / mean_gap for i in range(k)]

    def cost(i, x):
        return (
            -math.log(rates[i] * math.exp(-rates[i] * x)) if rates[i] * x < 700 else rates[i] * x - math.log(rates[i])
        )

    def tau(i, j):
        return (j - i) * gamma * math.log(n) if j > i else 0.0

    best = [0.0] + [math.inf] * (k - 1)
    back = []
    for x in gaps:
        new_best, pointers = [], []
        for j in range(k):
            choice, choice_cost = 0, math.inf
            for i in range(k):
                c = best[i] + tau(i, j)
                if c < choice_cost:
                    choice, choice_cost = i, c
            new_best.append(choice_cost + cost(j, x))
            pointers.append(choice)
        best = new_best
        back.append(pointers)
    state = min(range(k), key=lambda j: (best[j], j))
    path = [0] * n
    for t in range(n - 1, -1, -1):
        path[t] = state
        state = back[t][state]
    return path


def runs_by_level(states):
    """(level, first, last) of every maximal run at or above each level, read off a state list plainly."""
    runs = []
    top = max([q for q in states if q >= 0], default=0)
    for level in range(1, top + 1):
        start = None
        for t, q in enumerate([*states, 0]):
            if q >= level and start is None:
                start = t
            elif q < level and start is not None:
                runs.append((level, start, t - 1))
                start = None
    return sorted(runs, key=lambda r: (r[1], r[0]))
