"""The network mentoring pages through the test client (SQLite and PostgreSQL), on a Yakutsk world built by
factories and services with the app's domain on a fixed clock: the specialist enters a trainee and forms a
group by direction (004 I.3, III.4), a refusal shown on the page in Russian (004 II.2); the mentor's work plan,
a trainee's plan returned and agreed (004 III.5, IV.1); the trainee's self-diagnosis (004 III.3); the review
refused before the year's end and written after it (004 IV.1); the year's report and its CSV (004 III.8);
the pack's role labels (004: «Стажёр», «Сетевой наставник») on the pages and on the start page; who may not."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import NetworkGroup, NetworkMember
from engine.services.people.role_labels import labels_of
from tests.engine.services.network.centre_world import LITERACY, UPBRINGING, on
from tests.web.centre_logins import centre_with_logins
from tests.web.conftest import csrf_token, login, make_test_app
from web.db import database
from web.filters import role_label

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


@pytest.fixture
def world(db_session):
    world = centre_with_logins(db_session)
    world.appoint("nikolaev", UPBRINGING)
    world.register("popov", "teacher_with_difficulties", LITERACY)
    world.register("kim", "new_in_post", UPBRINGING, diagnosis="monitoring")
    world.at(on(date(2025, 10, 1)))
    return world


@pytest.fixture
def client(db_url, db_engine, world):
    app = make_test_app(db_url, DOMAIN_CLOCK=world.clock)
    yield app.test_client()
    database(app).dispose()


def _post(client, path: str, data: dict, *, page: str | None = None):
    token = csrf_token(client.get(page or path).text)
    return client.post(path, data={"csrf_token": token, **data})


def _member(world, login_name: str) -> NetworkMember:
    world.session.expire_all()
    return world.session.scalars(select(NetworkMember).where(
        NetworkMember.person_id == world.person(login_name).id)).one()


@BOTH
def test_the_centre_enters_a_trainee_forms_a_group_and_the_year_runs_to_the_report(world, client):
    dept = world.department.id
    login(client, "specialist")
    home = client.get("/", follow_redirects=True).text
    assert "Сетевое наставничество" in home and "Мои программы" not in home
    centre = client.get(f"/network/centre/{dept}").text
    assert "Координационный центр сетевых наставников" in centre and "2025/2026 учебный год" in centre
    assert "Сетевой наставник — назначения на 2025/2026 учебный год" in centre  # the pack's label (004 II.1)

    # 004 I.3, III.3: a trainee entered with the category and the direction they need help in
    page = f"/network/centre/{dept}/trainees/new"
    assert "Педагог, впервые принятый по основному месту работы" in client.get(page).text
    response = _post(client, page, {"person_id": world.person("ivanova").id, "category": "newly_hired",
                                    "direction": "функциональная грамотность"})
    assert response.status_code == 302
    centre = client.get(f"/network/centre/{dept}").text
    assert "Иванова Туйаара Николаевна" in centre and "нет диагностики (004 III.3)" in centre

    # 004 III.4, II.2: a trainee of the other direction refused on the page, nothing formed
    ivanova, popov, kim = (world.person(p).id for p in ("ivanova", "popov", "kim"))
    refused = _post(client, f"/network/centre/{dept}/groups", {
        "direction": LITERACY, "prefix": "d0", "d0-mentor": world.person("sidorova").id, "d0-trainees": [popov, kim]},
        page=f"/network/centre/{dept}")
    assert refused.status_code == 422
    assert ("Ким Виктория Олеговна нуждается в помощи по направлению «Воспитательная работа», а сетевой наставник "
            "Сидорова Елена Петровна закреплён за направлением «Функциональная грамотность»: по нему работает "
            "Николаев Айсен Васильевич") in refused.text
    assert world.session.scalars(select(NetworkGroup)).all() == []
    formed = _post(client, f"/network/centre/{dept}/groups", {
        "direction": LITERACY, "prefix": "d1", "d1-mentor": world.person("sidorova").id, "d1-trainees": [popov]},
        page=f"/network/centre/{dept}")
    assert formed.status_code == 302
    group = world.session.scalars(select(NetworkGroup)).one()
    assert formed.headers["Location"].endswith(f"/network/groups/{group.id}")

    # the mentor: the list handed, the work plan (004 III.5), the trainee's plan returned then agreed (004 IV.1)
    client.post("/logout", data={"csrf_token": csrf_token(client.get(f"/network/groups/{group.id}").text)})
    login(client, "sidorova")
    hub = client.get("/", follow_redirects=True)
    assert hub.request.path == "/network" and f"Группа №{group.id}: {LITERACY}" in hub.text
    page = f"/network/groups/{group.id}"
    text = client.get(page).text
    assert "Индивидуальный план работы наставника со стажёрами (004 III.5)" in text and "Стажёр" in text
    assert _post(client, f"{page}/plan", {"work_plan": "Октябрь — консультации; ноябрь — мастер-класс"},
                 page=page).status_code == 302
    assert "Октябрь — консультации" in client.get(page).text
    member = _member(world, "popov")
    client.post("/logout", data={"csrf_token": csrf_token(client.get(page).text)})
    login(client, "popov")
    mine = client.get("/network/me").text
    assert "Моё сетевое наставничество" in mine and "Сидорова Елена Петровна" in mine
    plan_page = f"/network/members/{member.id}"
    assert _post(client, f"{plan_page}/plan", {"goals": "Смысловое чтение", "actions": "Октябрь: консультация"},
                 page=plan_page).status_code == 302
    assert "план на согласовании" in client.get(plan_page).text
    client.post("/logout", data={"csrf_token": csrf_token(client.get(plan_page).text)})
    login(client, "sidorova")
    returned = _post(client, f"{plan_page}/decision", {"send_back": "1", "comment": ""}, page=plan_page)
    assert returned.status_code == 422 and "возвращая план, напишите стажёру, что доработать" in returned.text
    assert _post(client, f"{plan_page}/decision", {"send_back": "1", "comment": "Добавьте сроки"},
                 page=plan_page).status_code == 302
    early = _post(client, f"{plan_page}/review", {"plan_fulfilled": "yes", "fulfilment": "…", "readiness": "ready",
                                                  "business_qualities": "…"}, page=plan_page)
    assert early.status_code == 422 and "в конце учебного года (004 IV.1): с 01.05.2026" in early.text
    client.post("/logout", data={"csrf_token": csrf_token(client.get(plan_page).text)})
    login(client, "popov")
    text = client.get(plan_page).text
    assert "план возвращён на доработку" in text and "Добавьте сроки" in text
    _post(client, f"{plan_page}/plan", {"goals": "Смысловое чтение", "actions": "До 30.10: консультация"},
          page=plan_page)
    client.post("/logout", data={"csrf_token": csrf_token(client.get(plan_page).text)})
    login(client, "sidorova")
    _post(client, f"{plan_page}/decision", {"approve": "1", "comment": ""}, page=plan_page)
    assert report_state(world, "popov") == "agreed"

    # 004 III.6: work in the regulation's forms; 004 IV.1: the review when the year ends
    world.at(on(date(2025, 11, 20)))
    assert _post(client, f"{page}/records", {"form": "consultation", "held_on": "2025-10-20", "topic": "ИППР",
                                             "trainees": [popov]}, page=page).status_code == 302
    assert "Консультация" in client.get(page).text
    assert world.at(on(date(2026, 5, 1))) == 1
    assert _post(client, f"{plan_page}/review", {
        "plan_fulfilled": "yes", "fulfilment": "Выполнен полностью", "business_qualities": "Ответственен",
        "readiness": "ready", "activity_results": ""}, page=plan_page).status_code == 302
    assert "готов(а) к самостоятельному выполнению должностных обязанностей" in client.get(plan_page).text

    # 004 III.8: the year's report for the department's staff, and its CSV
    client.post("/logout", data={"csrf_token": csrf_token(client.get(plan_page).text)})
    login(client, "head")
    report = client.get(f"/network/centre/{dept}/report").text
    assert "Отчёт за 2025/2026 учебный год" in report and "100 %" in report and "Консультация: 1" in report
    assert "Иванова Туйаара Николаевна" in report  # waiting: no mentor took her yet
    exported = client.get(f"/network/centre/{dept}/report.csv?year=2025")
    assert exported.mimetype == "text/csv" and "Попов Артём Сергеевич" in exported.text
    assert client.get(f"/network/centre/{dept}/report?year=2024").status_code == 200


def report_state(world, login_name: str) -> str:
    from engine.services.network import report

    return report.plan_state(_member(world, login_name))


@SQLITE
def test_the_trainee_fills_the_self_diagnosis_and_sees_the_packs_labels(world, client):
    mentee = world.register("osipova", "teacher_with_difficulties", UPBRINGING, diagnosis=None)
    login(client, "osipova")
    hub = client.get("/", follow_redirects=True)
    assert hub.request.path == "/network" and "Стажёр: направление «Воспитательная работа»" in hub.text
    text = client.get("/network/me").text
    assert "Стажёр: направление «Воспитательная работа»" in text and "нет диагностики (004 III.3)" in text
    refused = client.post(f"/network/me/{mentee.id}/diagnosis", data={
        "csrf_token": csrf_token(text), f"m{mentee.id}-difficulties": "Планирование", f"m{mentee.id}-help_needed": "Да"})
    assert refused.status_code == 422 and "Выберите оценку от 1 до 5" in refused.text
    done = client.post(f"/network/me/{mentee.id}/diagnosis", data={
        "csrf_token": csrf_token(text), f"m{mentee.id}-difficulties": "Планирование воспитательной работы",
        f"m{mentee.id}-help_needed": "Консультации", f"m{mentee.id}-self_rating": "2"})
    assert done.status_code == 302
    assert "самооценка 2 из 5" in client.get("/network/me").text
    assert labels_of(world.session, world.department.id)["mentee"] == "Стажёр"
    with client.application.test_request_context():  # mid-sentence, as the start page and the orders say it
        assert role_label("mentee", world.department.id) == "стажёр"
        assert role_label("curator", world.department.id) == "специалист управления образования"
        assert role_label("mentee") == "наставляемый"


@SQLITE
def test_who_may_not(world, client):
    login(client, "popov")  # a trainee: not the centre's pages, not another's group
    assert client.get(f"/network/centre/{world.department.id}").status_code == 403
    assert client.get(f"/network/centre/{world.department.id}/trainees/new").status_code == 403
    assert client.get("/network/mentor").status_code == 403  # a trainee leads no group
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/network/me").text)})
    login(client, "sidorova")  # 004 III.7: the department controls the network mentors, not the other way round
    assert client.get(f"/network/centre/{world.department.id}/report").status_code == 403
    assert client.get("/network/members/999").status_code == 404
