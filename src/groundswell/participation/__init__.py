"""Participation: who acknowledged, disclosed, supported, commented on or opposed a movement.

A fast multilingual linear classifier for the six classes of the gold codebook, trained on the gold file
and the project's extra labels, shipped as a small artifact inside the package; disclosure attributes;
prevalence corrected for the classifier's confusion; cross-validation and evaluation on gold-format files.
"""

from __future__ import annotations

import importlib
from typing import Any

# Names load on first use (PEP 562): the model pulls in scikit-learn, which costs seconds at import, and the
# CLI imports this package just to describe its commands.
_WHERE = {
    "enrich_participation": "enrich",
    "cross_validate": "evaluate",
    "evaluate": "evaluate",
    "metrics": "evaluate",
    "train": "evaluate",
    "ATTRIBUTES": "model",
    "CLASSES": "model",
    "Model": "model",
    "load_model": "model",
    "normalize": "normalize",
    "prevalence": "prevalence",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        # importing .evaluate / .prevalence / .normalize bound the *module* to that name on this package;
        # the public name is the function, so bind it (and bind the rest, so later lookups are direct)
        globals()[name] = value
        for other, where in _WHERE.items():
            if where == _WHERE[name]:
                globals()[other] = getattr(importlib.import_module(f".{where}", __name__), other)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

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
