"""Normalization on the archive's own oddities.

Eight posts of the 2017 archive hold a bare scheme (``http://`` followed by a space): the link regex then
matches with an empty host, and the domain helper used to look for a second regex group that only the
scheme-less pattern has, so normalizing (hence ``enrich_participation`` on any batch holding such a post)
raised ``IndexError``.
"""

from __future__ import annotations

import gzip
import json

from groundswell.participation import load_model
from groundswell.participation.normalize import normalize, normalize_batch


def _bare_scheme_posts(metoo_path) -> list[str]:
    out = []
    with gzip.open(metoo_path, "rt", encoding="utf-8") as f:
        for line in f:
            if ":// " in line or '://"' in line:  # cheap prefilter on the raw line, then the parsed text
                text = json.loads(line)["text"]
                if ":// " in text or text.endswith("://"):
                    out.append(text)
    return out


def test_bare_scheme_links_normalize_and_classify(metoo_path):
    posts = _bare_scheme_posts(metoo_path)
    assert len(posts) >= 5  # measured: 8 in the archive
    norms = normalize_batch(posts)
    assert norms == [normalize(p) for p in posts]
    for post, norm in zip(posts, norms, strict=True):
        assert "://" not in norm, (post, norm)  # the bare scheme became a link placeholder
        assert "xurl" in norm.split()
    labels, p = load_model().predict(posts)
    assert len(labels) == len(posts) and ((p > 0) & (p <= 1)).all()
