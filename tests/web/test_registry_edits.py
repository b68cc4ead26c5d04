"""The curator edits her registries in the browser's forms (issue 12 part 5): a new head into the base of mentees
with the category explained, a refusal that stores nothing, a mentor candidate whose appointment starts, facts
corrected with the decisions re-evaluated old beside new."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.db.models import Decision, Mentee, Person, WorkflowInstance
from tests.web.conftest import csrf_token
from tests.web.curator_world import curator_app, curator_client, log_in, world  # noqa: F401

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def post(client, url: str, data: dict):
    token = csrf_token(client.get(url).text)
    return client.post(url, data={"csrf_token": token, **data})


def mentees_of(session, person_id: int) -> list[Mentee]:
    return list(session.scalars(select(Mentee).where(Mentee.person_id == person_id)))


@SQLITE
def test_a_new_head_enters_the_base_of_mentees_with_the_category_explained(curator_client, world, db_session_factory):
    assert 'href="/registries/mentees/new' in curator_client.get("/pairs/new").text  # the empty state leads here
    assert 'href="/registries/mentees/new"' in curator_client.get("/registries/mentees").text
    page = curator_client.get("/registries/mentees/new?q=новикова")
    assert page.status_code == 200 and "Новикова Мария Андреевна" in page.text and "найден 1 человек" in page.text
    assert "найдено 2 человека" in curator_client.get("/registries/mentees/new?q=дмитри").text  # Babel's plural
    assert "Орлова" not in curator_client.get("/registries/mentees/new?q=орлова").text  # already in a program
    assert "Категория наставляемого" not in page.text.split("<form class=\"card\"")[-1]  # the rules decide it

    response = post(curator_client, "/registries/mentees/new", {"organization_id": world.department_id,
                                                                 "person_id": world.ids["novikova"]})
    assert response.status_code == 302
    assert re.search(rf"/registries/people/{world.ids['novikova']}#mentee-\d+$", response.headers["Location"])
    card = curator_client.get(response.headers["Location"]).text
    assert "Вновь назначенный руководитель (003 §3.6.1)" in card and "ожидает пары" in card
    assert "в должности 4 месяца" in card or "в должности 4" in card  # the criterion's message
    assert "История решений по правилам" in card


@SQLITE
def test_a_refused_person_sees_every_criterion_and_nothing_is_stored(curator_client, world, db_session_factory):
    with db_session_factory() as session:
        person = Person(login="zaytsev", full_name="Зайцев Пётр Ильич", organization_id=world.schools["school8"],
                        is_head=True, months_as_head=100, efficiency_percent=90, school_low_results=False,
                        in_management_reserve=False)
        session.add(person)
        session.commit()
        person_id, decisions = person.id, session.scalar(select(func.count()).select_from(Decision))
    response = post(curator_client, "/registries/mentees/new", {"organization_id": world.department_id,
                                                                 "person_id": person_id})
    assert response.status_code == 422
    html = response.text
    assert "Не относится ни к одной категории наставляемых" in html and "Ничего не сохранено" in html
    assert html.count('class="criterion ') == 4 and "не относится" in html
    assert f'href="/registries/people/{person_id}/facts"' in html
    with db_session_factory() as session:
        assert mentees_of(session, person_id) == []
        assert session.scalar(select(func.count()).select_from(Decision)) == decisions

    empty = post(curator_client, "/registries/mentees/new", {"organization_id": world.department_id})
    assert empty.status_code == 422 and "Выберите человека из списка." in empty.text


@SQLITE
def test_a_mentor_candidate_starts_the_appointment(curator_client, world, db_session_factory):
    assert 'href="/registries/mentors/new"' in curator_client.get("/registries/mentors").text
    page = curator_client.get("/registries/mentors/new").text
    assert "Козлов Дмитрий Олегович" in page and "Волков Игорь Николаевич" not in page  # volkov is appointed
    refused = post(curator_client, "/registries/mentors/new", {"organization_id": world.department_id,
                                                                "person_id": world.ids["kozlov"]})
    assert refused.status_code == 302
    outcome = curator_client.get(refused.headers["Location"]).text
    assert "не соответствует требованиям" in outcome and "5 лет" in outcome and "приказ не готовится" in outcome

    proposed = post(curator_client, "/registries/mentors/new", {"organization_id": world.department_id,
                                                                 "person_id": world.ids["lebedev"]})
    outcome = curator_client.get(proposed.headers["Location"]).text
    assert "ждёт подписи руководителя" in outcome and "Подписать приказ о назначении наставника" in outcome
    with db_session_factory() as session:
        assert session.scalar(select(func.count()).select_from(WorkflowInstance).where(
            WorkflowInstance.kind == "mentor_appointment", WorkflowInstance.status == "running")) >= 3
    again = post(curator_client, "/registries/mentors/new", {"organization_id": world.department_id,
                                                              "person_id": world.ids["lebedev"]})
    assert again.status_code == 422 and "уже предложен(а) в наставники" in again.text


@SQLITE
def test_corrected_facts_show_the_decisions_old_and_new(curator_client, world, db_session_factory):
    url = f"/registries/people/{world.ids['fedorov']}/facts"
    form = curator_client.get(url).text
    assert "Сколько месяцев в должности руководителя" in form and 'name="efficiency_percent"' in form
    assert 'name="full_name"' not in form  # only the rule files' facts
    wrong = post(curator_client, url, {"efficiency_percent": "сто", "months_as_head": "3"})
    assert wrong.status_code == 422 and "не число" in wrong.text and 'value="сто"' in wrong.text

    fixed = post(curator_client, url, {"is_head": "да", "in_management_reserve": "нет", "months_as_head": "3",
                                       "efficiency_percent": "70"})
    assert fixed.status_code == 200
    html = fixed.text
    assert "Было" in html and "Стало" in html and "нет данных" not in html.split("Изменено")[0]
    assert ("в программе по категории «Педагог в резерве управленческих кадров», а по исправленным сведениям — "
            "«Вновь назначенный руководитель»") in html
    with db_session_factory() as session:
        [entry] = mentees_of(session, world.ids["fedorov"])
        assert entry.category == "reservist"  # in a program: not changed
    card = curator_client.get(f"/registries/people/{world.ids['fedorov']}").text
    assert "после исправления сведений" in card and f'href="{url}"' in card
    assert "«Вновь назначенный руководитель»; запись в базе — «Педагог в резерве управленческих кадров»" in card

    mentor = f"/registries/people/{world.ids['volkov']}"
    assert "больше не соответствует" not in curator_client.get(mentor).text
    html = post(curator_client, f"{mentor}/facts", {"years_as_head": "3"}).text
    assert "больше не соответствует требованиям к наставнику (003 §3.5)" in html
    assert "больше не соответствует требованиям к наставнику (003 §3.5) — по решению от" in curator_client.get(mentor).text


@SQLITE
def test_a_waiting_mentee_takes_the_new_category(curator_client, world, db_session_factory):
    post(curator_client, "/registries/mentees/new", {"organization_id": world.department_id,
                                                      "person_id": world.ids["novikova"]})
    html = post(curator_client, f"/registries/people/{world.ids['novikova']}/facts",
                {"months_as_head": "30", "efficiency_percent": "45"}).text
    assert "категория изменена — «Вновь назначенный руководитель (003 §3.6.1)» → «Руководитель с эффективностью" in html
    with db_session_factory() as session:
        [entry] = mentees_of(session, world.ids["novikova"])
        assert entry.category == "low_efficiency_head"
        assert session.scalar(select(func.count()).select_from(Decision).where(
            Decision.person_id == world.ids["novikova"])) == 2


@SQLITE
def test_other_people_and_roles_are_refused(curator_app, world):
    head = curator_app.test_client()
    log_in(head, "head")
    assert head.get("/registries/mentees/new").status_code == 403
    assert head.get(f"/registries/people/{world.ids['orlova']}/facts").status_code == 403
