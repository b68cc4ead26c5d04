"""One database session per request: what a view does not commit is rolled back, errors roll back."""
from __future__ import annotations

import pytest
from flask import Blueprint, g
from sqlalchemy import func, select

from engine.db.models import Organization
from tests.web.conftest import make_test_app
from web.db import database, get_db


@pytest.fixture
def session_app(db_url, db_engine, seed):
    app = make_test_app(db_url, PROPAGATE_EXCEPTIONS=False)
    probe = Blueprint("session_probe", __name__)
    seen = []

    def add(name):
        session = get_db()
        seen.append(session)
        assert get_db() is session  # the same session throughout the request
        session.add(Organization(kind="school", regulation="tomsk", name=name))
        session.flush()

    @probe.route("/probe/commit", methods=["GET"])
    def commit():
        add("Сохранённая школа")
        get_db().commit()
        return "ok"

    @probe.route("/probe/forget")
    def forget():
        add("Забытая школа")
        return "ok"

    @probe.route("/probe/fail")
    def fail():
        add("Сбойная школа")
        raise RuntimeError("boom")

    @probe.route("/probe/no-db")
    def no_db():
        return "yes" if g.get("_db_session") is None else "no"

    app.register_blueprint(probe)
    app.seen_sessions = seen
    yield app
    database(app).dispose()


def _names(app) -> set[str]:
    with database(app).session_factory() as session:
        return set(session.scalars(select(Organization.name)))


def test_commit_rollback_and_close(session_app):
    client = session_app.test_client()
    assert client.get("/probe/commit").status_code == 200
    assert client.get("/probe/forget").status_code == 200
    assert client.get("/probe/fail").status_code == 500
    names = _names(session_app)
    assert "Сохранённая школа" in names
    assert "Забытая школа" not in names and "Сбойная школа" not in names
    assert len({id(s) for s in session_app.seen_sessions}) == 3  # a new session per request
    assert all(not s.in_transaction() for s in session_app.seen_sessions)


def test_no_session_is_opened_when_unused(session_app):
    assert session_app.test_client().get("/probe/no-db").text == "yes"
    with database(session_app).session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) >= 3


def test_every_session_carries_the_apps_domain(session_app):
    from engine.services.process.domain import domain_of
    from web.db import domain

    with session_app.app_context():
        assert domain_of(get_db()) is domain() is database(session_app).domain
        assert "sign_order" in domain().hooks.names()  # engine.bootstrap's table, built by create_app
