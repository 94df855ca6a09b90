"""``groundswell magnitude | bursts | trending | origin`` end to end: the real CLI app on real stores."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

from groundswell.cli import app

run = CliRunner().invoke


def _json(args: list[str]):
    result = run(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_magnitude_json_has_every_table_and_the_truths_counts(multi_db):
    db, truth = multi_db
    out = _json(["magnitude", "--db", str(db), "--k", "5"])
    assert {"summary", "per platform", "per language", "per country", "per day", "time to participants"} <= set(out)
    assert {r["platform"]: r["posts"] for r in out["per platform"]} == truth.counts["platform"]
    assert out["summary"][0]["figure"] == "posts" and out["summary"][0]["posts"] == truth.posts
    assert out["per day"][-1]["cum_posts"] == truth.posts  # k=5 suppresses no day of this movement


def test_magnitude_with_a_sample_rate_adds_intervals(multi_db):
    db, _ = multi_db
    out = _json(["magnitude", "--db", str(db), "--sample-rate", "0.01", "--table", "per platform"])
    for row in out:
        assert row["posts_est"] == row["posts"] * 100
        assert row["posts_low"] < row["posts_est"] < row["posts_high"]


def test_csv_prints_one_table_and_asks_which(multi_db):
    db, truth = multi_db
    result = run(app, ["magnitude", "--db", str(db), "--csv", "--table", "per platform"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["platform"]: int(r["posts"]) for r in rows} == truth.counts["platform"]
    refused = run(app, ["magnitude", "--db", str(db), "--csv"])
    assert refused.exit_code == 2 and "--table" in refused.output


def test_small_cells_are_suppressed_in_every_output(multi_db):
    db, _ = multi_db
    out = _json(["magnitude", "--db", str(db), "--k", "100000", "--table", "per platform"])
    assert all(r["suppressed"] and r["posts"] is None and r["authors"] is None for r in out)


def test_bursts_json_starts_at_the_onset(multi_db):
    db, truth = multi_db
    onset = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    rows = _json(["bursts", "--db", str(db), "--platform", "twitter", "--k", "5"])
    top = max(rows, key=lambda r: r["weight"])
    assert abs(datetime.fromisoformat(top["start"]) - onset) <= timedelta(hours=1)


def test_bursts_online_replays_the_stream(multi_db):
    db, truth = multi_db
    onset = datetime.fromisoformat(truth.onsets["twitter"]["bin_start"])
    rows = _json(["bursts", "--db", str(db), "--online", "--key", "all", "--warmup", "4"])
    assert rows and {r["key"] for r in rows} == {"all"}
    assert onset <= datetime.fromisoformat(rows[0]["bin_start"]) <= onset + timedelta(hours=2)


def test_bursts_refuses_a_malformed_gap(multi_db):
    db, _ = multi_db
    result = run(app, ["bursts", "--db", str(db), "--gap", "yesterday"])
    assert result.exit_code == 2 and "START/END" in result.output


def test_trending_csv(multi_db):
    db, truth = multi_db
    at = (datetime.fromisoformat(truth.onsets["twitter"]["bin_start"]) + timedelta(hours=6)).isoformat()
    args = ["trending", "--db", str(db), "--window", "6", "--baseline", "24", "--min-count", "5", "--k", "5"]
    result = run(app, [*args, "--at", at[:19], "--movement", "metoo", "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and "metoo" not in {r["hashtag"] for r in rows}
    assert any(r["hashtag"] == "howiwillchange" and r["related"] == "true" for r in rows)


def test_origin_on_the_real_sample_names_the_actor_as_seed(metoo_db):
    from groundswell.privacy.pseudonyms import Pseudonymizer

    out = _json(["origin", "--db", str(metoo_db)])
    assert {"first appearances", "dormant revival", "seed posts", "seed accounts"} == set(out)
    key = bytes.fromhex(metoo_db.with_name(metoo_db.name + ".key").read_text().strip())
    assert out["seed accounts"][0]["account"] == Pseudonymizer(key)("twitter", "@alyssa_milano")
    assert all(not r["suppressed"] for r in out["seed accounts"])  # seeds under k people are left out
    first = {r["hashtag"]: r for r in out["first appearances"]}
    assert first["MeToo"]["posts"] > 280_000 and first["BalanceTonPorc"]["posts"] > 1000


def test_bursts_on_the_real_sample(metoo_db):
    rows = _json(["bursts", "--db", str(metoo_db)])
    oct15 = [r for r in rows if r["start"].startswith("2017-10-15")]
    top = max(oct15, key=lambda r: r["weight"])
    start = datetime.fromisoformat(top["start"]).astimezone(UTC)
    assert abs(start - datetime(2017, 10, 15, 20, 21, tzinfo=UTC)) <= timedelta(hours=1)
