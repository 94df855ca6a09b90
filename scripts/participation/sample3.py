"""Draw a third labeling sample from metoo2017 (seed 20171130), excluding everything labeled or sampled before.

Excluded: the 2,000 gold ids, every id of the first two samples (/tmp/label/manifest.tsv, 1,810 ids; /work/labels2/manifest.tsv, 4,000 ids), posts
before 16 Oct 2017, and posts whose normalized text duplicates a gold post, a first-sample post, or an earlier
post of this sample. Then: 500 at random and 1,900 targeted (800 posts the shipped model
predicts as support, 700 as opposition, 400 as disclosure). Shuffled, written as batches of 200 lines
`index<TAB>text` (indices 10000+), with a manifest `index<TAB>tweet_id<TAB>stratum`.
"""
import csv, gzip, json, random, sys
from pathlib import Path
import numpy as np
from groundswell.participation import load_model, normalize
from groundswell.participation.normalize import normalize_batch
from groundswell.participation.model import CLASSES

SH = Path("/work/shared/data")
gold = list(csv.DictReader(open(SH / "gold/train.tsv", newline="", encoding="utf-8"), delimiter="\t"))
gold_ids = {r["tweet_id"] for r in gold}
first = {l.split("\t")[1] for f in ("/tmp/label/manifest.tsv", "/work/labels2/manifest.tsv") for l in open(f).read().splitlines()}
posts = []
with gzip.open(SH / "metoo2017/metoo-2017-10-14_2017-11-30.jsonl.gz", "rt", encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        posts.append((d["tweet_id"], d["text"] or ""))
byid = dict(posts)
seen = set(normalize_batch([r["text"] for r in gold])) | set(normalize_batch([byid[i] for i in first if i in byid]))
cut = (1508112000000 - 1288834974657) << 22  # 2017-10-16T00:00Z as a snowflake
cand = [(i, t) for i, t in posts if i not in gold_ids and i not in first and int(i) >= cut and t.strip()]
norms = normalize_batch([t for _, t in cand])
keep, ks = [], set(seen)
for (i, t), n in zip(cand, norms):
    if n in ks:
        continue
    ks.add(n)
    keep.append((i, t))
print("candidates", len(cand), "unique", len(keep), file=sys.stderr)
model = load_model()
proba = model.predict_proba([t for _, t in keep])
pred = np.array(CLASSES)[proba.argmax(1)]
rng = random.Random(20171130)
order = list(range(len(keep)))
rng.shuffle(order)
chosen: dict[int, str] = {}
for k in order[:500]:
    chosen[k] = "random"
for cls, quota in (("support", 800), ("opposition", 700), ("disclosure", 400)):
    n = 0
    for k in order[500:]:
        if n == quota:
            break
        if k not in chosen and pred[k] == cls:
            chosen[k] = "targeted"
            n += 1
items = list(chosen.items())
rng.shuffle(items)
out = Path("/work/labels2/third")
with open(out / "manifest.tsv", "w") as man:
    for b in range(0, len(items), 200):
        with open(out / f"batch_{b // 200 + 30:02d}.txt", "w") as bf:
            for j, (k, stratum) in enumerate(items[b : b + 200]):
                idx = 10000 + b + j
                i, t = keep[k]
                bf.write(f"{idx}\t{' '.join(t.split())}\n")
                man.write(f"{idx}\t{i}\t{stratum}\n")
print("wrote", len(items), file=sys.stderr)
