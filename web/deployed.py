"""Every request runs the rule file and regulation pack versions its database has deployed: one SELECT on the
request's own session before the view (no connection of its own), a reload only when another process deployed
something else (``engine.services.methodology.deployed_versions``). ``create_app`` made them run at start
(``web.views.rulefiles.activate_deployed_rules``, ``web.views.packs.activate_deployed_packs``)."""
from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError

from engine.services.methodology import deployed_versions
from web.db import connection_lost, database, get_db

log = logging.getLogger(__name__)


def follow_deployed() -> None:
    """Run what the database has deployed (static files need no rules; a database not ready is left for later,
    as at start: the view meets it itself; a connection lost here runs the request again, as in a view)."""
    if request.endpoint == "static":
        return
    session = get_db()
    try:
        synced = deployed_versions.in_sync(session)
    except SQLAlchemyError as error:
        if connection_lost(error):
            raise  # the request runs again on a new connection (web.db.App)
        session.rollback()
        log.debug("deployed versions not checked (database not ready?): %s", error.__class__.__name__)
        return
    if not synced:
        deployed_versions.follow(database().session_factory)


def init_app(app: Flask) -> None:
    app.before_request(follow_deployed)
