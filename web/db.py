"""One SQLAlchemy session per request: opened on first use, rolled back on error, always closed.

Views call ``get_db()`` and commit themselves when they change something; whatever is not committed
at the end of the request is rolled back. Every session carries the app's domain (``engine.bootstrap``),
which ``domain()`` also hands to the services that take no session (``definitions.check``).

A connection the database dropped (a restart, a failover, an idle connection a firewall cut) is not the
user's problem: a pooled connection is tested before use (``pool_pre_ping``, ``engine.db.make_engine``), and a
request whose connection is lost while it runs is run again once, on a new connection (``App``), when that
cannot do anything twice — a GET/HEAD/OPTIONS, or any request that had not yet asked the database to
commit (what it wrote died with the connection's transaction). Otherwise, or when the second run loses its
connection too, the person gets a Russian 503 (``web.errors``) and the error is logged.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, request
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from engine.db import make_engine
from engine.errors import NastavnikError
from engine.services.audit import disclosures
from engine.services.process.domain import Domain

_EXTENSION = "nastavnik.db"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def connection_lost(error: BaseException | None) -> bool:
    """The database dropped the connection under ``error`` (SQLAlchemy has invalidated it)."""
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def database_unavailable(error: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (a 503: try again), not a bug (a 500)."""
    return connection_lost(error) or isinstance(error, OperationalError)


class App(Flask):
    """The Flask app, running a request again once when its database connection was lost (module docstring)."""

    def full_dispatch_request(self) -> Response:
        try:
            return super().full_dispatch_request()
        except DBAPIError as error:
            nothing_twice = request.method in SAFE_METHODS or not g.get("_db_committing")
            if not (connection_lost(error) and nothing_twice):
                raise
            log.warning("the database connection was lost during %s %s; running the request again",
                        request.method, request.path)
            _forget_request_state()
            return super().full_dispatch_request()


def _forget_request_state() -> None:
    """What the lost run left on ``g``: its session (on the dead connection) and who was logged in."""
    session = g.pop("_db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError:  # closing on the dead connection: nothing is left to roll back
            log.debug("closing the session of the lost connection failed", exc_info=True)
    for name in ("_login_user", "api_actor", "_db_committing"):
        g.pop(name, None)


class Database:
    def __init__(self, url: str, domain: Domain) -> None:
        self.engine = make_engine(url)
        self.domain = domain
        self.session_factory = domain.session_factory(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask, domain: Domain) -> None:
    app.extensions[_EXTENSION] = Database(app.config["DATABASE_URL"], domain)
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[_EXTENSION]


def domain() -> Domain:
    """The domain of the current app (hooks, rules, clock)."""
    return database().domain


def get_db() -> Session:
    """The session of the current request (or app context)."""
    session = g.get("_db_session")
    if session is None:
        session = g._db_session = database().session_factory()
        event.listen(session, "before_commit", _committing)
    return session


def keep_disclosures(error: NastavnikError) -> None:
    """A refused request's work is rolled back, but what its error showed of people goes to the access log
    (152-ФЗ): rolled back here, the disclosures recorded and committed on their own."""
    if not error.disclosures:
        return
    session = get_db()
    session.rollback()
    disclosures.record(session, error)
    session.commit()
def _committing(_session: Session) -> None:
    g._db_committing = True  # from now on a lost connection may have committed: the request is not run again


def _close_session(error: BaseException | None) -> None:
    session = g.pop("_db_session", None)
    if session is None:
        return
    try:
        if error is not None or session.in_transaction():
            session.rollback()
    finally:
        session.close()
