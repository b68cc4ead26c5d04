"""``GET /healthz`` for a load balancer and monitoring: JSON, no login, no session cookie; 200 when the database,
the migrations, the worker's heartbeat and (if configured) the broker are fine, else 503. Waiting jobs and open
incidents are reported, never a 503 (``engine.services.jobs.health``)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from engine.services.jobs import health
from web.db import get_db

bp = Blueprint("health", __name__)

BROKER_CHECK = "nastavnik.broker_check"  # app.extensions: a callable () -> bool, or None without a broker


@bp.route("/healthz")
def healthz():
    result = health.report(get_db(), broker=current_app.extensions.get(BROKER_CHECK))
    response = jsonify(result.as_dict())
    response.status_code = 200 if result.ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response
