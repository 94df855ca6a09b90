"""author_key: one definition, three implementations (numpy, DuckDB SQL, the reference), equal on real ids.

The ids are real: pseudonyms made by the store's own pseudonymizer from the account ids and handles of a
real twarc2 file, and the raw handles themselves standing in for ids that are not pseudonyms (public figures,
ids suffixed by bench/replicate_store.py). Expected integers in the edge cases are worked out by hand from
the definition (hex digits read as a signed 64-bit integer), not by the code under test.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from groundswell.privacy.author_key import DUCKDB_SQL, author_key, author_keys
from groundswell.privacy.pseudonyms import Pseudonymizer

KEY = bytes(range(32))


def _signed(hex16: str) -> int:
    v = int(hex16, 16)
    return v - (1 << 64) if v >= 1 << 63 else v


@pytest.fixture(scope="module")
def real_ids(shared_data: Path) -> list[str | None]:
    """Pseudonyms of every author and mentioned account of a real twarc2 file, its raw handles, and nulls."""
    pseudo = Pseudonymizer(KEY)
    ids: list[str | None] = []
    handles: list[str] = []
    for line in (shared_data / "twitter-api-v2" / "brexit.jsonl").read_text("utf-8").splitlines():
        page = json.loads(line)
        for user in page.get("includes", {}).get("users", []):
            ids += [pseudo("twitter", user["id"]), pseudo("twitter", "@" + user["username"])]
            handles.append(user["username"])
    assert len(ids) > 200
    return ids + handles + [None, None]


def test_pseudonyms_are_their_own_first_64_bits() -> None:
    assert author_key("u_0000000000000001ffff") == 1
    assert author_key("u_ffffffffffffffff0000") == -1
    assert author_key("u_8000000000000000aaaa") == -(2**63)
    assert author_key("u_7fffffffffffffff0123") == 2**63 - 1
    assert author_key(None) is None


def test_other_ids_use_md5() -> None:
    for s in ("alice", "Ünïcode", "u_0123456789abcdef0123~3", "U_0123456789ABCDEF0123", ""):
        assert author_key(s) == _signed(hashlib.md5(s.encode()).hexdigest()[:16]), s


def test_vectorized_equals_reference_on_real_ids(real_ids: list[str | None]) -> None:
    arr = pa.array(real_ids, pa.string())
    got = author_keys(arr)
    assert got.type == pa.int64()
    assert got.to_pylist() == [author_key(s) for s in real_ids]
    assert got.null_count == 2
    # slices and chunked arrays (what a batch column can be) give the same keys
    assert author_keys(arr.slice(7, 100)).to_pylist() == got.to_pylist()[7:107]
    chunked = pa.chunked_array([arr.slice(0, 50), arr.slice(50)])
    assert author_keys(chunked).to_pylist() == got.to_pylist()


def test_all_null_and_empty_columns() -> None:
    assert author_keys(pa.array([None, None], pa.string())).to_pylist() == [None, None]
    assert author_keys(pa.array([], pa.string())).to_pylist() == []


def test_duckdb_sql_equals_python_on_real_ids(real_ids: list[str | None]) -> None:
    con = duckdb.connect()
    extremes = ["u_ffffffffffffffff0000", "u_8000000000000000aaaa", "u_7fffffffffffffff0123", "alice"]
    ids = pa.table({"author_id": pa.array(real_ids + extremes, pa.string())})
    con.register("ids", ids)
    got = [r[0] for r in con.execute(f"SELECT {DUCKDB_SQL} FROM ids").fetchall()]
    assert got == author_keys(ids.column("author_id")).to_pylist()


def test_distinct_keys_count_distinct_ids(real_ids: list[str | None]) -> None:
    keys = author_keys(pa.array(real_ids, pa.string())).to_pylist()
    assert len({k for k in keys if k is not None}) == len({s for s in real_ids if s is not None})
