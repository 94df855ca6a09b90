"""What every output format shares: where it writes, what files it made, how text is prepared.

A writer takes posts in time order, one at a time, and formats them; it decides nothing random. It may
record on the post what later posts will need from it (a rendered text, a URL, a CID), because children
are written after their parents and read those fields.
"""

from __future__ import annotations

import string
from abc import ABC, abstractmethod
from pathlib import Path
from typing import BinaryIO

from groundswell.simulate.config import SimConfig
from groundswell.simulate.ids import mix
from groundswell.simulate.record import Post

_ALNUM = string.ascii_letters + string.digits


class Writer(ABC):
    platform: str

    def __init__(self, out: Path, cfg: SimConfig) -> None:
        self.out = Path(out)
        self.cfg = cfg
        self.files: list[str] = []

    def open(self, relpath: str) -> BinaryIO:
        """Open an output file (binary, so line endings and encoding are ours, not the OS's)."""
        path = self.out / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(relpath)
        return path.open("wb")

    @abstractmethod
    def write(self, post: Post) -> None: ...

    @abstractmethod
    def close(self) -> None: ...


def short_code(*parts: int, length: int = 10) -> str:
    """A deterministic alphanumeric code (t.co paths, tokens)."""
    h = mix(*parts)
    out = []
    for i in range(length):
        if i and i % 10 == 0:
            h = mix(h, i)
        out.append(_ALNUM[h % 62])
        h //= 62
    return "".join(out)
