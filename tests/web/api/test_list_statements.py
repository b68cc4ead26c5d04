"""Every list of the JSON API issues as many SQL statements for 25 programs as for 3 (the database counts and
cuts the page; nothing is fetched per row) and reads no workflow state, BPMN, spec or order text
(tests/statements.py)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from engine.db.models import Person
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.factories import make_person, make_role
from tests.statements import counted_statements, heavy_columns_read
from tests.web.list_rows import add_awaiting_orders, add_incidents, add_notifications, add_programs
from web.db import database

FEW, MANY = 3, 25


def token(db_session_factory, person_id: int) -> str:
    session = db_session_factory()
    try:
        issued = api_tokens.issue(session, SYSTEM, person_id, "тест", timedelta(days=1)).token
        session.commit()
        return issued
    finally:
        session.close()


def assert_constant(app, db_session_factory, seed, url: str, login: str, *, participant: bool = False,
                    rows: Callable[..., None] = add_programs, person: Person | None = None,
                    grows: bool = True) -> None:
    """``url`` costs the same statements with FEW and with MANY rows made by ``rows`` (programs by default), its
    answer grows, and no statement reads a heavy column. ``person``: the token's owner instead of the seeded
    ``login``; ``participant``: the owner takes part in every program (as ``login``, a role name)."""
    client = app.test_client()
    owner = person or seed.people[login]
    headers = {"Authorization": f"Bearer {token(db_session_factory, owner.id)}"}
    client.get(url, headers=headers)  # the token's first use is written down (at most once a minute)
    counts, sizes = [], []
    for more in (FEW, MANY - FEW):
        session = db_session_factory()
        try:
            people = {login: session.merge(owner)} if participant else {}
            if rows is add_notifications:
                people = {"person": session.merge(owner)}
            rows(session, session.merge(seed.org), more, **people)
        finally:
            session.close()
        with counted_statements(database(app).engine) as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_json()
        assert not heavy_columns_read(statements), heavy_columns_read(statements)
        counts.append(statements.without_access_log())
        sizes.append(len(response.get_json()))
    few, many = counts
    full_page = int(parse_qs(urlsplit(url).query).get("page_size", ["0"])[0])
    assert sizes[1] > sizes[0] or sizes[0] == full_page or not grows, f"{url}: the list did not grow ({sizes})"
    assert len(few) == len(many), f"{url}: {len(few)} statements for {FEW} programs, {len(many)} for {MANY}:\n" \
                                  f"{many.show()}"


@pytest.mark.parametrize(("url", "login"), [
    ("/api/v1/programs?page_size=10", "curator"),
    ("/api/v1/programs?page=2&page_size=2", "curator"),
    ("/api/v1/tasks?page_size=10", "curator"),
])
def test_staff_lists(app, db_session_factory, seed, url, login):
    assert_constant(app, db_session_factory, seed, url, login)


@pytest.mark.parametrize(("url", "login", "role"), [
    ("/api/v1/programs?page_size=10", "mentor", "mentor"),
    ("/api/v1/tasks?page_size=10", "mentor", "mentor"),
    ("/api/v1/programs?page_size=10", "mentee", "mentee"),
])
def test_participants_lists(app, db_session_factory, seed, url, login, role):
    assert_constant(app, db_session_factory, seed, url, login, participant=True)


@pytest.mark.parametrize(("url", "login", "rows"), [
    ("/api/v1/pairs?page_size=10", "curator", add_programs),
    ("/api/v1/people?page_size=10", "curator", add_programs),
    ("/api/v1/people?page=2&page_size=5&q=а", "head", add_programs),
    ("/api/v1/orders?page_size=10", "head", add_programs),
    ("/api/v1/orders?page_size=10&awaiting_signature=true", "head", add_awaiting_orders),
    ("/api/v1/orders?page=2&page_size=5&awaiting_signature=true", "head", add_awaiting_orders),
    ("/api/v1/notifications?page_size=10", "curator", add_notifications),
    ("/api/v1/notifications?page_size=10&unread=true", "mentor", add_notifications),
    ("/api/v1/incidents?page_size=10", "curator", add_incidents),
])
def test_more_lists(app, db_session_factory, seed, url, login, rows):
    assert_constant(app, db_session_factory, seed, url, login, rows=rows)


def administrator(db_session_factory, seed) -> Person:
    session = db_session_factory()
    try:
        person = make_person(session, login="admin", full_name="Администратор Департамента",
                             organization_id=seed.org.id)
        make_role(session, person, session.merge(seed.org), "admin")
        session.commit()
        session.expunge(person)
        return person
    finally:
        session.close()


@pytest.mark.parametrize("url", ["/api/v1/people?page_size=10", "/api/v1/people?page=2&page_size=5&state=all",
                                 "/api/v1/organizations"])
def test_the_administrators_lists(app, db_session_factory, seed, url):
    assert_constant(app, db_session_factory, seed, url, "admin", person=administrator(db_session_factory, seed))


def test_the_rulesets(app, db_session_factory, seed):
    """The rulesets in work come from the deployed rule files (their registry is kept per process): what the
    department holds does not change what listing them costs, and no rule file's text is read."""
    assert_constant(app, db_session_factory, seed, "/api/v1/rules", "mentor", grows=False)
