"""Property tests: no input makes a reader or the entity extractors raise; every record is accounted for.

Each reader gets random bytes and mutations of real records (from the shared archive and the reader
fixtures), read the way ingest reads them (chunks, then parse). The CI budget is fixed and derandomized
(``GS_FUZZ_EXAMPLES``, default 60 per property); docs/reliability.md says how to run a long campaign.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundswell.sources.base import Reader
from groundswell.sources.registry import READERS
from groundswell.text import extract
from tests.reliability.conftest import SHARED, metoo_lines

EXAMPLES = int(os.environ.get("GS_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=os.environ.get("GS_FUZZ_RANDOM") is None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOURCE_FIXTURES = Path(__file__).resolve().parents[1] / "sources" / "fixtures"


def _seeds() -> dict[str, bytes]:
    """One real sample per reader: the format's own bytes, so mutations land near valid records."""
    samples = {
        "getoldtweets": b"\n".join(metoo_lines(20)) + b"\n",
        "twarc2": (SHARED / "twitter-api-v2" / "two_tweets.jsonl").read_bytes(),
        "twarc-csv": (SHARED / "twarc-csv-output" / "geo_tweets.csv").read_bytes(),
    }
    for d in SOURCE_FIXTURES.iterdir():
        for f in sorted(d.iterdir()):
            samples.setdefault(d.name.replace("_", "-"), f.read_bytes()[:20_000])
    return samples


SEEDS = _seeds()


def _read(reader: Reader, data: bytes) -> None:
    """Chunk and parse as ingest does; every record must be a post or a reject."""
    total = 0
    for chunk in reader.chunks(io.BufferedReader(io.BytesIO(data)), "fuzz"):
        parsed = reader.parse(chunk)
        assert parsed.n_records == parsed.posts.num_rows + len(parsed.rejects)
        assert all(r.reason for r in parsed.rejects)
        total += parsed.n_records
    assert total >= 0


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete length, insert) edits: truncations, splices, bit rot, injected bytes."""
    out = bytearray(data)
    for pos, delete, insert in edits:
        p = pos % (len(out) + 1)
        out[p : p + delete] = insert
    return bytes(out)


EDITS = st.lists(
    st.tuples(
        st.integers(0, 1 << 20),
        st.integers(0, 64),
        st.one_of(
            st.binary(max_size=16),
            st.sampled_from([b"\x00", b"\xff\xfe", b"\n", b'"', b"\\", b"[" * 600, b"{", b"}", b",", b"\r\n"]),
        ),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("reader_cls", READERS, ids=lambda r: r.name)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(reader_cls: type[Reader], data: bytes) -> None:
    reader = reader_cls()
    reader.max_line_bytes = 1024
    _read(reader, data)


@pytest.mark.parametrize("reader_cls", READERS, ids=lambda r: r.name)
@FUZZ
@given(edits=EDITS)
def test_mutated_real_records(reader_cls: type[Reader], edits: list[tuple[int, int, bytes]]) -> None:
    seed = SEEDS[reader_cls.name]
    reader = reader_cls()
    reader.max_line_bytes = 4096
    _read(reader, _mutate(seed, edits))


EXTRACTORS = [getattr(extract, name) for name in extract.__all__]
TEXT = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet=st.sampled_from("#@$＃＠ _-.:/\u200d\ufe0f\u0301abcXYZ019éあ한\U0001f600httpswww.com\n"), max_size=200
    ),
)


@pytest.mark.parametrize("fn", EXTRACTORS, ids=lambda f: f.__name__)
@FUZZ
@given(text=TEXT)
def test_extractors_never_raise_and_offsets_point_into_the_text(fn, text: str) -> None:
    for item in fn(text):
        if isinstance(item, tuple):  # *_with_indices: (..., start, end)
            start, end = item[-2], item[-1]
            assert 0 <= start < end <= len(text)
        else:
            assert isinstance(item, str) and item
