"""``groundswell train``, ``evaluate`` and ``cv``: thin Typer wrappers over groundswell.participation.

Each command is one library call plus a Rich table; ``cv`` is the documented acceptance measurement
(5-fold cross-validation on the gold file, prevalence checked against the true shares).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["register"]


def _scores_table(title: str, r: dict[str, Any]) -> Table:
    t = Table(title=title)
    for col in ("class", "precision", "recall", "F1", "support", "true share", "estimated share", "argmax share"):
        t.add_column(col, justify="left" if col == "class" else "right")
    for c, v in r["per_class"].items():
        p = r["prevalence"][c]
        t.add_row(
            c,
            f"{v['precision']:.3f}",
            f"{v['recall']:.3f}",
            f"{v['f1']:.3f}",
            str(v["support"]),
            f"{p['true']:.3f}",
            f"{p['estimated']:.3f}",
            f"{p['argmax_count']:.3f}",
        )
    t.caption = f"macro-F1 {r['macro_f1']:.3f} · accuracy {r['accuracy']:.3f} · n {r['n']}"
    return t


def _confusion_table(r: dict[str, Any]) -> Table:
    t = Table(title="confusion (rows true, columns predicted)")
    t.add_column("")
    short = [c[:5] for c in r["classes"]]
    for s in short:
        t.add_column(s, justify="right")
    for c, row in zip(r["classes"], r["confusion"], strict=True):
        t.add_row(c, *[str(v) for v in row])
    return t


def register(app: typer.Typer) -> None:
    """Add the ``train``, ``evaluate`` and ``cv`` commands to ``app``."""
    # paths only: importing groundswell.participation loads scikit-learn, seconds the CLI should not pay
    # for commands that don't classify
    here = Path(__file__).resolve().parents[1] / "participation"
    shared = here.parents[2] / ".." / "shared" / "data"
    data = SimpleNamespace(
        DEFAULT_GOLD=shared / "gold" / "train.tsv",
        DEFAULT_TEXTS=shared / "metoo2017" / "metoo-2017-10-14_2017-11-30.jsonl.gz",
        DEFAULT_EXTRA=here / "labels" / "extra.tsv",
    )
    DEFAULT_MODEL = here / "artifact" / "participation.npz"

    class _Lazy:
        def __getattr__(self, name: str) -> Any:
            from groundswell import participation

            return getattr(participation, name)

    part = _Lazy()

    @app.command("train")
    def train_cmd(
        labeled: Annotated[
            Path, typer.Argument(help="Gold-format TSV to train on.", show_default="../shared/data/gold/train.tsv")
        ] = data.DEFAULT_GOLD,
        out: Annotated[
            Path,
            typer.Option(help="Where to write the model artifact.", show_default="the artifact shipped in the package"),
        ] = DEFAULT_MODEL,
        extra: Annotated[
            Path,
            typer.Option(help="Extra labels (ids + labels) to add.", show_default="the package's labels/extra.tsv"),
        ] = data.DEFAULT_EXTRA,
        texts: Annotated[
            Path,
            typer.Option(
                help="JSONL(.gz) archive with the extra posts' texts.", show_default="the shared 2017 archive"
            ),
        ] = data.DEFAULT_TEXTS,
        seed: Annotated[int, typer.Option(help="Random seed (a fixed seed gives an identical artifact).")] = 0,
    ) -> None:
        """Rebuild the participation model from a labeled file."""
        command = "groundswell " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        part.train(labeled, out, extra=extra, texts=texts, seed=seed, command=command)
        Console().print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")

    @app.command("evaluate")
    def evaluate_cmd(
        labeled: Annotated[Path, typer.Argument(help="Gold-format TSV (tweet_id, text, category, ...).")],
        model: Annotated[Path | None, typer.Option(help="Model artifact (default: the shipped one).")] = None,
    ) -> None:
        """Per-class precision/recall/F1, macro-F1, confusion and prevalence of the model on a labeled file."""
        r = part.evaluate(labeled, part.load_model(str(model)) if model else None)
        c = Console()
        c.print(_scores_table(f"evaluate {labeled.name}", r))
        c.print(_confusion_table(r))

    @app.command("cv")
    def cv_cmd(
        labeled: Annotated[
            Path,
            typer.Argument(help="Gold-format TSV to cross-validate on.", show_default="../shared/data/gold/train.tsv"),
        ] = data.DEFAULT_GOLD,
        folds: Annotated[int, typer.Option(help="Number of folds.")] = 5,
        seed: Annotated[int, typer.Option(help="Fold assignment and model seed.")] = 0,
    ) -> None:
        """k-fold cross-validation on gold labels (the acceptance measurement of issue #4)."""
        r = part.cross_validate(labeled, folds=folds, seed=seed)
        c = Console()
        c.print(_scores_table(f"{folds}-fold CV on {labeled.name} (+{r['n_extra_train']} extra training posts)", r))
        c.print(_confusion_table(r))
        c.print(f"largest per-fold prevalence error: {r['max_fold_prevalence_error'] * 100:.1f} points")
