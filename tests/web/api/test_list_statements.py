"""Every list of the JSON API issues as many SQL statements for 25 programs as for 3 (the database counts and
cuts the page; nothing is fetched per row) and reads no workflow state, BPMN, spec or order text
(tests/statements.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.statements import counted_statements, heavy_columns_read
from tests.web.list_rows import add_programs
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


def assert_constant(app, db_session_factory, seed, url: str, login: str, *, participant: bool = False) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token(db_session_factory, seed.people[login].id)}"}
    client.get(url, headers=headers)  # the token's first use is written down (at most once a minute)
    counts, sizes = [], []
    for more in (FEW, MANY - FEW):
        session = db_session_factory()
        try:
            people = {login: session.merge(seed.people[login])} if participant else {}
            add_programs(session, session.merge(seed.org), more, **people)
        finally:
            session.close()
        with counted_statements(database(app).engine) as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_json()
        assert not heavy_columns_read(statements), heavy_columns_read(statements)
        counts.append(statements)
        sizes.append(len(response.get_json()))
    few, many = counts
    assert sizes[1] > sizes[0] or sizes[0] >= 10, f"{url}: the list did not grow ({sizes})"
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
