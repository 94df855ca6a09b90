"""The care block every page that shows or describes posts about sexual violence opens with."""

from __future__ import annotations

from groundswell.privacy.helplines import care_block_html, care_block_text
from groundswell.store.duckdb_store import Store


def _audience(store: Store) -> tuple[list[str], list[str]]:
    """Countries and languages present in the data, most frequent first: whose helplines to show."""
    countries = [
        r["country"]
        for r in store.sql(
            "SELECT country, count(*) n FROM posts WHERE country IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 8"
        ).to_pylist()
    ]
    langs = [
        r["lang"]
        for r in store.sql(
            "SELECT lang, count(*) n FROM posts WHERE lang IS NOT NULL AND lang NOT IN ('und', 'zxx') "
            "GROUP BY 1 ORDER BY n DESC LIMIT 8"
        ).to_pylist()
    ]
    return countries, langs


#: how many of the data's most frequent countries / languages get their helplines listed: enough to reach
#: most readers, few enough that the warning stays readable (the international directory is always there)
AUDIENCE = 3


def care_html(store: Store) -> str:
    countries, langs = _audience(store)
    return care_block_html(countries[:AUDIENCE], langs[:AUDIENCE])


def care_text(store: Store) -> str:
    countries, langs = _audience(store)
    return care_block_text(countries[:AUDIENCE], langs[:AUDIENCE])
