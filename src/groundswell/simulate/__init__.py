"""Simulated hashtag movements with known ground truth, written in each platform's real format.

>>> from groundswell.simulate import SimConfig, simulate
>>> truth = simulate(SimConfig(posts=20_000, platforms=("twitter", "facebook", "bluesky"), seed=1), out)

See ``config`` for the knobs and where their defaults come from, ``process`` for the self-exciting
process, ``writers`` for the formats, ``truth`` for what ``truth.json`` holds.
"""

from groundswell.simulate.config import SimConfig
from groundswell.simulate.run import simulate
from groundswell.simulate.truth import Truth

__all__ = ["SimConfig", "Truth", "simulate"]
