"""Merge the second and third labeling rounds into ``labels/`` (ids and labels only; texts stay in ``../shared``).

Reads ``SRC/out/LN_bK.tsv`` (``index, category, act, setting, age, perpetrator``, one file per labeler N and
batch K), maps each index to its tweet id through the three manifests of ``SRC`` (``first_manifest.tsv``:
indices < 2000, the first sample's never-labeled posts; ``manifest.tsv``: 2000+, the second sample drawn by
``sample2.py``; ``overlap2_manifest.tsv``: 9000+, gold posts mixed in blind) and writes:

- ``extra.tsv``: the rows already there, then every new non-gold post (a post labeled twice keeps its first
  label), in index order. Only ever used for training.
- ``overlap2.tsv``: the new gold posts with the labeler, for agreement only (never trained on).
- ``provenance.tsv``: for every row of ``extra.tsv``, the round, the sampling stratum and the labeler.

The third round is already in the repository as ``round3.tsv`` (ids, labels, labeler, stratum); its rows are
appended to ``extra.tsv`` after the second round's, in the order of that file.

A labels file is merged only when complete (its indices are exactly those of its batch, every line has six
fields), the check ``SRC/check.py`` makes. Re-running is idempotent: rows of earlier runs are rebuilt, not
appended twice.

    .venv/bin/python scripts/participation/merge_labels.py [--src /work/labels2]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

LABELS = Path(__file__).resolve().parents[2] / "src" / "groundswell" / "participation" / "labels"
GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "gold" / "train.tsv"
COLUMNS = ["tweet_id", "category", "act", "setting", "age", "perpetrator"]
SECOND_ROUND_LABELERS = ("L1", "L2", "L3", "L4", "L5")
FIRST_ROUND_LABELER = "claude-r1"  # the first round's single labeler (labels/README.md)


def _tsv(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows({c: r[c] for c in columns} for r in rows)


def complete_files(src: Path) -> list[Path]:
    """Label files whose indices match their batch exactly and whose lines have six fields."""
    out = []
    for p in sorted((src / "out").glob("L*_b*.tsv")):
        batch = src / f"{p.stem}.txt"
        if not batch.exists():
            continue
        want = [line.split("\t")[0] for line in batch.read_text(encoding="utf-8").splitlines()]
        got = _tsv(p)
        if [g[0] for g in got] == want and all(len(g) == 6 for g in got):
            out.append(p)
    return out


def merge(src: Path, labels: Path = LABELS) -> dict[str, int]:
    """Rebuild extra.tsv, overlap2.tsv and provenance.tsv from the first round plus complete files in src."""
    index: dict[int, tuple[str, str]] = {}
    for name in ("first_manifest.tsv", "manifest.tsv", "overlap2_manifest.tsv"):
        for idx, tid, stratum in _tsv(src / name):
            if stratum != "overlap":  # the first round's overlap posts are already in overlap.tsv
                index[int(idx)] = (tid, stratum)
    first_strata = {tid: s for i, (tid, s) in index.items() if i < 2000}
    gold = {r["tweet_id"] for r in _read(GOLD)}
    extra = _read(labels / "extra.tsv")
    # keep only the first round's rows (those not produced by an earlier run of this script)
    later = {r["tweet_id"] for r in _read(labels / "provenance.tsv") if r["round"] != "1"}
    extra = [r for r in extra if r["tweet_id"] not in later]
    prov = [
        {"tweet_id": r["tweet_id"], "round": "1", "stratum": first_strata.get(r["tweet_id"], "?"),
         "labeler": FIRST_ROUND_LABELER}
        for r in extra
    ]
    seen = {r["tweet_id"] for r in extra}
    new, overlap = [], []
    for p in complete_files(src):
        labeler = p.stem.split("_")[0]
        if labeler not in SECOND_ROUND_LABELERS:  # L6-L9 files are the third round, merged from round3.tsv
            continue
        for idx, cat, act, setting, age, perp in _tsv(p):
            tid, stratum = index[int(idx)]
            row = {"tweet_id": tid, "category": cat, "act": act, "setting": setting, "age": age,
                   "perpetrator": perp, "labeler": labeler, "index": int(idx)}
            if stratum == "overlap2":
                assert tid in gold, f"{idx}: overlap post {tid} is not in train.tsv"
                overlap.append(row)
            elif tid not in gold and tid not in seen:
                new.append((row, stratum))
                seen.add(tid)
    new.sort(key=lambda rs: rs[0]["index"])
    overlap.sort(key=lambda r: r["index"])
    extra += [r for r, _ in new]
    prov += [{"tweet_id": r["tweet_id"], "round": "2", "stratum": s, "labeler": r["labeler"]} for r, s in new]
    # the third round is kept whole in round3.tsv (with labeler and stratum); its posts are appended as they are
    third = [r for r in _read(labels / "round3.tsv") if r["tweet_id"] not in gold and r["tweet_id"] not in seen]
    extra += third
    prov += [{"tweet_id": r["tweet_id"], "round": "3", "stratum": r["stratum"], "labeler": r["labeler"]} for r in third]
    _write(labels / "extra.tsv", COLUMNS, extra)
    _write(labels / "overlap2.tsv", [*COLUMNS, "labeler"], overlap)
    _write(labels / "provenance.tsv", ["tweet_id", "round", "stratum", "labeler"], prov)
    return {"extra": len(extra), "new": len(new), "third": len(third), "overlap2": len(overlap),
            "files": len(complete_files(src))}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=Path("/work/labels2"))
    print(merge(ap.parse_args().src))


if __name__ == "__main__":
    main()
