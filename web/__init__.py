"""The web layer: a thin Flask UI (Russian, English second) and, later, the JSON API on top of engine/.

``create_app(config)`` builds an app; each area of the UI is a blueprint in ``web/views/``.
The domain (``engine/``) never imports this package.
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask

from engine import settings
from engine.db import database_url
from engine.errors import NastavnikError
from web import converters

log = logging.getLogger(__name__)


def _env_count(name: str) -> int:
    raw = (settings.value(name) or "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise ValueError(f"{name}: ожидается число (сколько прокси-серверов стоит перед приложением), а не «{raw}»")
    return int(raw)


def default_config() -> dict[str, Any]:
    """Settings before the caller's overrides; the settings (``engine.settings``: the environment and the optional
    file) can change the security-relevant ones."""
    return {
        "SECRET_KEY": settings.value("NASTAVNIK_SECRET_KEY") or None,
        "DATABASE_URL": None,  # None: engine.db.database_url() (env DATABASE_URL or the SQLite default)
        "TESTING": False,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Secure cookies unless explicitly turned off (``nastavnik serve`` turns them off on loopback only).
        "SESSION_COOKIE_SECURE": settings.flag("NASTAVNIK_SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "nastavnik_session",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": settings.value("NASTAVNIK_TIMEZONE") or "Asia/Tomsk",
        "INBOX_PAGE_SIZE": 50,
        "RATELIMIT_STORAGE_URI": settings.value("NASTAVNIK_RATELIMIT_STORAGE") or "memory://",
        # how many reverse proxies stand in front (their X-Forwarded-For/-Proto is believed); 0: none is trusted
        "TRUSTED_PROXIES": _env_count("NASTAVNIK_TRUSTED_PROXIES"),
        "DOMAIN_CLOCK": None,  # the clock the domain runs on (None: the system's; a test gives a FixedClock)
        "MAIL": None,  # e-mail settings (None: NASTAVNIK_SMTP_*; engine.services.notifications.email_settings)
        # the Celery broker (issue 13); /healthz checks it answers when set. None: the embedded mode, no broker
        "BROKER_URL": settings.value("NASTAVNIK_BROKER_URL") or None,
    }


def broker_check(url: str | None) -> Callable[[], bool] | None:
    """What /healthz calls to see the broker answer (``worker.broker``, the one package that speaks to it)."""
    if not url:
        return None
    from worker.broker import broker_reachable

    return partial(broker_reachable, url, 1.5)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from web.db import App

    app = App(__name__, instance_relative_config=False)  # a request that lost its database connection runs again
    converters.init_app(app)  # bounded <int:…> ids in every route, before any route is added
    app.config.update(default_config())
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        if settings.is_production() and not app.config.get("TESTING"):
            raise NastavnikError("NASTAVNIK_SECRET_KEY: не задан, а NASTAVNIK_ENV=production — приложение без "
                                 "постоянного ключа сессий не запускается")
        app.config["SECRET_KEY"] = secrets.token_hex(32)
        log.warning("NASTAVNIK_SECRET_KEY is not set: a random key is used, sessions end on restart")
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    app.config["DATABASE_URL"] = app.config.get("DATABASE_URL") or database_url()

    from engine.bootstrap import bootstrap
    from web import api, auth, db, deployed, errors, filters, i18n, nav, ratelimit, request_log, security
    from web.views import packs, register_blueprints, rulefiles
    from worker import metrics

    request_log.init_app(app)  # first: the request id, then (last of all) the access line and the counters; /metrics
    domain = bootstrap(clock=app.config["DOMAIN_CLOCK"], mail=app.config["MAIL"],
                       monitoring_refresh_minutes=app.config.get("MONITORING_REFRESH_MINUTES"))
    metrics.observe(domain.events)  # steps, timers, jobs, notifications, incidents counted as they commit
    db.init_app(app, domain)  # every request's session carries the domain: workflow steps apply its effects
    security.init_app(app)
    security.trust_proxies(app)  # the real client address behind TRUSTED_PROXIES reverse proxies
    i18n.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    nav.init_app(app)
    deployed.init_app(app)  # every request runs the rule and pack versions the database deployed (one SELECT)
    register_blueprints(app)
    app.extensions["nastavnik.broker_check"] = broker_check(app.config["BROKER_URL"])  # web.views.health
    ratelimit.init_app(app)  # failed logins per account and per client address
    api.init_app(app)  # the JSON API /api/v1 (web/api/README.md)
    rulefiles.activate_deployed_rules(app)  # the rule file versions this database deployed run
    packs.activate_deployed_packs(app)  # then its regulation pack versions (they take their rule files' texts)
    return app
