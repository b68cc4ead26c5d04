"""CSRF protection on every form, security headers on every response, and JSON bodies no deeper than
``MAX_JSON_DEPTH`` (a body nested thousands of levels deep exhausts Python's recursion in any parser that
reads it: it gets a Russian 400 before any view or API schema sees it)."""
from __future__ import annotations

import json

from flask import Flask, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from web.errors import render_error

csrf = CSRFProtect()

# Only our own origin: no CDN, no inline script. bpmn-js styles SVG through the DOM (allowed) and
# diagram exports use data: images.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


MAX_JSON_DEPTH = 32  # no form, rule file request or API body comes near it


def json_depth(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def too_deep_json() -> bool:
    """The request's JSON body nests deeper than ``MAX_JSON_DEPTH`` (invalid JSON is left to the view)."""
    if not request.is_json:
        return False
    try:
        body = json.loads(request.get_data(cache=True))
    except RecursionError:
        return True
    except ValueError:
        return False
    return json_depth(body) > MAX_JSON_DEPTH


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies the client's address and scheme are the ones the nearest of
    them report (X-Forwarded-For, X-Forwarded-Proto); with 0 (the default) no header is believed, since
    anyone can send one."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    csrf.init_app(app)

    @app.before_request
    def _bounded_json():
        if too_deep_json():
            return render_error(400, _("Тело запроса (JSON) вложено слишком глубоко: допустимо не больше "
                                       "%(depth)s уровней списков и объектов.", depth=MAX_JSON_DEPTH))
        return None

    @app.after_request
    def _headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":  # pages carry personal data (152-ФЗ): keep them out of caches
            headers.setdefault("Cache-Control", "no-store")
        return response
