"""Who is asking, and may they: sessions, API tokens, role guards, CSRF, and the headers every response carries.

* **Sessions.** The cookie holds a random session id signed with the server secret (``itsdangerous``); the
  server keeps only its digest (see ``auth``), so logging out or removing a user ends the session at once.
  Cookies are ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` whenever the request came over HTTPS (behind a
  TLS proxy, run uvicorn with ``--proxy-headers``) or ``serve --https-only`` is set.
* **API tokens** for scripts: ``Authorization: Bearer gs_...``. A bearer token is never sent by a browser on
  its own, so requests carrying one need no CSRF token.
* **CSRF.** Every state-changing form carries a token that is an HMAC of the session id under the server
  secret; the login form, before any session exists, uses a signed nonce cookie the same way. Checked with a
  constant-time comparison on every POST.
* **Roles.** ``Require("analyst")`` is the FastAPI dependency every route declares; the test suite walks the
  app's route table and fails on any route without one (except the public login and static routes).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from groundswell.web.auth import SESSION_SECONDS, Accounts, User

SESSION_COOKIE = "gs_session"
LOGIN_COOKIE = "gs_login"
PUBLIC_PATHS = frozenset({"/login", "/static"})

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class NotAuthenticated(Exception):
    """No valid session or token: pages redirect to the login form, the API answers 401."""


def _accounts(request: Request) -> Accounts:
    return request.app.state.accounts


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return request.app.state.serializer


def session_id(request: Request) -> str | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return _serializer(request).loads(cookie, max_age=SESSION_SECONDS, salt="session")
    except BadSignature:
        return None


def current_user(request: Request) -> User | None:
    """The user behind the request's bearer token or session cookie, looked up once per request."""
    if hasattr(request.state, "user"):
        return request.state.user
    user = None
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        user = _accounts(request).token_user(auth[7:].strip())
        request.state.via_token = user is not None
    else:
        sid = session_id(request)
        user = _accounts(request).session_user(sid) if sid else None
        request.state.via_token = False
    request.state.user = user
    return user


class Require:
    """Route dependency: a signed-in user with at least ``role``; 401/redirect without one, 403 below it."""

    def __init__(self, role: str) -> None:
        self.role = role

    def __call__(self, request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise NotAuthenticated()
        if not user.can(self.role):
            raise HTTPException(403, f"this needs the {self.role} role; you are a {user.role}")
        return user

    def __repr__(self) -> str:
        return f"Require({self.role!r})"


VIEWER = Require("viewer")
ANALYST = Require("analyst")
ADMIN = Require("admin")
Viewer = Annotated[User, Depends(VIEWER)]
Analyst = Annotated[User, Depends(ANALYST)]
Admin = Annotated[User, Depends(ADMIN)]


# -- CSRF ------------------------------------------------------------------------------------------
def _mac(request: Request, value: str) -> str:
    return hmac.new(request.app.state.secret, b"csrf|" + value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token forms of this session must send back."""
    sid = session_id(request)
    return _mac(request, "session|" + sid) if sid else ""


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a state-changing form whose token does not match the session (bearer-token scripts are exempt)."""
    if getattr(request.state, "via_token", False):
        return
    expected = csrf_token(request)
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise HTTPException(403, "the form's CSRF token is missing or stale: reload the page and try again")


def login_nonce(request: Request) -> tuple[str, str]:
    """(nonce cookie value, form token) for the login form."""
    cookie = request.cookies.get(LOGIN_COOKIE)
    nonce = None
    if cookie:
        try:
            nonce = _serializer(request).loads(cookie, max_age=3600, salt="login")
        except BadSignature:
            nonce = None
    if not nonce:
        nonce = secrets.token_urlsafe(16)
    return _serializer(request).dumps(nonce, salt="login"), _mac(request, "login|" + nonce)


def check_login_csrf(request: Request, token: str | None) -> None:
    cookie = request.cookies.get(LOGIN_COOKIE)
    try:
        nonce = _serializer(request).loads(cookie or "", max_age=3600, salt="login")
    except BadSignature:
        nonce = None
    if not nonce or not token or not hmac.compare_digest(_mac(request, "login|" + nonce), token):
        raise HTTPException(403, "the login form expired: reload the page and try again")


def secure_cookies(request: Request) -> bool:
    return request.app.state.https_only or request.url.scheme == "https"
