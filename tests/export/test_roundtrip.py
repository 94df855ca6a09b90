"""Export → read back with pandas / pyarrow / networkx → equals the store's figures, computed here in SQL."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from groundswell.export import WHAT, ExportError, export
from groundswell.store.duckdb_store import Store

from .conftest import DATA

K = 10
GOLD = DATA / "gold" / "train.tsv"


def hourly(store: Store) -> dict[pd.Timestamp, tuple[int, int]]:
    rows = store.sql(
        """SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AS bin, count(*) AS posts,
                  count(DISTINCT author_id) AS authors
           FROM posts WHERE NOT is_reference GROUP BY 1"""
    ).to_pylist()
    return {pd.Timestamp(r["bin"], tz="UTC"): (r["posts"], r["authors"]) for r in rows}


def check_hourly(df: pd.DataFrame, expected: dict[pd.Timestamp, tuple[int, int]]) -> None:
    assert len(df) == len(expected)
    shown = 0
    for r in df.itertuples():
        posts, authors = expected[pd.Timestamp(r.bin)]
        if authors < K:
            assert r.suppressed and pd.isna(r.posts) and pd.isna(r.authors)
        else:
            assert not r.suppressed and (r.posts, r.authors) == (posts, authors)
            shown += 1
    assert shown > 10


def test_magnitude_csv_roundtrip(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "magnitude.csv"
    export(metoo, "magnitude", "csv", out, k=K)
    df = pd.read_csv(out)
    df["bin"] = pd.to_datetime(df["bin"], utc=True)
    check_hourly(df, hourly(metoo))


def test_magnitude_parquet_roundtrip(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "magnitude.parquet"
    export(metoo, "magnitude", "parquet", out, k=K)
    df = pq.read_table(out).to_pandas()
    df["bin"] = pd.to_datetime(df["bin"], utc=True)
    check_hourly(df, hourly(metoo))


def test_magnitude_jsonl_roundtrip(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "magnitude.jsonl"
    export(metoo, "magnitude", "jsonl", out, k=K)
    df = pd.read_json(out, lines=True, dtype=False)
    assert df["bin"].str.endswith("Z").all()
    df["bin"] = pd.to_datetime(df["bin"], utc=True)
    check_hourly(df, hourly(metoo))


def test_posts_parquet_roundtrip_keeps_types_and_drops_identifying_columns(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "posts.parquet"
    export(metoo, "posts", "parquet", out)
    tbl = pq.read_table(out)
    assert tbl.num_rows == metoo.scalar("SELECT count(*) FROM posts WHERE NOT is_reference")
    assert str(tbl.schema.field("created_at").type) == "timestamp[us, tz=UTC]"
    assert str(tbl.schema.field("post_id").type) == "string"
    for col in ("author_handle", "author_alias", "lon", "lat", "place", "source_file"):
        assert col not in tbl.column_names
    assert all(a.startswith("u_") for a in tbl.column("author_id").to_pylist())
    assert sum(tbl.column("like_count").to_pylist()) == metoo.scalar("SELECT sum(like_count) FROM posts")


def test_raw_posts_keep_every_column(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "raw.parquet"
    r = export(metoo, "posts", "parquet", out, raw=True)
    assert r.raw
    assert "source_file" in pq.read_table(out).column_names


def test_bursts_jsonl_match_posts_and_authors_counted_in_sql(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "bursts.jsonl"
    export(metoo, "bursts", "jsonl", out, k=K)
    df = pd.read_json(out, lines=True, dtype=False)
    assert len(df) >= 1
    # the real archive's first surge: 15 October 2017, after the 20:21 UTC "write 'me too'" tweet
    top = df[df["level"] == 1].iloc[0]
    assert top["start"].startswith("2017-10-15T")
    for r in df.itertuples():
        got = metoo.sql(
            """SELECT count(*) AS posts, count(DISTINCT author_id) AS authors FROM posts
               WHERE NOT is_reference AND created_at >= ?::TIMESTAMPTZ AND created_at < ?::TIMESTAMPTZ""",
            [r.start.replace("Z", "+00:00"), r.end.replace("Z", "+00:00")],
        ).to_pylist()[0]
        if got["authors"] < K:
            assert r.suppressed and pd.isna(r.posts)
        else:
            assert (r.posts, r.authors) == (got["posts"], got["authors"])


def test_network_gexf_roundtrip_with_networkx(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "cohashtags.gexf"
    r = export(metoo, "network", "gexf", out, k=K)
    g = nx.read_gexf(out)
    expected = {
        row["tag"]: row
        for row in metoo.sql(
            """SELECT tag, count(*) AS posts, count(DISTINCT author_id) AS authors
               FROM (SELECT unnest(list_distinct(hashtags_norm)) AS tag, author_id FROM posts WHERE NOT is_reference)
               GROUP BY 1 HAVING count(DISTINCT author_id) >= ?""",
            [K],
        ).to_pylist()
    }
    assert r.rows == g.number_of_nodes() == len(expected)
    for node, d in g.nodes(data=True):
        assert int(d["posts"]) == expected[node]["posts"]
        assert int(d["authors"]) == expected[node]["authors"]
    pair = (
        metoo.sql(
            """WITH t AS (SELECT post_id, author_id, unnest(list_distinct(hashtags_norm)) AS tag
                      FROM posts WHERE NOT is_reference)
           SELECT count(*) FROM t AS a JOIN t AS b ON a.post_id = b.post_id
           WHERE a.tag = 'metoo' AND b.tag = 'timesup'"""
        )
        .column(0)[0]
        .as_py()
    )
    if g.has_edge("metoo", "timesup"):
        assert int(g.edges["metoo", "timesup"]["weight"]) == pair


def test_network_as_csv_edge_list(metoo: Store, tmp_path: Path) -> None:
    out = tmp_path / "edges.csv"
    export(metoo, "network", "csv", out, k=K)
    df = pd.read_csv(out)
    assert list(df.columns[:2]) == ["source", "target"]
    assert (df["authors"] >= K).all()


def test_interactions_gexf_keeps_parallel_typed_edges(twarc2: Store, tmp_path: Path) -> None:
    out = tmp_path / "interactions.gexf"
    export(twarc2, "interactions", "gexf", out)
    g = nx.read_gexf(out)
    replies = twarc2.scalar(
        """SELECT count(*) FROM posts AS c JOIN posts AS p ON c.platform = p.platform AND c.parent_id = p.post_id
           WHERE NOT c.is_reference AND c.kind = 'reply' AND c.author_id <> p.author_id"""
    )
    weight = sum(int(d.get("weight", 1)) for _, _, d in g.edges(data=True) if d.get("label") == "reply")
    assert replies > 0
    assert weight >= replies
    assert all(n.startswith("u_") for n in g.nodes)


def test_cascades_raw_posts_add_up_to_the_collection(twarc2: Store, tmp_path: Path) -> None:
    out = tmp_path / "cascades.parquet"
    export(twarc2, "cascades", "parquet", out, raw=True)
    tbl = pq.read_table(out)
    assert sum(tbl.column("posts").to_pylist()) == twarc2.scalar("SELECT count(*) FROM posts WHERE NOT is_reference")


def test_cascades_suppressed_rows_lose_their_root_id(twarc2: Store, tmp_path: Path) -> None:
    out = tmp_path / "cascades.csv"
    export(twarc2, "cascades", "csv", out, k=3)
    df = pd.read_csv(out, dtype={"root_id": str})
    hidden = df[df["suppressed"]]
    assert len(hidden) > 0
    assert hidden["root_id"].isna().all() and hidden["posts"].isna().all()
    assert (df.loc[~df["suppressed"], "authors"] >= 3).all()


def test_participation_without_labels_is_an_error_not_an_empty_table(metoo: Store, tmp_path: Path) -> None:
    assert metoo.scalar("SELECT count(participation) FROM posts") == 0
    with pytest.raises(ExportError, match="no participation labels"):
        export(metoo, "participation", "csv", tmp_path / "p.csv", k=K)


def test_participation_counts_of_gold_labels_roundtrip(metoo_db: Path, tmp_path: Path) -> None:
    """Label the sample's posts with the hand-coded gold labels, export, and compare with the gold file itself."""
    db = tmp_path / "labeled.duckdb"
    shutil.copy(metoo_db, db)
    with GOLD.open(newline="", encoding="utf-8") as f:
        gold = {r["tweet_id"]: r["category"] for r in csv.DictReader(f, delimiter="\t")}
    with Store(db) as store:
        present = set(store.sql("SELECT post_id FROM posts WHERE NOT is_reference").column(0).to_pylist())
        labels = pa.table(
            {"post_id": [i for i in gold if i in present], "label": [gold[i] for i in gold if i in present]}
        )
        store.con.register("gold", labels)
        store.con.execute(
            "UPDATE posts SET participation = gold.label FROM gold WHERE posts.post_id = gold.post_id"
        ).fetchall()
        store.con.unregister("gold")
        out = tmp_path / "participation.csv"
        export(store, "participation", "csv", out, k=1)
    expected = Counter(gold[i] for i in gold if i in present)
    assert sum(expected.values()) > 100
    df = pd.read_csv(out)
    assert dict(zip(df["class"], df["posts"], strict=True)) == dict(expected)
    assert df["share"].sum() == pytest.approx(1.0)
    assert set(df["method"]) == {"cc"}


@pytest.mark.parametrize(
    ("what", "fmt", "out", "message"),
    [
        ("nonsense", "csv", None, "unknown export"),
        ("posts", "xlsx", None, "unknown format"),
        ("magnitude", "gexf", "m.gexf", "gexf is for graphs"),
        ("magnitude", "parquet", None, "give a file"),
    ],
)
def test_bad_requests_say_what_is_wrong(metoo: Store, tmp_path: Path, what, fmt, out, message) -> None:
    with pytest.raises(ExportError, match=message):
        export(metoo, what, fmt, tmp_path / out if out else None)


def test_registry_names_every_table_the_cli_offers() -> None:
    assert set(WHAT) == {"posts", "magnitude", "bursts", "participation", "cascades", "network", "interactions"}
    assert {n for n, t in WHAT.items() if t.graph} == {"network", "interactions"}
