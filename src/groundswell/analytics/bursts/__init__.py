"""Bursts in binned counts: when did attention to a hashtag jump, and how far?

Pure numpy over arrays of counts per bin (the SQL that makes the bins lives elsewhere):

* :mod:`.kleinberg`: Kleinberg's multi-level burst automaton over a whole series, for analysis;
* :mod:`.online`: onset alarms for a live stream, one bin at a time;
* :mod:`.trending`: which hashtags are rising fastest against their own baseline;
* :mod:`.gaps`: which bins are collection gaps. A gap is missing data, never zero posts, and every
  detector here takes a ``missing`` mask so that silence it did not observe cannot start, end or stretch a burst.
"""

from groundswell.analytics.bursts.gaps import find_gaps
from groundswell.analytics.bursts.kleinberg import MISSING, Burst, kleinberg_bursts, kleinberg_offsets, kleinberg_states
from groundswell.analytics.bursts.online import OnlineDetector, Onset, detect_online
from groundswell.analytics.bursts.trending import trending

__all__ = [
    "MISSING",
    "Burst",
    "OnlineDetector",
    "Onset",
    "detect_online",
    "find_gaps",
    "kleinberg_bursts",
    "kleinberg_offsets",
    "kleinberg_states",
    "trending",
]
