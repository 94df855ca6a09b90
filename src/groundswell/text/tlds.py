"""Top-level domains, from the Public Suffix List bundled with the ``publicsuffixlist`` package.

A URL written without ``http://`` (``example.com/path``, ``t.co/abc``) is only a URL when it ends in a real
top-level domain: ``foo.com`` is a link, ``foo.baz`` and ``tar.bz2`` are not. twitter-text keeps its own
list; we take the ICANN section of the Public Suffix List instead, which a maintained PyPI package ships and
refreshes (nothing is downloaded at run time). The list covers every delegated TLD, internationalized ones
included (``みんな``, ``中国``, ``پاکستان``), so ``http://foobar.みんな/`` is found.
"""

from __future__ import annotations

import re
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


def _trie_pattern(node: dict[str, dict]) -> str:
    end = "" in node
    branches = sorted((ch, child) for ch, child in node.items() if ch)
    if not branches:
        return ""
    leaves = [re.escape(ch) for ch, child in branches if list(child) == [""]]
    inner = [re.escape(ch) + _trie_pattern(child) for ch, child in branches if list(child) != [""]]
    if len(leaves) == 1:
        inner.append(leaves[0])
    elif leaves:
        inner.append("[" + "".join(leaves) + "]")
    body = inner[0] if len(inner) == 1 and not end else "(?:" + "|".join(inner) + ")"
    return body + ("?" if end else "")


@cache
def tld_pattern() -> str:
    """A regular expression matching any TLD (lower case), factored as a trie: ``c(?:o(?:m|op)?|a|…)``.

    Why not a 1,500-way alternation: the engine would try every TLD at every dot. A trie tries only the
    branches that the next character allows, which made URL extraction several times faster.
    """
    trie: dict[str, dict] = {}
    for tld in top_level_domains():
        node = trie
        for ch in tld:
            node = node.setdefault(ch, {})
        node[""] = {}
    return "(?:" + _trie_pattern(trie) + ")"
