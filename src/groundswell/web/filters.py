"""The filters every page and API call shares: movement, platform, language, time range, all in the URL.

Keeping them in the query string (``/timeline?platform=twitter&since=2017-10-15``) makes every view a link
that can be shared, bookmarked and compared with the API (``/api/v1/timeline`` takes the same parameters).
Dates are whole UTC days: ``since`` is the first day included, ``until`` the last.

``k`` is deliberately *not* a filter: the suppression threshold is the server's, set at ``serve --k``, so
no viewer can lower it through the URL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from groundswell.schema import PLATFORMS


@dataclass(frozen=True)
class Filters:
    movement: str | None = None
    platform: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None

    def engine_filters(self) -> dict[str, Any]:
        """The dict ``analytics.engine.where`` takes: UTC datetimes, ``until`` exclusive."""
        f: dict[str, Any] = {"movement": self.movement, "platform": self.platform, "lang": self.lang}
        if self.since:
            f["since"] = datetime.combine(self.since, time(), tzinfo=UTC)
        if self.until and self.until < date.max:
            f["until"] = datetime.combine(self.until + timedelta(days=1), time(), tzinfo=UTC)
        return {k: v for k, v in f.items() if v is not None}

    def key(self) -> tuple[Any, ...]:
        return tuple(asdict(self).values())

    def params(self) -> dict[str, str]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v}

    def query(self) -> str:
        """The filters as a query string (empty when none are set), for links between pages."""
        return urlencode(self.params())

    def active(self) -> bool:
        return any(asdict(self).values())


_DAY = r"^(\d{4}-\d{2}-\d{2})?$"
_PLATFORM = "^(" + "|".join(PLATFORMS) + ")?$"


def _day(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise RequestValidationError(
            [{"loc": ("query", name), "msg": f"not a calendar day: {value}", "type": "value_error"}]
        ) from e


def filters(
    movement: Annotated[str | None, Query(max_length=64, description="Only posts of this movement.")] = None,
    platform: Annotated[
        str | None, Query(pattern=_PLATFORM, description=f"Only posts from this platform: {', '.join(PLATFORMS)}.")
    ] = None,
    lang: Annotated[
        str | None,
        Query(pattern=r"^([A-Za-z]{2,3})?$", description="Only posts in this language (ISO 639 code; 'und': unknown)."),
    ] = None,
    since: Annotated[str | None, Query(pattern=_DAY, description="First UTC day included (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(pattern=_DAY, description="Last UTC day included (YYYY-MM-DD).")] = None,
) -> Filters:
    """FastAPI dependency: the shared filters from the query string, validated (bad values are a 422).

    Empty values mean "no filter", so the filter form can submit its blank fields as they are.
    """
    return Filters(
        movement or None, platform or None, lang.lower() if lang else None, _day("since", since), _day("until", until)
    )
