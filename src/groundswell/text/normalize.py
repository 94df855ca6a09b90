"""Hashtag normalization for counting: one movement, one key.

People write the same tag as ``#MeToo``, ``#metoo``, ``#METOO`` and, on Japanese and Chinese keyboards,
full-width ``#ＭｅＴｏｏ``. NFKC folds compatibility forms (full-width letters, ligatures, half-width kana)
into their plain forms; ``str.casefold`` then removes case more thoroughly than ``lower`` (German ``ß`` and
``ss`` meet, Greek final sigma meets sigma). The written form stays in ``hashtags``; this key goes in
``hashtags_norm``.
"""

from __future__ import annotations

import unicodedata


def normalize_hashtag(tag: str) -> str:
    """NFKC, then casefold: ``"MeToo"``, ``"ＭｅＴｏｏ"``, ``"METOO"`` -> ``"metoo"``."""
    return unicodedata.normalize("NFKC", tag).casefold()
