"""Movements: which hashtags, spellings, translations and phrases make a post part of a movement.

Definitions are small TOML files (see :mod:`.definition`); the built-in ``metoo`` covers the international
#MeToo family and its related campaigns, each with a source note. Matching runs in enrich
(:mod:`groundswell.enrich.movements`) and fills the ``movements`` column; :mod:`.config` keeps the definitions a
store matches.
"""

from groundswell.movements.definition import (
    DefinitionError,
    Hashtag,
    Movement,
    Phrase,
    builtin,
    builtin_names,
    from_dict,
    load,
    loads,
    resolve,
)

__all__ = [
    "DefinitionError",
    "Hashtag",
    "Movement",
    "Phrase",
    "builtin",
    "builtin_names",
    "from_dict",
    "load",
    "loads",
    "resolve",
]
