"""The FastAPI application: ``create_app(db)`` wires the store, the accounts and the routes together.

Run it with ``groundswell serve --db metoo.duckdb`` (uvicorn, one process: the process that owns the store's
writer; see ``backend``). Everything except ``/login`` and ``/static`` needs a signed-in user: pages redirect
to the login form, the API answers 401.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer

from groundswell.web import admin, api, pages
from groundswell.web.auth import Accounts, load_secret
from groundswell.web.backend import Backend
from groundswell.web.security import SECURITY_HEADERS, SESSION_COOKIE, NotAuthenticated

DEFAULT_K = 10


def create_app(
    db: str | os.PathLike[str], *, k: int = DEFAULT_K, cache: bool = True, https_only: bool = False
) -> FastAPI:
    """The dashboard and API over the store at ``db`` (created if missing).

    ``k``: figures describing fewer than k distinct authors are suppressed (fixed per server, not per request).
    ``cache``: keep computed figures until the data changes. ``https_only``: mark cookies Secure even when
    the request looks like plain HTTP (a TLS proxy that does not pass ``X-Forwarded-Proto``).
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    db = Path(db)
    backend = Backend(db, cache=cache)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        backend.close()

    app = FastAPI(
        title="groundswell",
        version=version("groundswell"),
        summary="Figures of a hashtag movement, suppressed below k authors; redacted posts for analysts.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.backend = backend
    app.state.accounts = Accounts(db)
    app.state.secret = load_secret(db)
    app.state.serializer = URLSafeTimedSerializer(app.state.secret)
    app.state.k = k
    app.state.https_only = https_only

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"detail": "sign in or send Authorization: Bearer <token>"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": target}), 303)

    for router in (pages.router, admin.router, api.router):
        _adopt(app, router)
    _document_auth(app)
    app.mount("/static", StaticFiles(directory=str(resources.files("groundswell.web").joinpath("static"))), "static")
    return app


def _adopt(app: FastAPI, router: APIRouter) -> None:
    """Add a module's routes to the app itself, so ``app.routes`` lists every route with its guard.

    (``include_router`` would nest them in a router object; the route-table test, and anyone auditing
    access, should see the flat list.)
    """
    for r in router.routes:
        assert isinstance(r, APIRoute)
        app.add_api_route(
            r.path,
            r.endpoint,
            methods=sorted(r.methods),
            dependencies=r.dependencies,
            response_class=r.response_class,
            include_in_schema=r.include_in_schema,
            tags=r.tags,
            summary=r.summary,
            name=r.name,
        )


def _document_auth(app: FastAPI) -> None:
    """Say in the OpenAPI document how to authenticate: a bearer token, or the browser's session cookie."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            doc.setdefault("components", {})["securitySchemes"] = {
                "token": {"type": "http", "scheme": "bearer", "description": "groundswell users token NAME"},
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
            }
            doc["security"] = [{"token": []}, {"session": []}]
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
