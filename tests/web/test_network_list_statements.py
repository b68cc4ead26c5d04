"""The network centre's page (its mentors by direction, the trainees waiting for a group) and the network hub cost
as many SQL statements with 25 trainees as with 3 (tests/statements.py; the access log's entries, one per person
shown, not counted), and read no workflow state, BPMN or spec."""
from __future__ import annotations

from datetime import date

import pytest

from tests.engine.services.network.centre_world import LITERACY, on
from tests.statements import counted_statements, heavy_columns_read
from tests.web.centre_logins import centre_with_logins
from tests.web.conftest import login, make_test_app
from web.db import database

FEW, MANY = 3, 25


@pytest.fixture
def world(db_session):
    world = centre_with_logins(db_session)
    world.at(on(date(2025, 10, 1)))
    return world


@pytest.fixture
def app(db_url, db_engine, world):
    app = make_test_app(db_url, DOMAIN_CLOCK=world.clock)
    yield app
    database(app).dispose()


def _trainees(world, start: int, count: int) -> None:
    for n in range(start, start + count):
        world.add_person(f"trainee{n}", f"Стажёрова Айыына № {n}", n % 3)
        world.session.commit()
        world.register(f"trainee{n}", "new_in_post", LITERACY)


@pytest.mark.parametrize("page", ["centre", "hub"])
def test_the_centre_and_the_hub(app, world, page):
    client = app.test_client()
    login(client, "specialist")
    url = f"/network/centre/{world.department.id}" if page == "centre" else "/network"
    counts = []
    for start, more in ((0, FEW), (FEW, MANY - FEW)):
        _trainees(world, start, more)
        with counted_statements(database(app).engine) as statements:
            response = client.get(url)
        assert response.status_code == 200, response.text[:300]
        assert not heavy_columns_read(statements), heavy_columns_read(statements)
        counts.append(statements.without_access_log())
    assert f"Стажёрова Айыына № {MANY - 1}" in response.text or page == "hub"
    few, many = counts
    assert len(few) == len(many), f"{url}: {len(few)} statements for {FEW} trainees, {len(many)} for {MANY}:\n" \
                                  f"{many.show()}"
