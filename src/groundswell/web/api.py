"""``/api/v1``: the dashboard's figures for scripts, as JSON or CSV, described by an OpenAPI document.

Each registered analysis has ``GET /api/v1/<slug>`` returning the very tables its page draws (already
suppressed: a suppressed cell is ``null`` with ``suppressed: true``). ``?format=csv&table=<name>`` gives one
table as CSV. ``/api/v1/posts`` (analyst role) gives redacted posts. Authenticate with a session cookie or
``Authorization: Bearer <token>`` (``groundswell users token NAME``).

The OpenAPI document is at ``/api/v1/openapi.json`` and needs a signed-in user like everything else; the
interactive Swagger page FastAPI usually serves is off, because it loads its script from a CDN.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Annotated, Any, Literal

import orjson
import pyarrow as pa
import pyarrow.csv as pacsv
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from groundswell.web.analyses import ANALYSES, Analysis, NotReady
from groundswell.web.filters import Filters, filters
from groundswell.web.pages import compute
from groundswell.web.posts import MAX_LIMIT, redacted_posts
from groundswell.web.security import Analyst, Require, Viewer

router = APIRouter(prefix="/api/v1")
Shared = Annotated[Filters, Depends(filters)]
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv (one table, see `table`).")]
TableName = Annotated[
    str | None, Query(max_length=40, description="With format=csv: which table (default: the first).")
]


def _json(obj: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(obj, default=str), status_code=status, media_type="application/json")


def _csv(tbl: pa.Table, name: str) -> Response:
    buf = io.BytesIO()
    pacsv.write_csv(tbl, buf)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def analysis_endpoint(analysis: Analysis) -> Callable[..., Response]:
    """The API route of one registry entry."""

    def endpoint(
        request: Request,
        f: Shared,
        format: Format = "json",
        table: TableName = None,
    ) -> Response:
        result = compute(request, analysis, f)
        k = request.app.state.k
        if isinstance(result, NotReady):
            if format == "csv":
                raise HTTPException(409, result.reason)
            return _json({"analysis": analysis.slug, "ready": False, "reason": result.reason, "k": k})
        if format == "csv":
            name = table or next(iter(result.tables))
            if name not in result.tables:
                raise HTTPException(404, f"no table {name!r}; tables: {', '.join(result.tables)}")
            return _csv(result.tables[name], f"{analysis.slug}-{name}")
        return _json(
            {
                "analysis": analysis.slug,
                "ready": True,
                "k": k,
                "filters": f.params(),
                "tables": {n: t.to_pylist() for n, t in result.tables.items()},
            }
        )

    endpoint.__name__ = analysis.slug
    endpoint.__doc__ = f"{analysis.title}: {analysis.about} Tables are suppressed below k authors."
    return endpoint


for _a in ANALYSES:
    router.add_api_route(
        f"/{_a.slug}",
        analysis_endpoint(_a),
        methods=["GET"],
        tags=["analyses"],
        summary=_a.title,
        dependencies=[Depends(Require(_a.role))],
    )


@router.get("/posts", tags=["posts"])
def posts(
    request: Request,
    user: Analyst,
    f: Shared,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    q: Annotated[str | None, Query(max_length=100, description="Only posts whose text contains this.")] = None,
    format: Format = "json",
) -> Response:
    """Redacted posts (analyst role): platform, kind, language, hour and redacted text; never the author."""
    with request.app.state.backend.reader() as s:
        rows = redacted_posts(s, f.engine_filters(), limit=limit, offset=offset, q=q)
    if format == "csv":
        schema = pa.schema([(c, pa.string()) for c in ("platform", "kind", "lang", "hour", "text")])
        return _csv(pa.Table.from_pylist(rows, schema=schema), "posts")
    return _json({"offset": offset, "limit": limit, "posts": rows})


@router.get("/me", tags=["account"])
def me(user: Viewer) -> dict[str, str]:
    """Who this session or token belongs to, and its role."""
    return {"name": user.name, "role": user.role}


@router.get("/openapi.json", tags=["account"], include_in_schema=False)
def openapi(request: Request, user: Viewer) -> JSONResponse:
    return JSONResponse(request.app.openapi())
