"""Proposing a pair: the choice (appointed mentors, waiting mentees), the check before starting (nothing
started), the proposal starting the pair-formation process and its explanation, refusals as 422."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from engine.db.models import MentoringGroup, WorkflowInstance
from tests.web.conftest import csrf_token
from tests.web.curator_world import curator_app, curator_client, log_in, world  # noqa: F401

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def free_mentee(db_session_factory, world, login: str = "novikova") -> int:
    """A mentee entered in the registry and in no pair yet (Fedorov and Orlova are in running programs)."""
    from engine.services.mentorship import mentee_registry
    from engine.services.people.actor import load_actor
    from engine.workflow import SystemClock

    with db_session_factory() as session:
        mentee_registry.register_mentee(session, load_actor(session, "curator"), world.department_id, world.ids[login],
                                        clock=SystemClock())
        session.commit()
    return world.ids[login]


def instances_count(db_session_factory) -> int:
    with db_session_factory() as session:
        return session.scalar(select(func.count()).select_from(WorkflowInstance))


def base_fields(html: str, world) -> dict:
    organization = re.search(r'name="organization_id" value="(\d+)"', html)[1]
    return {"csrf_token": csrf_token(html), "organization_id": organization, "form_of_mentorship": ""}


@SQLITE
def test_the_form_offers_appointed_mentors_and_waiting_mentees(curator_client, world, db_session_factory):
    novikova = free_mentee(db_session_factory, world)
    html = curator_client.get("/pairs/new").text
    assert f'<option value="{world.ids["morozova"]}">Морозова Наталья Ивановна</option>' in html
    assert "Козлов" not in html  # not appointed
    assert f'name="mentee_ids" value="{novikova}"' in html
    assert f'name="mentee_ids" value="{world.ids["orlova"]}"' not in html  # already in a program
    assert f'name="mentee_ids" value="{world.ids["fedorov"]}"' not in html
    # the forms of mentorship: the model of the mentee's category by default, each model with its categories
    assert '<option selected value="">По категории наставляемого (модель 003 §2.4)</option>' in html
    assert "«резервист – руководитель» (003 §2.4) — для категорий: Педагог в резерве управленческих кадров" in html


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_check_explains_criterion_by_criterion_without_starting(curator_client, world, db_session_factory):
    before = instances_count(db_session_factory)
    html = curator_client.get(f"/pairs/new?mentor_id={world.ids['kozlov']}").text
    assert "Не соответствует требованиям к наставнику" in html
    assert "не назначен(а) наставником приказом (003 §3.4)" in html
    assert "Стаж в должности руководителя — 3 года, а требуется не менее 5 лет (003 §3.5)." in html
    assert html.count("criterion--failed") == 1 and html.count("criterion--passed") == 3
    assert html.count('class="criterion__source">003 §3.5<') == 4
    page = curator_client.get("/pairs/new").text
    checked = curator_client.post("/pairs/new", data={**base_fields(page, world), "mentor_id": world.ids["volkov"],
                                                      "check": "1"})
    assert checked.status_code == 200 and "Может быть назначен наставником" in checked.text
    assert instances_count(db_session_factory) == before


@SQLITE
def test_proposing_starts_the_process_and_shows_its_explanation(curator_client, world, db_session_factory):
    novikova = free_mentee(db_session_factory, world)
    page = curator_client.get("/pairs/new").text
    fields = {**base_fields(page, world), "mentor_id": world.ids["volkov"], "propose": "1"}
    none = curator_client.post("/pairs/new", data=fields)
    assert none.status_code == 422 and "Выберите хотя бы одного наставляемого." in none.text
    taken = curator_client.post("/pairs/new", data={**fields, "mentee_ids": world.ids["orlova"]})
    assert taken.status_code == 422  # Orlova is in a program already
    before = instances_count(db_session_factory)
    started = curator_client.post("/pairs/new", data={**fields, "mentee_ids": novikova})
    assert started.status_code == 302 and re.fullmatch(r"/pairs/\d+", started.headers["Location"])
    assert instances_count(db_session_factory) == before + 1
    shown = curator_client.get(started.headers["Location"]).text
    assert "Дать согласие быть наставником" in shown and "Может быть назначен наставником" in shown
    assert "Относится к категории наставляемых" in shown and "003 §3.6.1" in shown
    with db_session_factory() as session:
        group = session.scalar(select(MentoringGroup).order_by(MentoringGroup.id.desc()))
        assert (group.mentor_id, [m.person_id for m in group.members], group.status) == (
            world.ids["volkov"], [novikova], "forming")
        assert group.form == "head_head"  # the model of a newly appointed head (003 §2.4)


@SQLITE
def test_an_ineligible_mentor_ends_the_process_in_red(curator_client, world, db_session_factory):
    from engine.db.models import Person

    novikova = free_mentee(db_session_factory, world)
    with db_session_factory() as session:
        session.get(Person, world.ids["morozova"]).efficiency_percent = 70  # below 81 % since the appointment
        session.commit()
    page = curator_client.get("/pairs/new").text
    started = curator_client.post("/pairs/new", data={**base_fields(page, world), "mentor_id": world.ids["morozova"],
                                                      "mentee_ids": novikova, "propose": "1"})
    shown = curator_client.get(started.headers["Location"]).text
    assert "Наставник не соответствует требованиям: процесс завершён, пара не сформирована." in shown
    assert "flash--error" in shown and "70" in shown


@SQLITE
def test_only_curators_propose(curator_app, world):
    client = curator_app.test_client()
    log_in(client, "head")
    assert client.get("/pairs/new").status_code == 403
    assert client.get("/pairs/1").status_code == 403


@SQLITE
def test_a_curator_of_two_organizations_chooses_where(curator_app, world, db_session_factory):
    from engine.db.models import Organization, Person, RoleAssignment

    with db_session_factory() as session:
        curator = session.get(Person, world.ids["curator"])
        session.add(RoleAssignment(person=curator, organization=session.get(Organization, world.schools["school8"]),
                                   role="curator"))
        session.commit()
    client = curator_app.test_client()
    log_in(client, "curator")  # roles are read at login
    html = client.get("/pairs/new").text
    assert 'data-reload-param="organization_id"' in html and "js/curator.js" in html
    assert f'<option value="{world.ids["volkov"]}">' in html  # the department's appointed mentors
    school = client.get(f"/pairs/new?organization_id={world.schools['school8']}").text
    assert f'<option selected value="{world.schools["school8"]}">' in school or \
        f'<option value="{world.schools["school8"]}" selected>' in school
    assert f'<option value="{world.ids["volkov"]}">' not in school  # nobody is appointed at the school
    other = client.get("/pairs/new?organization_id=999999").text  # not theirs: the first of their own
    assert f'<option value="{world.ids["volkov"]}">' in other


@SQLITE
@pytest.mark.parametrize(("hour", "offered"), [(17, True), (10, False)])  # 00:30 / 17:30 in Tomsk (UTC+7)
def test_a_mentor_whose_term_starts_on_tomsks_day_is_offered_after_midnight_in_tomsk(
        world, db_url, db_session_factory, hour, offered):
    """Morozova's order is dated tomorrow by UTC, today in Tomsk after its midnight: /pairs/new asks «is she
    appointed?» on the department's own day — the day its orders are dated — not on the UTC day."""
    from datetime import UTC, datetime, timedelta

    from engine.db.models import MentorAppointment
    from engine.workflow import FixedClock
    from tests.web.conftest import make_test_app
    from web.db import database

    utc_day = datetime.now(UTC).date()
    with db_session_factory() as session:
        appointment = session.scalar(select(MentorAppointment).where(
            MentorAppointment.person_id == world.ids["morozova"]))
        appointment.starts_on = utc_day + timedelta(days=1)  # the order signed after midnight in Tomsk
        session.commit()
    app = make_test_app(db_url, DOMAIN_CLOCK=FixedClock(datetime(utc_day.year, utc_day.month, utc_day.day, hour, 30,
                                                                 tzinfo=UTC)))
    try:
        client = app.test_client()
        log_in(client, "curator")
        html = client.get("/pairs/new").text
        assert (f'<option value="{world.ids["morozova"]}">Морозова Наталья Ивановна</option>' in html) is offered
        checked = client.get(f"/pairs/new?mentor_id={world.ids['morozova']}").text
        assert ("не назначен(а) наставником приказом (003 §3.4)" in checked) is not offered
    finally:
        database(app).dispose()
