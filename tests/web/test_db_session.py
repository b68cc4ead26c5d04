"""One database session per request: what a view does not commit is rolled back, errors roll back."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Blueprint, g
from sqlalchemy import event, func, select, text
from sqlalchemy.pool import NullPool

from engine.db import make_engine
from engine.db.models import AuditEntry, Organization
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import login, make_test_app
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

    @probe.route("/probe/no-db-of-its-own")
    def no_db_of_its_own():
        return "ok"

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


def test_one_connection_per_request_and_none_for_a_static_file(session_app):
    """The request's session opens on first use: a page's first use is the check of the deployed rule and pack
    versions (web.deployed, one SELECT), so a view that reads nothing itself still takes one connection, and
    only one; a static file takes none."""
    checkouts, statements = [], []
    event.listen(database(session_app).engine, "checkout", lambda *_args: checkouts.append(1))
    event.listen(database(session_app).engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_args: statements.append(statement))
    client = session_app.test_client()
    assert client.get("/static/app.css").status_code == 200
    assert checkouts == [] and statements == []
    assert client.get("/probe/no-db-of-its-own").text == "ok"
    assert len(checkouts) == 1
    assert len(statements) == 1 and "rule_file_versions" in statements[0] and "regulation_pack_versions" in \
        statements[0]  # rule files and packs in one SELECT
    assert client.get("/probe/no-db").text == "no"  # the view finds the request's session already open
    with database(session_app).session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) >= 3


def test_every_session_carries_the_apps_domain(session_app):
    from engine.services.process.domain import domain_of
    from web.db import domain

    with session_app.app_context():
        assert domain_of(get_db()) is domain() is database(session_app).domain
        assert "sign_order" in domain().hooks.names()  # engine.bootstrap's table, built by create_app


# --- a connection the database drops (PostgreSQL: pg_terminate_backend from another connection) -----------

POSTGRES = pytest.mark.parametrize("db_backend", ["postgres"])


class BackendKiller:
    """Terminates the app's database connection from another connection — as a database restart or a
    failover does — when the request runs its ``at``-th statement (or one mentioning ``table``)."""

    def __init__(self, app, admin_url: str) -> None:
        self.admin = make_engine(admin_url, poolclass=NullPool)
        self.armed = 0  # how many more requests' connections to kill
        self.at, self.table, self.seen, self.kills = 1, None, 0, 0
        self.pids: set[int] = set()
        event.listen(database(app).engine, "before_cursor_execute", self._statement)

    def arm(self, times: int = 1, *, at: int = 1, table: str | None = None) -> None:
        self.armed, self.at, self.table, self.seen = times, at, table, 0

    def _statement(self, conn, _cursor, statement, *_args) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        self.pids.add(pid)
        if not self.armed or (self.table and f"FROM {self.table}" not in statement):
            return
        self.seen += 1
        if self.seen == self.at:
            self.kill(pid)
            self.armed -= 1
            self.seen = 0

    def kill(self, *pids: int) -> None:
        with self.admin.connect() as admin:
            for pid in pids:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(100):  # until the backends are gone
                alive = admin.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(:pids)"),
                                     {"pids": list(pids)})
                if not alive:
                    break
                time.sleep(0.05)
        self.kills += len(pids)


@pytest.fixture
def killer_app(db_url, db_engine, seed):
    app = make_test_app(db_url, PROPAGATE_EXCEPTIONS=False)
    killer = BackendKiller(app, db_url)
    yield app, killer
    killer.admin.dispose()
    database(app).dispose()


@POSTGRES
def test_a_page_whose_connection_is_killed_mid_request_is_shown_all_the_same(killer_app):
    app, killer = killer_app
    client = app.test_client()
    login(client, "curator")
    assert client.get("/inbox").status_code == 200
    killer.arm(table="open_tasks")  # in the middle of the view: the user is loaded, the inbox is being read
    page = client.get("/inbox")
    assert killer.kills == 1
    assert page.status_code == 200 and "Согласовать наставническую пару" in page.text
    killer.kill(*killer.pids)  # every pooled connection, between two requests
    again = client.get("/inbox")
    assert again.status_code == 200 and "Согласовать наставническую пару" in again.text


@POSTGRES
def test_a_login_whose_connection_is_killed_before_it_committed_goes_through_once(killer_app, seed):
    app, killer = killer_app
    client = app.test_client()
    killer.arm(table="persons")  # the login reads the person, then commits the audit entry
    response = login(client, "curator")
    assert killer.kills == 1
    assert response.status_code == 302 and client.get("/inbox").status_code == 200
    with database(app).session_factory() as session:
        logins = session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == seed.people["curator"].id,
                                                                 AuditEntry.action == "auth.login")).all()
    assert logins == ["auth.login"]  # run again, not twice


@POSTGRES
def test_a_connection_lost_twice_gets_a_russian_503_on_pages_and_in_the_api(killer_app, seed, db_session_factory):
    app, killer = killer_app
    client = app.test_client()
    login(client, "curator")
    killer.arm(2, table="open_tasks")
    page = client.get("/inbox")
    assert killer.kills == 2
    assert page.status_code == 503 and "Связь с базой данных прервалась" in page.text and "Traceback" not in page.text
    with db_session_factory() as session:
        token = api_tokens.issue(session, SYSTEM, seed.people["curator"].id, "журнал", timedelta(days=1)).token
        session.commit()
    killer.arm(2, table="api_tokens")
    api = client.get("/api/v1/programs", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and "Связь с базой данных прервалась" in api.get_json()["message"]
    assert client.get("/inbox").status_code == 200  # and then it works again


@POSTGRES
def test_a_form_whose_connection_is_lost_after_it_committed_is_not_run_twice(db_url, db_engine, seed):
    app = make_test_app(db_url, PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)
    probe = Blueprint("reconnect_probe", __name__)

    @probe.route("/probe/add-school", methods=["POST"])
    def add_school():
        session = get_db()
        session.add(Organization(kind="school", regulation="tomsk", name="Школа после обрыва"))
        session.commit()
        return str(session.scalar(select(func.count()).select_from(Organization)))  # a read after the commit

    app.register_blueprint(probe)
    killer = BackendKiller(app, db_url)
    try:
        killer.arm(table="organizations")
        response = app.test_client().post("/probe/add-school")
        assert killer.kills == 1
        assert response.status_code == 503 and "проверьте, сохранилось ли действие" in response.text
        with database(app).session_factory() as session:
            added = session.scalars(select(Organization).where(Organization.name == "Школа после обрыва")).all()
        assert len(added) == 1  # committed once, not run again
    finally:
        killer.admin.dispose()
        database(app).dispose()
