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

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from itsdangerous import URLSafeTimedSerializer

from groundswell.web import admin, api, pages
from groundswell.web.auth import Accounts, load_secret
from groundswell.web.backend import Backend
from groundswell.web.security import SECURITY_HEADERS, NotAuthenticated

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

    app.include_router(pages.router)
    app.include_router(admin.router)
    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(resources.files("groundswell.web").joinpath("static"))), "static")
    return app
