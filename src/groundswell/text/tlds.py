"""Top-level domains, from the Public Suffix List bundled with the ``publicsuffixlist`` package.

A URL written without ``http://`` (``example.com/path``, ``t.co/abc``) is only a URL when it ends in a real
top-level domain: ``foo.com`` is a link, ``foo.baz`` and ``tar.bz2`` are not. twitter-text keeps its own
list; we take the ICANN section of the Public Suffix List instead, which a maintained PyPI package ships and
refreshes (nothing is downloaded at run time). The list covers every delegated TLD, internationalized ones
included (``みんな``, ``中国``, ``پاکستان``), so ``http://foobar.みんな/`` is found.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_BEGIN = "// ===BEGIN ICANN DOMAINS==="
_END = "// ===END ICANN DOMAINS==="


def _psl_text() -> str:
    return (resources.files("publicsuffixlist") / "public_suffix_list.dat").read_text(encoding="utf-8")


@cache
def top_level_domains() -> frozenset[str]:
    """Every ICANN top-level domain, lower-cased, in Unicode form (``みんな``, not ``xn--q9jyb4c``).

    Rules like ``*.ck`` or ``!www.ck`` still name the TLD ``ck``: the last label of every rule is kept.
    """
    text = _psl_text()
    start = text.index(_BEGIN)
    end = text.index(_END, start)
    tlds: set[str] = set()
    for line in text[start:end].splitlines():
        rule = line.strip()
        if not rule or rule.startswith("//"):
            continue
        label = rule.lstrip("!").rsplit(".", 1)[-1]
        if label and label != "*":
            tlds.add(label.lower())
    return frozenset(tlds)
