"""Brute-force protection of the login form (Flask-Limiter): only FAILED attempts count, per client
address — ``LOGIN_FAILURES_LIMIT`` (default 10 a minute and 50 an hour); the next attempt gets a
Russian 429 page until the window passes. One limiter per app; the counters live in
``RATELIMIT_STORAGE_URI`` (``memory://`` for one process; ``redis://127.0.0.1:6379`` for several workers).
"""
from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

_EXTENSION = "nastavnik.limiter"


def _failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: the login view is wrapped here."""
    app.config.setdefault("LOGIN_FAILURES_LIMIT", "10 per minute;50 per hour")
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      headers_enabled=False, enabled=app.config.get("RATELIMIT_ENABLED", True))
    app.extensions[_EXTENSION] = limiter
    view = app.view_functions["auth.login"]
    app.view_functions["auth.login"] = limiter.limit(app.config["LOGIN_FAILURES_LIMIT"], methods=["POST"],
                                                     deduct_when=_failed)(view)
