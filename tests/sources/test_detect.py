"""Every fixture's format is recognised from its bytes alone, plain, gzip'd and zstd'd, and every record reconciles.

Also guards the readers that were there before: the real twarc2 / twarc-csv / GetOldTweets files in
``shared/data`` must still be detected as what they are now that more sniffers run ahead of them.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest
import zstandard

from groundswell.sources.io import open_input
from groundswell.sources.registry import READERS, detect
from tests.sources.conftest import FIXTURES, SHARED_DATA, read_all

EXPECTED = {
    "twitter_v1": "twitter-v1",
    "gnip": "gnip",
    "reddit": "reddit",
    "mastodon": "mastodon",
    "bluesky_jetstream": "bluesky-jetstream",
    "bluesky_api": "bluesky-api",
    "crowdtangle": "crowdtangle",
    "meta_content_library": "meta-content-library",
}
ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())


def test_every_format_has_fixtures() -> None:
    assert {p.parent.name for p in ALL_FIXTURES} == set(EXPECTED)
    assert set(EXPECTED.values()) <= {r.name for r in READERS}


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_detected_and_reconciled(path: Path, compression: str, tmp_path: Path) -> None:
    if compression == "gzip":
        target = tmp_path / (path.name + ".gz")
        with path.open("rb") as src, gzip.open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    elif compression == "zstd":
        target = tmp_path / (path.name + ".zst")
        target.write_bytes(zstandard.ZstdCompressor().compress(path.read_bytes()))
    else:
        target = path
    r = read_all(target)
    assert r.reader.name == EXPECTED[path.parent.name]
    assert r.n_records == len(r.posts) + len(r.rejects)
    assert r.posts, "every fixture holds at least one post"
    assert all(p["created_at"] is not None and p["created_at"].utcoffset().total_seconds() == 0 for p in r.posts)
    assert all(p["platform"] == r.reader.platform or r.reader.name == "crowdtangle" for p in r.posts)


def test_mixed_folder_needs_no_flag(tmp_path: Path) -> None:
    """A folder mixing every format, with names that say nothing, is read file by file from the bytes."""
    expected = {}
    for i, path in enumerate(ALL_FIXTURES):
        target = tmp_path / f"part-{i:03d}.dat"
        target.write_bytes(path.read_bytes())
        expected[target.name] = EXPECTED[path.parent.name]
    seen = {}
    for target in sorted(tmp_path.iterdir()):
        opened = open_input(target)
        try:
            seen[target.name] = detect(opened.head, str(target)).name
        finally:
            opened.close()
    assert seen == expected


SHARED_EXPECTED = [
    ("metoo2017/metoo-2017-10-14_2017-11-30.jsonl.gz", "getoldtweets"),
    *((f"twitter-api-v2/{p.name}", "twarc2") for p in sorted((SHARED_DATA / "twitter-api-v2").glob("*.jsonl"))),
    *((f"twarc-csv-output/{p.name}", "twarc-csv") for p in sorted((SHARED_DATA / "twarc-csv-output").glob("*.csv"))),
]


@pytest.mark.parametrize(("rel", "name"), SHARED_EXPECTED, ids=[r for r, _ in SHARED_EXPECTED])
def test_real_twitter_files_keep_their_reader(rel: str, name: str) -> None:
    opened = open_input(SHARED_DATA / rel)
    try:
        assert detect(opened.head, rel).name == name
    finally:
        opened.close()
