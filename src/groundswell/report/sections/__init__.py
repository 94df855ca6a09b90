"""Report sections, one module per analysis. Each section is a function (store, filters, k) -> Section | None
(None: nothing to show for this data). ``SECTIONS`` is the order they appear in.

Every table of people-counting figures goes through ``privacy.suppress`` before it is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from groundswell.report.html import Section
from groundswell.report.sections.cascades import cascades_section
from groundswell.report.sections.magnitude import (
    hashtags_section,
    languages_section,
    magnitude_section,
    sources_section,
)
from groundswell.report.sections.origin import origin_section
from groundswell.report.sections.spread import spread_section
from groundswell.report.sections.timeline import timeline_section
from groundswell.store.duckdb_store import Store

Builder = Callable[[Store, dict[str, Any] | None, int], Section | None]

SECTIONS: list[Builder] = [
    magnitude_section,
    timeline_section,
    origin_section,
    hashtags_section,
    languages_section,
    cascades_section,
    spread_section,
    sources_section,
]
