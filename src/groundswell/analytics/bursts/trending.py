"""Which hashtags are rising fastest, each measured against its own recent past.

Raw volume ranks the hashtags that are always big; a rise is only visible against the hashtag's own baseline.
The score compares the last ``window`` bins with the ``baseline`` bins before them:

    score = log2( ((recent + 1) / window_bins) / ((before + 1) / baseline_bins) )

the doubling count of the hashtag's rate. The ``+ 1`` (a pseudo-post on each side) keeps a hashtag that goes
from 0 to 3 posts from topping the list with an infinite ratio, and ``min_count`` drops hashtags with fewer
recent posts than that, so a ratio of tiny numbers cannot win. A hashtag with no history at all (all baseline
bins 0) is scored against that single pseudo-post: new and busy ranks high, which is what trending should mean.

Missing bins (NaN, e.g. from :func:`.gaps.find_gaps`) are left out of both windows' bin counts and sums, so a
collection gap in the baseline does not make the present look like a surge. A hashtag with no observed bin in
either window is not scored.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def trending(
    counts_by_key: dict[str, ArrayLike],
    *,
    window: int,
    baseline: int,
    min_count: int = 10,
) -> list[tuple[str, float]]:
    """``(key, score)`` for every key with at least ``min_count`` posts in the last ``window`` bins, best first.

    Arrays are aligned on a shared time axis ending now; shorter arrays are taken to end now too. Ties are
    broken by key so the order is stable.
    """
    if window < 1 or baseline < 1:
        raise ValueError("window and baseline must be at least one bin")
    scored = []
    for key, values in counts_by_key.items():
        c = np.asarray(values, dtype=np.float64)
        if c.ndim != 1:
            raise ValueError(f"counts for {key!r} must be one-dimensional")
        recent = c[max(0, c.size - window) :]
        before = c[max(0, c.size - window - baseline) : max(0, c.size - window)]
        recent_bins = int(np.count_nonzero(~np.isnan(recent)))
        before_bins = int(np.count_nonzero(~np.isnan(before)))
        if not recent_bins or not before_bins:
            continue
        recent_sum = float(np.nansum(recent))
        if recent_sum < min_count:
            continue
        before_sum = float(np.nansum(before))
        score = math.log2(((recent_sum + 1) / recent_bins) / ((before_sum + 1) / before_bins))
        scored.append((key, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored
