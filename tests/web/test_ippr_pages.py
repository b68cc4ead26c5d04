"""The ИППР pages (000 §2.2) in Russian: the curator (the mentor-head) of МКОУ ВСОШ № 8 opens a plan for a teacher
with a mentor of the management team; the teacher adds items to the sections on the plan's page, a wrong term is
refused on the page (422) naming the section; the mentor agrees, the head approves (000 §4.3); the teacher marks the
item done and the mentor closes the year; another teacher gets 403; the navigation shows «ИППР» to whom it concerns;
the plan downloads as DOCX."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from engine.db.models import DevelopmentPlan
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import app_on_clock, csrf_token, login, password_hash

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def build_world(session) -> tuple[PackWorld, dict]:
    world = PackWorld(session, "vsosh", datetime(2025, 9, 16, 9, tzinfo=UTC), name="МКОУ ВСОШ № 8 г. Томска",
                      short_name="ВСОШ № 8")
    world.curator.password_hash = world.head.password_hash = password_hash()
    people = {
        "mentor": world.person("Кедрова Анна Ивановна", "mentor", position="учитель истории",
                               participant_kind="pedagogue", password_hash=password_hash()),
        "teacher": world.person("Липин Павел Андреевич", "mentor", position="учитель физики",
                                participant_kind="pedagogue", password_hash=password_hash()),
        "other": world.person("Соснина Вера Олеговна", "mentor", position="учитель химии",
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
def test_the_plan_in_the_browser_from_opening_to_the_year_s_results(app, world):
    world, p = world

    def signed_in(person):
        client = app.test_client()
        login(client, person.login)
        return client

    curator, teacher, mentor = signed_in(world.curator), signed_in(p["teacher"]), signed_in(p["mentor"])
    assert 'href="/ippr"' not in teacher.get("/ippr").text  # no plan yet: the menu does not offer the section
    index = curator.get("/ippr")
    assert index.status_code == 200 and "Открыть ИППР педагогу: МКОУ ВСОШ № 8 г. Томска" in index.text
    assert "000 §2.2" in index.text and 'href="/ippr"' in index.text
    org = world.organization.id
    opened = curator.post(f"/ippr/open/{org}", data={"csrf_token": csrf_token(index.text), "teacher_id": p["teacher"].id,
                                                     "mentor_id": p["mentor"].id, "academic_year": "2025"})
    assert opened.status_code == 302
    plan = world.session.scalars(select(DevelopmentPlan)).one()
    again = curator.post(f"/ippr/open/{org}", data={"csrf_token": csrf_token(index.text), "teacher_id": p["teacher"].id,
                                                    "mentor_id": p["other"].id, "academic_year": "2025"})
    assert again.status_code == 409 and "уже есть ИППР" in again.text

    page = teacher.get(f"/ippr/{plan.id}")
    assert page.status_code == 200 and "1. Самообразование" in page.text and "8. Конкурсная деятельность" in page.text
    assert 'href="/ippr"' in page.text
    token = csrf_token(page.text)
    wrong = teacher.post(f"/ippr/{plan.id}/items", data={"csrf_token": token, "section": "self_education",
                                                          "what": "Курс", "due_on": "2026-09-15",
                                                          "expected_result": "Удостоверение"})
    assert wrong.status_code == 422 and "Раздел «Самообразование»: срок 15.09.2026 — вне учебного года" in wrong.text
    added = teacher.post(f"/ippr/{plan.id}/items", data={"csrf_token": token, "section": "self_education",
                                                          "what": "Изучить технологию смыслового чтения",
                                                          "due_on": "2025-12-20", "expected_result": "Открытый урок"})
    assert added.status_code == 302
    assert signed_in(p["other"]).get(f"/ippr/{plan.id}").status_code == 403
    assert teacher.post(f"/ippr/{plan.id}/agree", data={"csrf_token": token}).status_code == 403
    mentor_token = csrf_token(mentor.get(f"/ippr/{plan.id}").text)
    assert mentor.post(f"/ippr/{plan.id}/agree", data={"csrf_token": mentor_token}).status_code == 302
    head = signed_in(world.head)
    shown = head.get(f"/ippr/{plan.id}")
    assert "Утвердить план" in shown.text and "согласован наставником" in shown.text
    assert head.post(f"/ippr/{plan.id}/approve", data={"csrf_token": csrf_token(shown.text)}).status_code == 302
    world.session.refresh(plan)
    [item] = plan.items
    marked = teacher.post(f"/ippr/{plan.id}/items/{item.id}/mark", data={"csrf_token": token, "outcome": "done",
                                                                          "result": "Урок проведён 18.12.2025"})
    assert marked.status_code == 302
    refused = mentor.post(f"/ippr/{plan.id}/close", data={"csrf_token": mentor_token, "conclusion": ""})
    assert refused.status_code == 422 and "Итоги года: заполните поле" in refused.text
    assert mentor.post(f"/ippr/{plan.id}/close", data={"csrf_token": mentor_token,
                                                       "conclusion": "План выполнен"}).status_code == 302
    closed = teacher.get(f"/ippr/{plan.id}")
    assert "итоги года подведены" in closed.text and "Выполнено</span>: Урок проведён 18.12.2025" in closed.text
    document = teacher.get(f"/ippr/{plan.id}/document.docx")
    assert document.status_code == 200 and document.data.startswith(b"PK")
    assert f"ИППР № {plan.id}" in curator.get("/ippr").text
