"""The web dashboard and REST API: ``groundswell serve``.

* ``app``: ``create_app(db, k=10)``, the FastAPI application;
* ``backend``: the server owns the store's one DuckDB writer; uploads and forget queue to it, reads use cursors;
* ``auth`` / ``security``: accounts (Argon2id) in ``<db>.auth.sqlite``, signed session cookies, API tokens,
  CSRF, role guards (viewer < analyst < admin);
* ``analyses``: the page registry, one entry per analysis, feeding both its page and ``/api/v1/<slug>``;
* ``pages`` / ``admin`` / ``api``: the routes.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # imported on first use: the CLI's account commands need ``auth`` only, not FastAPI's import time
    if name == "create_app":
        from groundswell.web.app import create_app

        return create_app
    raise AttributeError(name)
