"""Every route, from the app's own route table: no session → 401 / redirect; a role too low → 403.

The list of routes is read from ``app.routes`` at test time, and the role each one needs from its ``Require``
dependency, so a route added tomorrow is checked tomorrow; a route that declares no role fails the first test.
"""

from __future__ import annotations

import re
import sqlite3

import httpx
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from groundswell.web.auth import ROLES, auth_path
from groundswell.web.security import Require
from tests.web.conftest import PASSWORD, Site, csrf_of, login

PUBLIC = {("GET", "/login"), ("POST", "/login")}
PUBLIC_MOUNTS = {"/static"}


def _required_role(route: APIRoute) -> str | None:
    stack = list(route.dependant.dependencies)
    roles = []
    while stack:
        d = stack.pop()
        if isinstance(d.call, Require):
            roles.append(d.call.role)
        stack.extend(d.dependencies)
    return max(roles, key=ROLES.index) if roles else None


def route_table(site: Site) -> list[tuple[str, str, str | None]]:
    """(method, concrete path, role) for every route; ``/logout`` last, since it ends the session."""
    rows = []
    for r in site.app.routes:
        if isinstance(r, Mount):
            assert r.path in PUBLIC_MOUNTS, f"unexpected mount {r.path}"
            continue
        assert isinstance(r, APIRoute), f"route of unexpected kind: {r!r}"
        path = re.sub(r"\{[^}]+\}", "x", r.path)
        for m in sorted(r.methods - {"HEAD"}):
            rows.append((m, path, _required_role(r)))
    return sorted(rows, key=lambda x: x[1] == "/logout")


def test_every_route_but_login_declares_a_role(site: Site) -> None:
    rows = route_table(site)
    assert len(rows) >= 20, rows  # pages, analyses and their API twins, admin forms
    missing = [(m, p) for m, p, role in rows if role is None and (m, p) not in PUBLIC]
    assert missing == [], f"routes without a Require(...) guard: {missing}"


def test_without_a_session_every_route_refuses(site: Site) -> None:
    wrong = []
    with site.client() as anon:
        for method, path, _ in route_table(site):
            if (method, path) in PUBLIC:
                continue
            r = anon.request(method, path)
            if path.startswith("/api/"):
                ok = r.status_code == 401 and r.headers.get("www-authenticate") == "Bearer"
            else:
                ok = r.status_code == 303 and r.headers["location"].startswith("/login?next=")
            if not ok:
                wrong.append((method, path, r.status_code))
    assert wrong == []
    with site.client() as anon:  # a forged or stale cookie is no session either
        anon.cookies.set("gs_session", "forged.value.here")
        assert anon.get("/api/v1/overview").status_code == 401
        assert anon.get("/api/v1/overview", headers={"Authorization": "Bearer gs_not-a-token"}).status_code == 401


def test_each_role_gets_exactly_its_routes(site: Site) -> None:
    rows = route_table(site)
    for role in ROLES:
        wrong = []
        with site.client() as c:
            login(c, role)
            token = csrf_of(c)
            for method, path, needed in rows:
                if (method, path) in PUBLIC:
                    continue
                data = {"csrf": token} if method == "POST" else None
                r = c.request(method, path, data=data)
                allowed = ROLES.index(role) >= ROLES.index(needed or "viewer")
                if allowed and r.status_code in (401, 403):
                    wrong.append((role, method, path, r.status_code, "refused"))
                if not allowed and r.status_code != 403:
                    wrong.append((role, method, path, r.status_code, "not refused"))
        assert wrong == [], wrong


def test_api_tokens_carry_their_role(site: Site) -> None:
    clients = {role: site.client(role) for role in ROLES}
    for method, path, needed in route_table(site):
        if not path.startswith("/api/"):
            continue
        for role, c in clients.items():
            r = c.request(method, path)
            expected = 200 if ROLES.index(role) >= ROLES.index(needed or "viewer") else 403
            assert r.status_code == expected, (role, path, r.status_code, r.text[:200])
    for c in clients.values():
        c.close()


def test_session_cookie_flags_and_https(site: Site) -> None:
    with site.client() as c:
        form = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        r = c.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf": token})
        cookie = r.headers["set-cookie"].lower()
        assert "gs_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert "secure" not in cookie  # plain HTTP on localhost: a Secure cookie would never come back
    # over HTTPS (directly, or behind a TLS proxy with uvicorn --proxy-headers) the cookies are Secure
    tls = TestClient(site.app, base_url="https://testserver")
    form = tls.get("/login")
    assert "secure" in form.headers["set-cookie"].lower()
    token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    r = tls.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()


def test_login_refuses_bad_password_missing_csrf_and_open_redirects(site: Site) -> None:
    with site.client() as c:
        form = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        bad = c.post("/login", data={"name": "viewer", "password": "wrong password!", "csrf": token})
        assert bad.status_code == 401 and "gs_session" not in bad.headers.get("set-cookie", "")
        assert c.post("/login", data={"name": "viewer", "password": PASSWORD}).status_code == 403  # no CSRF
        form = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        r = c.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf": token, "next": "//evil.example/x"})
        assert r.status_code == 303 and r.headers["location"] == "/overview"


def test_state_changing_forms_need_the_sessions_csrf_token(site: Site) -> None:
    with site.client() as admin, site.client() as other:
        login(admin, "admin")
        login(other, "admin")
        data = {"name": "csrf-victim", "password": "long enough password", "role": "admin"}
        assert admin.post("/admin/users", data=data).status_code == 403
        assert admin.post("/admin/users", data={**data, "csrf": "0" * 64}).status_code == 403
        assert admin.post("/admin/users", data={**data, "csrf": csrf_of(other, "/admin")}).status_code == 403
        assert site.app.state.accounts.user("csrf-victim") is None
        r = admin.post("/admin/users", data={**data, "csrf": csrf_of(admin, "/admin")})
        assert r.status_code == 200 and site.app.state.accounts.user("csrf-victim") is not None
        r = admin.post("/admin/users/remove", data={"name": "csrf-victim", "csrf": csrf_of(admin, "/admin")})
        assert r.status_code == 200 and site.app.state.accounts.user("csrf-victim") is None


def test_logout_and_removal_end_sessions_and_tokens(site: Site) -> None:
    accounts = site.app.state.accounts
    accounts.add_user("shortlived", PASSWORD, "viewer")
    token = accounts.new_token("shortlived")
    with site.client() as c, httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {token}"}) as t:
        login(c, "shortlived")
        assert c.get("/api/v1/me").json() == {"name": "shortlived", "role": "viewer"}
        assert t.get("/api/v1/me").status_code == 200
        accounts.remove_user("shortlived")
        assert c.get("/api/v1/me").status_code == 401
        assert t.get("/api/v1/me").status_code == 401
    with site.client() as c:
        login(c, "viewer")
        r = c.post("/logout", data={"csrf": csrf_of(c)})
        assert r.status_code == 303
        assert c.get("/overview").status_code == 303


def test_passwords_and_tokens_are_stored_only_as_hashes(site: Site) -> None:
    con = sqlite3.connect(auth_path(site.db))
    try:
        hashes = [h for (h,) in con.execute("SELECT pw_hash FROM users")]
        digests = {d for (d,) in con.execute("SELECT digest FROM tokens")}
    finally:
        con.close()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    raw = auth_path(site.db).read_bytes()
    assert PASSWORD.encode() not in raw
    assert all(t.encode() not in raw and t not in digests for t in site.tokens.values())
    assert oct(auth_path(site.db).stat().st_mode & 0o777) == "0o600"
    assert oct(site.db.with_name(site.db.name + ".secret").stat().st_mode & 0o777) == "0o600"


def test_responses_forbid_scripts_and_framing(site: Site) -> None:
    with site.client("viewer") as c:
        r = c.get("/overview")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp  # no script source at all
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
