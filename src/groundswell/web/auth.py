"""Accounts, sessions, API tokens and the audit log, in a SQLite sidecar beside the store.

Where: ``<db>.auth.sqlite`` next to ``<db>`` (and the cookie-signing secret in ``<db>.secret``, mode 0600).
Why a sidecar, and why SQLite rather than DuckDB: the web server owns the store's single DuckDB writer, and
``groundswell users add`` must still work while ``serve`` is running. SQLite lets several processes write one
small file safely (WAL mode, short transactions), which is exactly what a table of a dozen accounts needs; a
DuckDB sidecar would be locked by the server. Keeping accounts out of the store also means a copy of the store
handed to a colleague carries no password hashes.

What is stored, and how:

* passwords as Argon2id hashes (``argon2-cffi``'s defaults, rehashed on login when those defaults change);
* sessions and API tokens as SHA-256 digests of random 256-bit values: a leaked auth file lets no one in.
  The raw values exist only in the user's cookie or script;
* an ``audit`` row for every login, failed login, account change, token, upload and forget.

Roles are ordered: ``viewer`` (aggregates) < ``analyst`` (also redacted posts) < ``admin`` (users, uploads,
forget).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("viewer", "analyst", "admin")
SESSION_SECONDS = 12 * 3600
TOKEN_PREFIX = "gs_"
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")

_DDL = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    created REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    label TEXT, created REAL NOT NULL, last_used REAL);
CREATE TABLE IF NOT EXISTS audit (
    time REAL NOT NULL, actor TEXT, action TEXT NOT NULL, detail TEXT);
"""


class AuthError(Exception):
    """A refused account operation (bad name, unknown user, weak password, ...)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is ``role`` or above."""
        return ROLES.index(self.role) >= ROLES.index(role)


def auth_path(db: str | os.PathLike[str]) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".auth.sqlite")


def secret_path(db: str | os.PathLike[str]) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".secret")


def load_secret(db: str | os.PathLike[str]) -> bytes:
    """The server's signing secret, created on first use with 0600 permissions (like the pseudonym key)."""
    p = secret_path(db)
    try:
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(p.read_text().strip())
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return bytes.fromhex(p.read_text().strip())


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Accounts:
    """Users, sessions, tokens and audit for one store. Safe to use from several threads and processes."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.path = auth_path(db)
        self._hasher = PasswordHasher()
        self._local = threading.local()
        # a dummy hash so that a login for an unknown name costs as much as one for a known name
        self._dummy = self._hasher.hash(secrets.token_hex(16))
        new = not self.path.exists()
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_DDL)
        finally:
            con.close()
        if new:
            os.chmod(self.path, 0o600)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened once: connecting and setting pragmas per call cost more than the query."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            self._local.con = con
        return con

    @contextmanager
    def _con(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One short transaction; writers take the lock up front so two processes never deadlock upgrading.

        Each transaction starts afresh, so changes made by another process (``groundswell users remove``
        while ``serve`` runs) are seen by the next request.
        """
        con = self._connection()
        con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise

    # -- users -------------------------------------------------------------------------------------
    def add_user(self, name: str, password: str, role: str = "viewer", *, actor: str | None = None) -> User:
        if not _NAME.match(name):
            raise AuthError(f"user name {name!r}: use 1-64 letters, digits, or . _ @ -")
        if role not in ROLES:
            raise AuthError(f"role {role!r}: choose one of {', '.join(ROLES)}")
        if len(password) < 10:
            raise AuthError("password: at least 10 characters")
        pw = self._hasher.hash(password)
        with self._con() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise AuthError(f"user {name!r} exists already")
            con.execute("INSERT INTO users VALUES (?, ?, ?, ?)", [name, role, pw, time.time()])
            self._audit(con, actor, "user.add", f"{name} ({role})")
        return User(name, role)

    def remove_user(self, name: str, *, actor: str | None = None) -> None:
        """Remove an account; its sessions and tokens go with it (foreign keys cascade)."""
        with self._con() as con:
            if con.execute("DELETE FROM users WHERE name = ?", [name]).rowcount == 0:
                raise AuthError(f"no user {name!r}")
            self._audit(con, actor, "user.remove", name)

    def users(self) -> list[dict[str, object]]:
        with self._con(write=False) as con:
            rows = con.execute(
                "SELECT u.name, u.role, u.created, (SELECT count(*) FROM tokens t WHERE t.name = u.name) "
                "FROM users u ORDER BY u.name"
            ).fetchall()
        return [{"name": n, "role": r, "created": c, "tokens": t} for n, r, c, t in rows]

    def user(self, name: str) -> User | None:
        with self._con(write=False) as con:
            row = con.execute("SELECT name, role FROM users WHERE name = ?", [name]).fetchone()
        return User(*row) if row else None

    def check_password(self, name: str, password: str) -> User | None:
        """The user when the password is right, else None; audited either way."""
        with self._con() as con:
            row = con.execute("SELECT name, role, pw_hash FROM users WHERE name = ?", [name]).fetchone()
            try:
                self._hasher.verify(row[2] if row else self._dummy, password)
                ok = row is not None
            except (VerificationError, InvalidHashError):
                ok = False
            if ok and self._hasher.check_needs_rehash(row[2]):
                con.execute("UPDATE users SET pw_hash = ? WHERE name = ?", [self._hasher.hash(password), name])
            self._audit(con, name if ok else None, "login" if ok else "login.failed", name[:64])
        return User(row[0], row[1]) if ok and row else None

    # -- sessions ----------------------------------------------------------------------------------
    def new_session(self, user: User) -> str:
        raw = secrets.token_urlsafe(32)
        now = time.time()
        with self._con() as con:
            con.execute("DELETE FROM sessions WHERE expires < ?", [now])
            con.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?)", [digest(raw), user.name, now, now + SESSION_SECONDS]
            )
        return raw

    def session_user(self, raw: str) -> User | None:
        with self._con(write=False) as con:
            row = con.execute(
                "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.name "
                "WHERE s.digest = ? AND s.expires > ?",
                [digest(raw), time.time()],
            ).fetchone()
        return User(*row) if row else None

    def end_session(self, raw: str) -> None:
        with self._con() as con:
            con.execute("DELETE FROM sessions WHERE digest = ?", [digest(raw)])

    # -- API tokens --------------------------------------------------------------------------------
    def new_token(self, name: str, label: str = "", *, actor: str | None = None) -> str:
        """A new API token for ``name``, returned once: only its digest is kept."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._con() as con:
            if not con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise AuthError(f"no user {name!r}")
            con.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, NULL)", [digest(raw), name, label[:100], time.time()])
            self._audit(con, actor, "token.add", f"{name} {label[:100]}".strip())
        return raw

    def token_user(self, raw: str) -> User | None:
        if not raw.startswith(TOKEN_PREFIX):
            return None
        d = digest(raw)
        with self._con(write=False) as con:
            row = con.execute(
                "SELECT u.name, u.role, t.last_used FROM tokens t JOIN users u ON u.name = t.name WHERE t.digest = ?",
                [d],
            ).fetchone()
        if not row:
            return None
        now = time.time()
        if row[2] is None or row[2] < now - 60:  # a write per minute, not per request: scripts poll
            with self._con() as con:
                con.execute("UPDATE tokens SET last_used = ? WHERE digest = ?", [now, d])
        return User(row[0], row[1])

    # -- audit -------------------------------------------------------------------------------------
    @staticmethod
    def _audit(con: sqlite3.Connection, actor: str | None, action: str, detail: str = "") -> None:
        con.execute("INSERT INTO audit VALUES (?, ?, ?, ?)", [time.time(), actor, action, detail])

    def audit(self, actor: str | None, action: str, detail: str = "") -> None:
        with self._con() as con:
            self._audit(con, actor, action, detail)

    def audit_log(self, limit: int = 50) -> list[dict[str, object]]:
        with self._con(write=False) as con:
            rows = con.execute(
                "SELECT time, actor, action, detail FROM audit ORDER BY time DESC LIMIT ?", [limit]
            ).fetchall()
        return [{"time": t, "actor": a, "action": x, "detail": d} for t, a, x, d in rows]
