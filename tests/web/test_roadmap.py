"""The roadmap year pages (004 п. 4.3, прил. 2) through the app: the school's curator and director see the year's
events by stage with due dates, who marks them, status and evidence; the curator submits the January interim
analysis (п. 7.2: refused in Russian without its text), the director records measures on the overdue п. 1.3; staff
of other organizations get 403. Runs on SQLite and PostgreSQL, the app on the world's clock."""
from __future__ import annotations

import re

import pytest

from engine.db.models import RoadmapYear
from engine.workflow import FixedClock
from tests.web.conftest import csrf_token, login, make_test_app
from tests.web.roadmap_world import PAGE_NOW, RoadmapWorld, build_roadmap_world
from web.db import database


@pytest.fixture
def world(db_session_factory, seed) -> RoadmapWorld:
    session = db_session_factory()
    try:
        return build_roadmap_world(session)
    finally:
        session.close()


@pytest.fixture
def app(db_url, db_engine, world):
    application = make_test_app(db_url, DOMAIN_CLOCK=FixedClock(PAGE_NOW))
    yield application
    database(application).dispose()


def _row(html: str, key: str) -> str:
    anchor = "item-" + key.replace(".", "_").replace("#", "-")
    found = re.search(rf'<tr [^>]*id="{anchor}".*?</tr>', html, re.S)
    assert found, key
    return found.group(0)


def test_the_curator_sees_the_year_and_submits_the_january_analysis(client, world, db_session):
    login(client, world.curator_login)
    index = client.get("/roadmap/").text
    assert "МОБУ «Средняя общеобразовательная школа № 7» г. Якутска" in index
    assert "2025/2026 учебный год" in index and "2026/2027" in index  # the next year may be started
    page = client.get(f"/roadmap/{world.year_id}")
    assert page.status_code == 200
    html = page.text
    assert "Дорожная карта: 2025/2026 учебный год" in html and "Дорожная карта года" in html  # the section
    overdue = _row(html, "1.3")
    assert "просрочено" in overdue and "до 30.09.2025" in overdue and "передано руководителю 01.10.2025" in overdue
    director = _row(html, "1.2")
    assert "Директор школы" in director and "отмечает: руководитель" in director and "выполнено" in director
    assert "Протокол совещания при директоре № 3 от 20.10.2025" in director
    assert "по мере реализации" in _row(html, "9.1").lower() and "без срока" in _row(html, "9.1")
    assert "2-й срок" in _row(html, "5.1#2") and "до 31.03.2026" in _row(html, "5.1#2")
    assert "Форма откроется 01.05.2026" in html  # the May completion (п. 8.1)

    url = f"/roadmap/{world.year_id}/roadmap_interim_analysis?key=7.2"
    prefix = "roadmap_interim_analysis-item-7_2-"
    refused = client.post(url, data={"csrf_token": csrf_token(html), prefix + "pairs_working": "4",
                                     prefix + "state": ""})
    assert refused.status_code == 422 and "Опишите состояние реализации модели" in refused.text
    done = client.post(url, data={"csrf_token": csrf_token(html), prefix + "pairs_working": "4",
                                  prefix + "state": "Работают четыре пары, программы выполняются",
                                  prefix + "corrections": "Добавить взаимопосещение уроков"})
    assert done.status_code == 302 and done.headers["Location"].endswith("#step-7_2")
    after = client.get(f"/roadmap/{world.year_id}").text
    assert "Сохранено: промежуточный анализ." in after and "Работают четыре пары" in after
    year = db_session.get(RoadmapYear, world.year_id)
    assert next(i for i in year.items if i.key == "7.2").report["pairs_working"] == 4


def test_the_director_records_measures_and_the_curator_may_not_mark_his_events(client, world):
    login(client, world.curator_login)
    html = client.get(f"/roadmap/{world.year_id}").text
    assert "Принять меры по просрочке" not in html  # the director's
    token = csrf_token(html)
    refused = client.post(f"/roadmap/{world.year_id}/roadmap_overdue?key=1.3",
                          data={"csrf_token": token, "roadmap_overdue-item-1_3-measures": "x"})
    assert refused.status_code == 403 and "меры по «Определение форматов наставничества» (1.3) принимает " \
        "руководитель организации" in refused.text
    client.post("/logout", data={"csrf_token": token})
    login(client, world.director_login)
    html = client.get(f"/roadmap/{world.year_id}").text
    assert "Принять меры по просрочке" in html
    saved = client.post(f"/roadmap/{world.year_id}/roadmap_overdue?key=1.3",
                        data={"csrf_token": csrf_token(html),
                              "roadmap_overdue-item-1_3-measures": "Форматы утвердить до 25 января"})
    assert saved.status_code == 302
    assert "Меры руководителя: Форматы утвердить до 25 января" in _row(client.get(f"/roadmap/{world.year_id}").text, "1.3")


def test_other_organizations_staff_get_403(client, world):
    login(client, "curator")  # the Tomsk department's curator (tests/web/conftest.py)
    assert client.get(f"/roadmap/{world.year_id}").status_code == 403
    listed = client.get("/roadmap/").text
    assert "Для ваших организаций положение не задаёт дорожной карты на учебный год." in listed
    mentor = client.application.test_client()
    login(mentor, "mentor")
    assert mentor.get("/roadmap/").status_code == 403
