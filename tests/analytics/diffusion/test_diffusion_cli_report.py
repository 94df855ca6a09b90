"""The ``cascades``, ``spread`` and ``network`` commands and the Cascades / Spread report sections, end to end."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from groundswell.cli import app
from groundswell.ingest import ingest
from groundswell.report.html import render
from groundswell.simulate import SimConfig, simulate
from groundswell.store.duckdb_store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    cfg = SimConfig(posts=3_000, seed=4, platforms=("twitter", "facebook"), lag_hours={"twitter": 0.0, "facebook": 6.0})
    truth = simulate(cfg, d / "sim")
    path = d / "movement.duckdb"
    with Store(path) as store:
        ingest([d / "sim" / f for fs in truth.files.values() for f in fs], store, workers=1)
    return path, truth


def _json(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_cascades_command(db):
    path, truth = db
    out = _json(["cascades", "--db", str(path), "--json", "--k", "5", "--top", "5"])
    sizes = out["cascade sizes"]
    assert sum(r["posts"] for r in sizes if r["posts"] is not None) <= truth.posts
    top = out["largest cascades"]
    assert len(top) == 5
    visible = [r for r in top if not r["suppressed"]]
    assert visible and all(r["root_id"] for r in visible)
    assert all(r["root_id"] is None for r in top if r["suppressed"])


def test_cascades_suppress_small_ones(db):
    path, _ = db
    top = _json(["cascades", "--db", str(path), "--json", "--k", "1000"])["largest cascades"]
    assert all(r["suppressed"] and r["root_id"] is None and r["posts"] is None for r in top)


def test_spread_command(db):
    path, _ = db
    out = _json(["spread", "--db", str(path), "--json", "--k", "5"])
    lag = {r["platform"]: r["lag_hours"] for r in out["onsets"]}
    assert lag["twitter"] == 0 and abs(lag["facebook"] - 6) <= 1


@pytest.mark.parametrize("kind,suffix", [("interaction", ".gexf"), ("cohashtag", ".graphml")])
def test_network_command(db, tmp_path, kind, suffix):
    path, _ = db
    out = tmp_path / f"net{suffix}"
    res = runner.invoke(app, ["network", "--db", str(path), "--kind", kind, "--out", str(out), "--json", "--k", "5"])
    assert res.exit_code == 0, res.output
    g = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    assert g.number_of_nodes() > 0
    assert json.loads(res.stdout)["communities"]


def test_network_refuses_unknown_kind(db, tmp_path):
    path, _ = db
    res = runner.invoke(app, ["network", "--db", str(path), "--kind", "friends", "--out", str(tmp_path / "x.gexf")])
    assert res.exit_code != 0


def test_report_has_cascades_and_spread(db):
    path, _ = db
    with Store(path, read_only=True) as store:
        html = render(store, k=5)
    assert 'id="cascades"' in html or "Cascades" in html
    assert "Spread across platforms" in html
    assert "branching ratio" in html
    assert html.count("<svg") >= 4
