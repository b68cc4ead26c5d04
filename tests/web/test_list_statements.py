"""Every list page issues as many SQL statements for 25 rows as for 3 (the database filters, sorts and cuts the
page; nothing is fetched per row; the access log's entries, one per person shown, are not counted), and none reads a workflow's state, a BPMN text, a spec or an order's text
(tests/statements.py). A per-row query or an eager load dropped makes these fail."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.factories import make_person, make_role
from tests.statements import counted_statements, heavy_columns_read
from tests.web.conftest import login, password_hash
from tests.web.list_rows import add_incidents, add_notifications, add_programs
from web.db import database

FEW, MANY = 3, 25


def counted(app, client, url: str):
    with counted_statements(database(app).engine) as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return statements


def assert_constant(app, client, db_session_factory, seed, url: str, *, people: dict | None = None,
                    rows: Callable[..., None] = add_programs) -> None:
    """``url`` costs the same statements with FEW and with MANY rows made by ``rows`` (programs by default), and
    reads no heavy column."""
    counts = []
    for more in (FEW, MANY - FEW):
        session = db_session_factory()
        try:
            rows(session, session.merge(seed.org), more, **{
                k: session.merge(v) for k, v in (people or {}).items()})
        finally:
            session.close()
        statements = counted(app, client, url)
        assert not heavy_columns_read(statements), heavy_columns_read(statements)
        counts.append(statements.without_access_log())
    few, many = counts
    assert len(few) == len(many), f"{url}: {len(few)} statements for {FEW} programs, {len(many)} for {MANY}:\n" \
                                  f"{many.show()}"


@pytest.mark.parametrize("url", ["/inbox", "/inbox?q=Иванова+отчёт&overdue=1", "/inbox?page=2&model=tomsk_new_head",
                                 "/inbox?stage=diagnosis&school=1"])
def test_the_inbox(app, client, db_session_factory, seed, url):
    app.config["INBOX_PAGE_SIZE"] = 10
    login(client, "curator")
    assert_constant(app, client, db_session_factory, seed, url)


@pytest.mark.parametrize(("url", "login_name"), [
    ("/registries/mentors", "curator"), ("/registries/mentors?page=2", "curator"),
    ("/registries/mentees", "curator"), ("/registries/mentees?page=3", "curator"),
    ("/registries/pairs", "curator"), ("/registries/pairs?q=Иванова", "curator"),
    ("/registries/programs", "curator"), ("/registries/programs?page=2", "curator"), ("/registries", "curator"),
    ("/orders", "head"), ("/orders?tab=decided", "head"), ("/methodology", "methodologist"),
    ("/calendar", "curator"), ("/calendar", "head"),
    ("/monitoring", "curator"), ("/monitoring", "head"), ("/decisions", "head"),
])
def test_lists(app, client, db_session_factory, seed, url, login_name):
    login_as = login_name
    login(client, login_as)
    assert_constant(app, client, db_session_factory, seed, url)


@pytest.mark.parametrize(("url", "login_name", "role"), [
    ("/my", "mentor", "mentor"), ("/my", "mentee", "mentee"),
    ("/calendar", "mentor", "mentor"), ("/calendar", "mentee", "mentee"),
])
def test_participants_lists(app, client, db_session_factory, seed, url, login_name, role):
    """The mentor's and the mentee's own lists grow with every program they take part in."""
    login(client, login_name)
    assert_constant(app, client, db_session_factory, seed, url, people={role: seed.people[login_name]})


@pytest.mark.parametrize(("url", "login_name", "rows"), [
    ("/notifications", "curator", add_notifications), ("/notifications", "mentor", add_notifications),
    ("/incidents", "curator", add_incidents),
])
def test_lists_of_other_rows(app, client, db_session_factory, seed, url, login_name, rows):
    """The bell's list grows with the person's notifications, the incidents' with failed jobs."""
    login(client, login_name)
    people = {"person": seed.people[login_name]} if rows is add_notifications else {}
    assert_constant(app, client, db_session_factory, seed, url, rows=rows, people=people)


@pytest.mark.parametrize("url", ["/admin/people", "/admin/people?state=all&q=а"])
def test_the_administrators_people(app, client, db_session_factory, seed, url):
    """The people of the administered organizations (a teacher per program's school and pair) grow with the
    programs; the page shows 25 at a time."""
    session = db_session_factory()
    try:
        make_role(session, make_person(session, login="admin", full_name="Администратор Департамента",
                                       password_hash=password_hash(), organization_id=seed.org.id),
                  session.merge(seed.org), "admin")
        session.commit()
    finally:
        session.close()
    login(client, "admin")
    assert_constant(app, client, db_session_factory, seed, url)
