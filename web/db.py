"""One SQLAlchemy session per request: opened on first use, rolled back on error, always closed.

Views call ``get_db()`` and commit themselves when they change something; whatever is not committed
at the end of the request is rolled back. Every session carries the app's domain (``engine.bootstrap``),
which ``domain()`` also hands to the services that take no session (``definitions.check``).
"""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from engine.db import make_engine
from engine.errors import NastavnikError
from engine.services.audit import disclosures
from engine.services.process.domain import Domain

_EXTENSION = "nastavnik.db"


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


def _close_session(error: BaseException | None) -> None:
    session = g.pop("_db_session", None)
    if session is None:
        return
    try:
        if error is not None or session.in_transaction():
            session.rollback()
    finally:
        session.close()
