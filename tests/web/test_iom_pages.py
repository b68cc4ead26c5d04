"""The ИОМ pages (002 §4.2.2) in Russian: the curator of the college opens a route for a teacher with a tutor; the
teacher sees the step it waits for and records it; a step posted out of order is refused on the page (422) in
Russian; another teacher gets 403; the tutor closes the yearly review the worker opened; the curator attaches the
teacher's program, and the list shows the route."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.db.models import IomRoute
from engine.services.iom.reviews import open_due_reviews
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import app_on_clock, csrf_token, login, password_hash

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def build_world(session) -> tuple[PackWorld, dict]:
    world = PackWorld(session, "college", datetime(2025, 9, 16, 9, tzinfo=UTC), kind="college",
                      name="КГБПОУ «Бийский техникум лесного хозяйства»", short_name="БТЛХ")
    world.curator.password_hash = world.head.password_hash = password_hash()
    people = {
        "mentor": world.person("Лесникова Анна Ивановна", "mentor", position="преподаватель",
                               participant_kind="pedagogue", password_hash=password_hash()),
        "teacher": world.person("Кедров Павел Андреевич", "mentee", position="преподаватель",
                                participant_kind="pedagogue", password_hash=password_hash()),
        "other": world.person("Пихтова Мария Олеговна", "mentee", position="преподаватель",
                              participant_kind="pedagogue", password_hash=password_hash()),
    }
    session.commit()
    return world, people


@pytest.fixture
def world(db_session_factory):
    session = db_session_factory()
    yield build_world(session)
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, world):
    with app_on_clock(db_url, world[0].clock) as application:
        yield application


@BOTH
def test_the_route_in_the_browser_from_opening_to_the_yearly_review(app, world):
    world, p = world

    def signed_in(person):
        client = app.test_client()
        login(client, person.login)
        return client

    client = signed_in(world.curator)
    index = client.get("/iom")
    assert index.status_code == 200 and "Открыть маршрут педагогу" in index.text and "002 §4.2.2" in index.text
    org = world.organization.id
    opened = client.post(f"/iom/open/{org}", data={"csrf_token": csrf_token(index.text), f"o{org}-teacher_id":
                                                  p["teacher"].id, f"o{org}-tutor_id": p["mentor"].id,
                                                  f"o{org}-years": "5"})
    assert opened.status_code == 302
    route = world.session.scalars(select(IomRoute)).one()
    again = client.post(f"/iom/open/{org}", data={"csrf_token": csrf_token(index.text), f"o{org}-teacher_id":
                                                 p["teacher"].id, f"o{org}-tutor_id": 0, f"o{org}-years": "4"})
    assert again.status_code == 409 and "уже есть незавершённый ИОМ" in again.text

    client = signed_in(p["teacher"])
    page = client.get(f"/iom/{route.id}")
    assert page.status_code == 200 and "Шаг 1. Самоопределение (саморефлексия) педагога" in page.text
    assert "Тьютор ЦНППМ: Лесникова Анна Ивановна" in page.text
    token = csrf_token(page.text)
    early = client.post(f"/iom/{route.id}/steps/3", data={"csrf_token": token, "methods": "Мало активных методов"})
    assert early.status_code == 422 and "не по порядку: сначала шаг 1" in early.text
    empty = client.post(f"/iom/{route.id}/steps/1", data={"csrf_token": token, "image": " "})
    assert empty.status_code == 422 and "заполните поле" in empty.text
    done = client.post(f"/iom/{route.id}/steps/1", data={"csrf_token": token, "image": "Преподаватель-исследователь"})
    assert done.status_code == 302
    page = client.get(f"/iom/{route.id}")
    assert "Преподаватель-исследователь" in page.text and 'data-waiting="2"' in page.text
    assert f"ИОМ № {route.id}" in client.get("/iom").text
    assert signed_in(p["other"]).get(f"/iom/{route.id}").status_code == 403

    world.advance_to(date(2026, 9, 16))
    assert len(open_due_reviews(world.session, world.clock.now())) == 1
    world.session.commit()
    client = signed_in(p["mentor"])
    page = client.get(f"/iom/{route.id}")
    assert "Пересмотр за 1-й год открыт 16.09.2026" in page.text
    token = csrf_token(page.text)
    blank = client.post(f"/iom/{route.id}/reviews/1", data={"csrf_token": token, "conclusion": ""})
    assert blank.status_code == 422 and "напишите вывод" in blank.text
    closed = client.post(f"/iom/{route.id}/reviews/1", data={"csrf_token": token, "conclusion": "Курс пройден",
                                                            "corrections": "Добавить конкурс"})
    assert closed.status_code == 302
    assert 'data-review-done="1"' in client.get(f"/iom/{route.id}").text

    # the curator attaches the teacher's program; the program's page links to the route
    world.appoint(p["mentor"])
    world.register(p["teacher"], "young_specialist")
    [program] = world.pair(p["mentor"], [p["teacher"]], "teacher_teacher")
    client = signed_in(world.curator)
    page = client.get(f"/iom/{route.id}")
    assert f"Программа № {program.id}" in page.text
    attached = client.post(f"/iom/{route.id}/programs", data={"csrf_token": csrf_token(page.text),
                                                             "program_id": str(program.id), "note": "Активные методы"})
    assert attached.status_code == 302
    twice = client.post(f"/iom/{route.id}/programs", data={"csrf_token": csrf_token(page.text),
                                                          "program_id": str(program.id)})
    assert twice.status_code == 409 and "уже прикреплена" in twice.text
    shown = client.get(f"/programs/{program.id}").text
    assert f'data-iom="{route.id}"' in shown and "Часть индивидуального образовательного маршрута" in shown
