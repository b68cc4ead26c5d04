"""Brute-force protection of the login form (Flask-Limiter). Only FAILED attempts count, twice:

* per account — ``LOGIN_FAILURES_PER_ACCOUNT`` (default 10 a minute and 30 an hour) for the login typed,
  whether such a person exists or not, so a limited login looks the same as a limited non-existent one (no
  account enumeration): guessing one person's password from many addresses stops;
* per client address — ``LOGIN_FAILURES_PER_ADDRESS`` (default 30 a minute and 200 an hour): trying many
  logins from one address stops. Behind a reverse proxy the client address is the one the proxy reports, once
  ``TRUSTED_PROXIES`` (env ``NASTAVNIK_TRUSTED_PROXIES``) says how many proxies stand in front
  (``web.security.trust_proxies``); without it every user would share the proxy's address.

The one-time account link page (``/account/<token>``) counts its failures (an unknown, used or expired link, a
refused password) per client address too — ``ACCOUNT_LINK_FAILURES_PER_ADDRESS`` (default 20 a minute and 100 an
hour). The public calendar feed (``/calendar/<token>.ics``) likewise counts its unknown or revoked addresses per
client address — ``CALENDAR_FEED_FAILURES_PER_ADDRESS`` (default 20 a minute and 100 an hour); its successful
fetches are not limited, since Google and Yandex fetch every subscriber's feed from a few addresses of theirs.

The next attempt gets the same Russian 429 page either way until the window passes; a successful login
redirects and is not counted. The counters live in ``RATELIMIT_STORAGE_URI`` (env ``NASTAVNIK_RATELIMIT_STORAGE``):
``memory://`` (the default) is shared by the threads of one process, which is how ``nastavnik serve`` runs
(waitress); several processes share counters through Redis (``redis://127.0.0.1:6379``).
"""
from __future__ import annotations

import hashlib

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

_EXTENSION = "nastavnik.limiter"


def _failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects


def account_key() -> str:
    """The login typed, as people type it (case and surrounding spaces do not make another account)."""
    typed = " ".join(str(request.form.get("login", "")).split()).casefold()[:200]
    return "account:" + hashlib.sha256(typed.encode("utf-8")).hexdigest()


def address_key() -> str:
    return "address:" + (get_remote_address() or "?")


def init_app(app: Flask) -> None:
    """Call after the blueprints are registered: the login view is wrapped here."""
    app.config.setdefault("LOGIN_FAILURES_PER_ACCOUNT", "10 per minute;30 per hour")
    app.config.setdefault("LOGIN_FAILURES_PER_ADDRESS", "30 per minute;200 per hour")
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      headers_enabled=False, enabled=app.config.get("RATELIMIT_ENABLED", True))
    app.extensions[_EXTENSION] = limiter
    view = app.view_functions["auth.login"]
    per_account = limiter.limit(app.config["LOGIN_FAILURES_PER_ACCOUNT"], key_func=account_key, methods=["POST"],
                                deduct_when=_failed, scope="login-account")
    per_address = limiter.limit(app.config["LOGIN_FAILURES_PER_ADDRESS"], key_func=address_key, methods=["POST"],
                                deduct_when=_failed, scope="login-address")
    app.view_functions["auth.login"] = per_address(per_account(view))
    _limit_account_links(app, limiter)
    _limit_calendar_feeds(app, limiter)


def _link_failed(response) -> bool:
    return response.status_code >= 400  # an unknown, used or expired link, or a refused password


def _limit_account_links(app: Flask, limiter: Limiter) -> None:
    """The one-time link page (``/account/<token>``): failed requests per client address, as for the login, so
    links cannot be guessed by trying (``ACCOUNT_LINK_FAILURES_PER_ADDRESS``)."""
    view = app.view_functions.get("account.link")
    if view is None:
        return
    app.config.setdefault("ACCOUNT_LINK_FAILURES_PER_ADDRESS", "20 per minute;100 per hour")
    per_address = limiter.limit(app.config["ACCOUNT_LINK_FAILURES_PER_ADDRESS"], key_func=address_key,
                                deduct_when=_link_failed, scope="account-link-address")
    app.view_functions["account.link"] = per_address(view)


def _limit_calendar_feeds(app: Flask, limiter: Limiter) -> None:
    """The calendar feed (``/calendar/<token>.ics``): failed fetches per client address, so that addresses cannot
    be guessed by trying (``CALENDAR_FEED_FAILURES_PER_ADDRESS``)."""
    view = app.view_functions.get("calendar.feed")
    if view is None:
        return
    app.config.setdefault("CALENDAR_FEED_FAILURES_PER_ADDRESS", "20 per minute;100 per hour")
    per_address = limiter.limit(app.config["CALENDAR_FEED_FAILURES_PER_ADDRESS"], key_func=address_key,
                                deduct_when=_link_failed, scope="calendar-feed-address")
    app.view_functions["calendar.feed"] = per_address(view)
