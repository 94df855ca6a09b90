"""Admin pages: accounts and API tokens, browser uploads, and ``forget``.

Uploads and forget go through the server's single writer (``Backend``), so readers keep answering while
they run. An uploaded file is written to ``<db>.uploads/`` (mode 0700), ingested with the same readers and
the same reconciliation as ``groundswell ingest``, and deleted afterwards: the raw export, with its handles,
is not kept beside the store (its name, size and SHA-256 stay in the ``ingests`` table).
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from html import escape
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse

from groundswell.schema import PLATFORMS
from groundswell.web.auth import ROLES, AuthError
from groundswell.web.pages import render
from groundswell.web.security import Admin, check_csrf

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=200)]


def _message(request: Request, title: str, body: str, status: int = 200) -> HTMLResponse:
    return render(request, "message.html.j2", title=title, body=body, current="admin", status=status)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, user: Admin) -> HTMLResponse:
    accounts = request.app.state.accounts
    audit = [
        {**a, "when": datetime.fromtimestamp(float(a["time"]), UTC).strftime("%Y-%m-%d %H:%M:%S")}  # type: ignore[arg-type]
        for a in accounts.audit_log(50)
    ]
    return render(
        request,
        "admin.html.j2",
        title="Admin",
        current="admin",
        users=accounts.users(),
        roles=ROLES,
        platforms=PLATFORMS,
        audit=audit,
    )


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    user: Admin,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    role: Annotated[str, Form(max_length=16)] = "viewer",
    csrf: Csrf = "",
) -> HTMLResponse:
    check_csrf(request, csrf)
    try:
        request.app.state.accounts.add_user(name, password, role, actor=user.name)
    except AuthError as e:
        return _message(request, "User not added", f'<p class="error">{escape(str(e))}</p>', 400)
    return _message(request, "User added", f'<p class="ok">{escape(name)} can now sign in as {escape(role)}.</p>')


@router.post("/admin/users/remove", response_class=HTMLResponse)
def remove_user(
    request: Request, user: Admin, name: Annotated[str, Form(max_length=64)], csrf: Csrf = ""
) -> HTMLResponse:
    check_csrf(request, csrf)
    if name == user.name:
        return _message(request, "User not removed", '<p class="error">You cannot remove yourself.</p>', 400)
    try:
        request.app.state.accounts.remove_user(name, actor=user.name)
    except AuthError as e:
        return _message(request, "User not removed", f'<p class="error">{escape(str(e))}</p>', 404)
    return _message(
        request, "User removed", f'<p class="ok">{escape(name)} removed; their sessions and tokens ended.</p>'
    )


@router.post("/admin/tokens", response_class=HTMLResponse)
def new_token(
    request: Request, user: Admin, name: Annotated[str, Form(max_length=64)], csrf: Csrf = ""
) -> HTMLResponse:
    check_csrf(request, csrf)
    try:
        token = request.app.state.accounts.new_token(name, "web", actor=user.name)
    except AuthError as e:
        return _message(request, "No token", f'<p class="error">{escape(str(e))}</p>', 404)
    return _message(
        request,
        "API token",
        f"<p>A new API token for {escape(name)}. It is shown once; keep it like a password.</p>"
        f'<p class="token" data-token>{escape(token)}</p>'
        '<p class="note">Use it as <code>Authorization: Bearer &lt;token&gt;</code> on <code>/api/v1</code>.</p>',
    )


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[-120:] or "upload"


@router.post("/admin/upload", response_class=HTMLResponse)
def upload(request: Request, user: Admin, file: UploadFile, csrf: Csrf = "") -> HTMLResponse:
    check_csrf(request, csrf)
    backend = request.app.state.backend
    folder = backend.path.with_name(backend.path.name + ".uploads")
    folder.mkdir(mode=0o700, exist_ok=True)
    dest = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{_safe_name(file.filename or '')}"
    with dest.open("wb") as out:
        shutil.copyfileobj(file.file, out, 1 << 20)
    try:
        results = backend.ingest([dest])
    finally:
        dest.unlink(missing_ok=True)
    r = results[0]
    c = r.counts
    request.app.state.accounts.audit(user.name, "upload", f"{file.filename} read {c.read} stored {c.stored}")
    reasons = ", ".join(f"{escape(k)} ×{v}" for k, v in sorted(c.reasons.items())) or "none"
    recon = "reconciles" if c.reconciles() else "DOES NOT RECONCILE"
    body = (
        (f'<p class="error" role="alert">{escape(str(r.error))}</p>' if r.error else "")
        + f'<table data-table="upload"><thead><tr><th>file</th><th>format</th><th class="n">read</th>'
        '<th class="n">stored</th><th class="n">duplicates</th><th class="n">rejected</th></tr></thead><tbody>'
        f"<tr><td>{escape(file.filename or '')}</td><td>{escape(r.format or '?')}</td>"
        f'<td class="n" data-count="read">{c.read}</td><td class="n" data-count="stored">{c.stored}</td>'
        f'<td class="n" data-count="duplicates">{c.duplicates}</td><td class="n" data-count="rejected">{c.rejected}</td>'
        "</tr></tbody></table>"
        f'<p class="{"ok" if c.reconciles() else "error"}" data-reconciles="{str(c.reconciles()).lower()}">'
        f"read {c.read:,} = stored {c.stored:,} + duplicates {c.duplicates:,} + rejected {c.rejected:,}: {recon}.</p>"
        f'<p class="note">Rejected, by reason: {reasons}.</p>'
    )
    return _message(request, "Ingested" if not r.error else "Ingest failed", body, 200 if not r.error else 422)


@router.post("/admin/forget", response_class=HTMLResponse)
def forget(
    request: Request,
    user: Admin,
    platform: Annotated[str, Form(max_length=16)],
    post_ids: Annotated[str, Form(max_length=2_000_000)],
    csrf: Csrf = "",
) -> HTMLResponse:
    check_csrf(request, csrf)
    if platform not in PLATFORMS:
        raise HTTPException(422, f"unknown platform {platform!r}")
    ids = [x for x in re.split(r"[\s,]+", post_ids) if x]
    done = request.app.state.backend.forget(platform, ids)
    request.app.state.accounts.audit(user.name, "forget", f"{platform}: {done.posts} of {done.requested} ids")
    return _message(
        request,
        "Forgotten",
        f'<p class="ok" data-forgotten="{done.posts}">{done.posts:,} of {done.requested:,} requested {escape(platform)} '
        "posts were in the store and are deleted.</p>",
    )
