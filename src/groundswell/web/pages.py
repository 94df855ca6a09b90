"""Server-rendered pages: sign in and out, one page per registered analysis, and the analyst's posts page.

Pages are plain HTML with inline SVG charts and one stylesheet served by the app: no script at all (the
Content-Security-Policy forbids it), so nothing is fetched from a CDN and a post's text can never run.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from groundswell.privacy.care import care_html
from groundswell.schema import PLATFORMS
from groundswell.web.analyses import ANALYSES, Analysis, NotReady
from groundswell.web.auth import User
from groundswell.web.filters import Filters, filters
from groundswell.web.posts import MAX_LIMIT, redacted_posts
from groundswell.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Analyst,
    Require,
    check_csrf,
    check_login_csrf,
    csrf_token,
    current_user,
    login_nonce,
    secure_cookies,
    session_id,
)

router = APIRouter(include_in_schema=False)
Shared = Annotated[Filters, Depends(filters)]

_env = jinja2.Environment(
    loader=jinja2.FunctionLoader(
        lambda name: resources.files("groundswell.web").joinpath("templates", name).read_text("utf-8")
    ),
    autoescape=True,
)


def nav(user: User | None, f: Filters | None = None) -> list[dict[str, str]]:
    """Links the user's role may follow, carrying the current filters along."""
    if user is None:
        return []
    q = f"?{f.query()}" if f and f.active() else ""
    items = [{"slug": a.slug, "title": a.title, "href": f"/{a.slug}{q}"} for a in ANALYSES if user.can(a.role)]
    if user.can("analyst"):
        items.append({"slug": "posts", "title": "Posts", "href": f"/posts{q}"})
    if user.can("admin"):
        items.append({"slug": "admin", "title": "Admin", "href": "/admin"})
    return items


def render(request: Request, template: str, *, status: int = 200, **ctx: Any) -> HTMLResponse:
    user = current_user(request)
    ctx.setdefault("nav", nav(user, ctx.get("f")))
    html = _env.get_template(template).render(
        user=user, csrf=csrf_token(request), store=request.app.state.backend.path.name, **ctx
    )
    return HTMLResponse(html, status_code=status)


# -- sign in / out -----------------------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    """Only same-site paths: ``//evil.example`` or ``https://...`` would make the login an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/overview"


def _login_page(request: Request, next_: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    cookie, token = login_nonce(request)
    resp = render(request, "login.html.j2", title="Sign in", next=next_, error=error, login_csrf=token, status=status)
    resp.set_cookie(
        LOGIN_COOKIE, cookie, max_age=3600, httponly=True, samesite="strict", secure=secure_cookies(request)
    )
    return resp


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
    return _login_page(request, _safe_next(next))


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/overview",
) -> Response:
    check_login_csrf(request, csrf)
    accounts = request.app.state.accounts
    user = accounts.check_password(name, password)
    if user is None:
        return _login_page(request, _safe_next(next), "Wrong name or password.", status=401)
    raw = accounts.new_session(user)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    signed = request.app.state.serializer.dumps(raw, salt="session")
    resp.set_cookie(SESSION_COOKIE, signed, httponly=True, samesite="lax", secure=secure_cookies(request))
    resp.delete_cookie(LOGIN_COOKIE)
    return resp


@router.post("/logout", dependencies=[Depends(Require("viewer"))])
def logout(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(request, csrf)
    sid = session_id(request)
    if sid:
        request.app.state.accounts.end_session(sid)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.get("/", dependencies=[Depends(Require("viewer"))])
def home() -> Response:
    return RedirectResponse("/overview", status_code=303)


# -- analyses ----------------------------------------------------------------------------------------
def compute(request: Request, analysis: Analysis, f: Filters) -> Any:
    """The analysis for these filters at the store's current data version (cached until data changes)."""
    backend = request.app.state.backend
    k = request.app.state.k
    return backend.cached((analysis.slug, f.key(), k), lambda s: analysis.build(s, f.engine_filters(), k))


def _filter_ctx(f: Filters, action: str, extra: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    return {"f": f, "platforms": PLATFORMS, "action": action, "extra": extra or []}


def analysis_page(analysis: Analysis) -> Callable[..., HTMLResponse]:
    """The page route of one registry entry (its role guard is the entry's role)."""

    def page(request: Request, f: Shared) -> HTMLResponse:
        result = compute(request, analysis, f)
        ready = not isinstance(result, NotReady)
        q = f.query()
        return render(
            request,
            "analysis.html.j2",
            title=analysis.title,
            analysis=analysis,
            current=analysis.slug,
            ready=ready,
            body=result.html if ready else "",
            reason=result.reason if not ready else "",
            k=request.app.state.k,
            api_href=f"/api/v1/{analysis.slug}" + (f"?{q}" if q else ""),
            **_filter_ctx(f, f"/{analysis.slug}"),
        )

    page.__name__ = f"{analysis.slug}_page"
    return page


for _a in ANALYSES:
    router.add_api_route(
        f"/{_a.slug}",
        analysis_page(_a),
        methods=["GET"],
        response_class=HTMLResponse,
        dependencies=[Depends(Require(_a.role))],
    )


@router.get("/posts", response_class=HTMLResponse)
def posts_page(
    request: Request,
    user: Analyst,
    f: Shared,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    backend = request.app.state.backend
    with backend.reader() as s:
        rows = redacted_posts(s, f.engine_filters(), limit=limit + 1, offset=offset, q=q)
        care = care_html(s)
    more = len(rows) > limit
    next_href = "/posts?" + urlencode(
        {**f.params(), **({"q": q} if q else {}), "offset": offset + limit, "limit": limit}
    )
    return render(
        request,
        "posts.html.j2",
        title="Posts",
        current="posts",
        care=care,
        posts=rows[:limit],
        more=more,
        offset=offset,
        limit=limit,
        next_href=next_href,
        **_filter_ctx(f, "/posts", [("q", q)] if q else []),
    )
