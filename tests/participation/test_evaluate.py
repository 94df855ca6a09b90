"""``evaluate`` and the CLI commands on gold-format files made of real gold rows."""

from __future__ import annotations

import numpy as np
import typer
from typer.testing import CliRunner

from groundswell.cli.participation import register
from groundswell.participation import CLASSES, evaluate, load_model, metrics


def test_metrics_by_hand():
    true = ["support", "support", "opposition", "commentary"]
    pred = ["support", "opposition", "opposition", "commentary"]
    r = metrics(true, pred)
    assert r["per_class"]["support"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert r["per_class"]["opposition"]["precision"] == 0.5
    assert r["accuracy"] == 0.75
    assert sum(map(sum, r["confusion"])) == 4


def test_evaluate_on_a_gold_format_file(gold_rows, tmp_path, write_gold_subset):
    rows = gold_rows[1000:1400]
    path = write_gold_subset(rows, tmp_path / "gold_rows_1000_1400.tsv")
    r = evaluate(path)
    assert r["n"] == 400
    cm = np.array(r["confusion"])
    assert cm.sum() == 400
    true = [x["category"] for x in rows]
    labels, _ = load_model().predict([x["text"] for x in rows])
    assert r["accuracy"] == np.mean(np.array(true) == labels)
    for i, c in enumerate(CLASSES):
        assert r["per_class"][c]["support"] == true.count(c) == cm[i].sum()
        assert abs(r["prevalence"][c]["true"] - true.count(c) / 400) < 1e-12
    assert abs(sum(v["estimated"] for v in r["prevalence"].values()) - 1) < 1e-6


def test_cli_evaluate_prints_tables(gold_rows, tmp_path, write_gold_subset):
    path = write_gold_subset(gold_rows[:150], tmp_path / "gold_rows_0_150.tsv")
    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["evaluate", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "macro-F1" in res.output and "disclosure" in res.output and "confusion" in res.output


def test_cli_train_writes_an_artifact(gold_rows, tmp_path, write_gold_subset):
    path = write_gold_subset(gold_rows[:300], tmp_path / "gold_rows_0_300.tsv")
    out = tmp_path / "m.npz"
    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(app, ["train", str(path), "--out", str(out), "--extra", str(tmp_path / "none.tsv")])
    assert res.exit_code == 0, res.output
    m = load_model(str(out))
    assert m.meta["inputs"]["gold"]["rows"] == 300 and "extra" not in m.meta["inputs"]
