"""Participation: who acknowledged, disclosed, supported, commented on or opposed a movement.

A fast multilingual linear classifier for the six classes of the gold codebook, trained on the gold file
and the project's extra labels, shipped as a small artifact inside the package; disclosure attributes;
prevalence corrected for the classifier's confusion; cross-validation and evaluation on gold-format files.
"""

from __future__ import annotations

from .enrich import enrich_participation
from .evaluate import cross_validate, evaluate, metrics, train
from .model import ATTRIBUTES, CLASSES, Model, load_model
from .normalize import normalize
from .prevalence import prevalence

__all__ = [
    "ATTRIBUTES",
    "CLASSES",
    "Model",
    "cross_validate",
    "enrich_participation",
    "evaluate",
    "load_model",
    "metrics",
    "normalize",
    "prevalence",
    "train",
]
