"""Benchmark: entity extraction on the 280,733 real #MeToo 2017 texts, beside anchors run on the same texts.

    .venv/bin/python bench/text_extract.py [--limit N] [--repeat R]

Prints posts per second for ``groundswell.text.batch.extract_entities`` (hashtags + mentions + URLs, Arrow
in and out) and for each single-text extractor, next to two anchors measured in the same run:

* ``twitter-text-parser`` (PyPI, the maintained Python port of twitter-text), whose only extractor is URLs;
* ``re.findall(r"#\\w+")``, the cheapest hashtag grab there is, as a yardstick of this machine's speed.

Rates are CPU time of this process (``time.process_time``), best of ``--repeat`` runs, so a busy shared
machine distorts them less than wall time would; ratios to the anchors are what to compare across
machines. It also runs Twitter's conformance suite through both implementations, section by section.

The scrape split every tag as "# MeToo"; texts are repaired the way the reader will before extraction.
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import yaml
from twitter_text import extract_urls_with_indices as ttp_extract_urls_with_indices

from groundswell.text.batch import extract_entities
from groundswell.text.extract import (
    extract_hashtags,
    extract_mentions,
    extract_urls,
    extract_urls_with_indices,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
METOO = DATA / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz"
SUITE = DATA / "twitter-text-conformance" / "extract.yml"
REPAIR = re.compile(r"(?<![\w&#@])([#@＃]) (?=\w)")
HASH_WORD = re.compile(r"#\w+")


def load_texts(limit: int | None) -> list[str]:
    texts = []
    with gzip.open(METOO) as lines:
        for line in lines:
            texts.append(REPAIR.sub(r"\1", orjson.loads(line)["text"] or ""))
            if limit and len(texts) >= limit:
                break
    return texts


def best_rate(run: Callable[[], Any], n: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return n / best


def conformance() -> None:
    suite = yaml.safe_load(SUITE.read_text(encoding="utf-8"))["tests"]
    print("\nconformance, URL sections (cases passed):")
    print(f"  {'section':32s} {'groundswell':>12s} {'twitter-text-parser':>20s}")
    for section in ("urls", "urls_with_indices", "urls_with_directional_markers", "tco_urls_with_params"):
        ours = theirs = 0
        for case in suite[section]:
            expected = case["expected"]
            mine = [{"url": u, "indices": [s, e]} for u, s, e in extract_urls_with_indices(case["text"])]
            other = ttp_extract_urls_with_indices(case["text"])
            if expected and isinstance(expected[0], str):
                mine, other = [m["url"] for m in mine], [o["url"] for o in other]
            ours += mine == expected
            theirs += other == expected
        print(f"  {section:32s} {ours:>7d}/{len(suite[section]):<4d} {theirs:>15d}/{len(suite[section]):<4d}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept")
    args = parser.parse_args()

    texts = load_texts(args.limit)
    array = pa.array(texts)
    n = len(texts)
    print(f"{n:,} texts, {sum(map(len, texts)) / n:.0f} characters on average")

    rows: list[tuple[str, float]] = [
        (
            "anchor: re.findall(r'#\\w+') per text",
            best_rate(lambda: [HASH_WORD.findall(t) for t in texts], n, args.repeat),
        ),
        (
            "anchor: twitter-text-parser URLs per text",
            best_rate(lambda: [ttp_extract_urls_with_indices(t) for t in texts], n, args.repeat),
        ),
        ("groundswell extract_entities (batch, all three)", best_rate(lambda: extract_entities(array), n, args.repeat)),
        (
            "groundswell extract_hashtags per text",
            best_rate(lambda: [extract_hashtags(t) for t in texts], n, args.repeat),
        ),
        (
            "groundswell extract_mentions per text",
            best_rate(lambda: [extract_mentions(t) for t in texts], n, args.repeat),
        ),
        ("groundswell extract_urls per text", best_rate(lambda: [extract_urls(t) for t in texts], n, args.repeat)),
    ]
    hash_anchor, ttp_anchor = rows[0][1], rows[1][1]
    print(f"\n{'':50s} {'posts/s (CPU)':>14s} {'÷ re anchor':>12s} {'÷ ttp anchor':>13s}")
    for name, rate in rows:
        print(f"{name:50s} {rate:>14,.0f} {rate / hash_anchor:>12.2f} {rate / ttp_anchor:>13.2f}")

    entities = extract_entities(array)
    counts = {key: sum(len(row) for row in column.to_pylist()) for key, column in entities.items()}
    ttp_urls = sum(len(ttp_extract_urls_with_indices(t)) for t in texts)
    print(f"\nfound: {counts} (twitter-text-parser URLs: {ttp_urls:,})")
    conformance()


if __name__ == "__main__":
    main()
