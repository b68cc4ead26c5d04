"""Every request: its id, one access line, its counters — and ``/metrics`` for Prometheus.

* The request id is the client's ``X-Request-Id`` when it is a plain token (letters, digits, ``._:-``, at most 128:
  a proxy's id follows the request through), else a new one; the response carries it back in ``X-Request-Id``, and
  every log record made while the request runs carries it (``worker.logs.bind``).
* One line of the ``nastavnik.access`` logger at INFO after each request (waitress and gunicorn's gthread write
  none): request id, the person's id (never a name, a login or an e-mail: 152-ФЗ), method, route (the URL rule,
  never the path, which may hold a secret token), status, duration in milliseconds.
* ``nastavnik_http_requests_total`` and ``nastavnik_http_request_duration_seconds`` (``worker.metrics``).
* ``GET /metrics``: the text format, only from the addresses of ``METRICS_ALLOW`` (env ``NASTAVNIK_METRICS_ALLOW``,
  addresses or networks separated by commas; default the loopback ones) or with ``Authorization: Bearer <token>``
  equal to ``METRICS_TOKEN`` (env ``NASTAVNIK_METRICS_TOKEN``); else a 403. The address is the client's as
  ``TRUSTED_PROXIES`` makes it.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, request

from engine import settings
from worker import logs, metrics

access = logging.getLogger("nastavnik.access")

HEADER = "X-Request-Id"
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
LOOPBACK = "127.0.0.1,::1"


def request_id() -> str:
    given = request.headers.get(HEADER, "")
    return given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex


def person_id() -> int | None:
    """The id of whoever the request was made by, if the request already knew (never loads anyone)."""
    user = g.get("_login_user")
    actor = getattr(user, "actor", None) or g.get("api_actor")
    return getattr(actor, "person_id", None)


def networks(raw: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    found = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"NASTAVNIK_METRICS_ALLOW: «{part}» — не адрес и не сеть (например 10.0.0.0/8)") from None
    return found


def metrics_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_NETWORKS"])


def _started() -> None:
    g.request_id = g.get("request_id") or request_id()
    g.request_started = g.get("request_started") or time.perf_counter()
    g.log_context = logs.set_context(request_id=g.request_id)


def _finished(response: Response) -> Response:
    started = g.get("request_started")
    seconds = time.perf_counter() - started if started else 0.0
    route = request.url_rule.rule if request.url_rule is not None else None
    response.headers[HEADER] = g.get("request_id") or request_id()
    metrics.request_served(route, request.method, response.status_code, seconds)
    fields: dict[str, Any] = {"request_id": response.headers[HEADER], "person_id": person_id(),
                              "method": request.method, "route": route or metrics.UNMATCHED,
                              "status": response.status_code, "duration_ms": round(seconds * 1000, 1)}
    access.info("%s %s %s %.1f ms", request.method, fields["route"], response.status_code, fields["duration_ms"],
                extra=fields)
    return response


def _teardown(_error: BaseException | None) -> None:
    token = g.pop("log_context", None)
    if token is not None:
        logs.reset_context(token)


def serve_metrics() -> Response:
    if not metrics_allowed():
        return Response("Метрики доступны только с адресов NASTAVNIK_METRICS_ALLOW или с токеном "
                        "NASTAVNIK_METRICS_TOKEN (заголовок Authorization: Bearer …).\n", status=403,
                        mimetype="text/plain")
    body, content_type = metrics.exposition()
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Call first, before the other extensions: its ``before_request`` runs first and its ``after_request`` last."""
    app.config.setdefault("METRICS_TOKEN", settings.value("NASTAVNIK_METRICS_TOKEN") or None)
    app.config.setdefault("METRICS_ALLOW", settings.value("NASTAVNIK_METRICS_ALLOW") or LOOPBACK)
    app.config["METRICS_NETWORKS"] = networks(app.config["METRICS_ALLOW"])
    app.before_request(_started)
    app.after_request(_finished)
    app.teardown_request(_teardown)
    app.add_url_rule("/metrics", "metrics", serve_metrics, methods=["GET"])
