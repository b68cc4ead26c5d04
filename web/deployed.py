"""Every request runs the rule file and regulation pack versions its database has deployed: one SELECT on the
request's own session before the view (no connection of its own), a reload only when another process deployed
something else (``engine.services.methodology.deployed_versions``). ``create_app`` made them run at start
(``web.views.rulefiles.activate_deployed_rules``, ``web.views.packs.activate_deployed_packs``)."""
from __future__ import annotations

from flask import Flask, request

from engine.services.methodology import deployed_versions
from web.db import database, get_db


def follow_deployed() -> None:
    """Run what the database has deployed (static files need no rules; a database not ready is left for later;
    a connection lost here runs the request again, as in a view: ``deployed_versions.follow_on``)."""
    if request.endpoint == "static":
        return
    deployed_versions.follow_on(get_db(), database().session_factory)


def init_app(app: Flask) -> None:
    app.before_request(follow_deployed)
