"""Same seed → byte-identical output; a different seed → different output."""

from __future__ import annotations

import hashlib
from pathlib import Path

from groundswell.simulate import SimConfig, simulate

from .conftest import ALL_PLATFORMS


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    cfg = dict(posts=4_000, platforms=ALL_PLATFORMS, seed=7)
    a = _digests_of_run(tmp_path / "a", cfg)
    b = _digests_of_run(tmp_path / "b", cfg)
    assert len(a) == 7  # twarc2, CrowdTangle, Jetstream, SSE, two Pushshift files, truth.json
    assert a == b


def test_different_seed_different_bytes(tmp_path: Path) -> None:
    a = _digests_of_run(tmp_path / "a", dict(posts=4_000, platforms=ALL_PLATFORMS, seed=7))
    b = _digests_of_run(tmp_path / "b", dict(posts=4_000, platforms=ALL_PLATFORMS, seed=8))
    assert a.keys() == b.keys()
    assert all(a[k] != b[k] for k in a)


def test_large_runs_write_parents_sidecar_deterministically(tmp_path: Path) -> None:
    """Above ``inline_parents_max`` the parents go to parquet, and that file is reproducible too."""
    cfg = dict(posts=3_000, platforms=("twitter", "reddit"), seed=2, inline_parents_max=1_000)
    a = _digests_of_run(tmp_path / "a", cfg)
    b = _digests_of_run(tmp_path / "b", cfg)
    assert "parents.parquet" in a
    assert a == b


def _digests_of_run(out: Path, cfg: dict) -> dict[str, str]:
    simulate(SimConfig(**cfg), out)
    return _digests(out)


def test_processes_do_not_change_the_bytes(tmp_path: Path) -> None:
    """Platforms written by separate processes give the same files as one process writing them all."""
    cfg = dict(posts=6_000, platforms=ALL_PLATFORMS, seed=11, inline_parents_max=1_000)
    simulate(SimConfig(**cfg), tmp_path / "one", workers=1)
    simulate(SimConfig(**cfg), tmp_path / "three", workers=3)
    one, three = _digests(tmp_path / "one"), _digests(tmp_path / "three")
    assert "parents.parquet" in one
    assert one == three
