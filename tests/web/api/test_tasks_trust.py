"""The JSON API trusts no workflow data a client writes (issue 11, finding 1): a step completed through
``/api/v1/tasks/…/complete`` gets its rule facts from the registers and its ids checked against what the step
allows, exactly as the pages do — forged facts do not make an ineligible candidate a mentor, forged mentee ids
do not make decisions and consents for other people, forged bonus facts do not decide a bonus, and a consent
given through the API records the personal data consent (152-ФЗ) or is refused."""
from __future__ import annotations

import json

from sqlalchemy import select

from cli import main
from engine.db.models import Consent, ConsentKind, MentorAppointment, Person, RoleAssignment
from engine.demo.world import GOOD_MENTOR
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import mentor_appointment
from engine.services.people.actor import load_actor
from engine.services.process import instances

# what a forger sends for a candidate with 3 years as head (003 §3.5 asks for 5)
FORGED_FACTS = dict(GOOD_MENTOR, years_as_head=12, months_as_head=150)


def _complete(world, login: str, task: dict, data: dict, **extra):
    return world.post(f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}/complete", login,
                      json={"data": data, **extra})


def _task_of(world, login: str, form: str, instance_id: int) -> dict:
    [task] = [t for t in world.get("/api/v1/tasks", login).get_json()
              if t["form_id"] == form and t["instance_id"] == instance_id]
    return task


def _person_id(world, login: str) -> int:
    with world.session_factory() as session:
        return session.scalar(select(Person.id).where(Person.login == login))


def _data(world, instance_id: int) -> dict:
    with world.session_factory() as session:
        return instances.snapshot(session, instance_id).data


def _refused_field(response, field: str) -> str:
    """The 422 names the field among the form's data; its message in Russian."""
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    messages = body["errors"]["json"]["data"]
    assert field in messages, body
    return " ".join(messages[field])


def test_forged_facts_do_not_make_an_ineligible_candidate_a_mentor(api_world, db_url, monkeypatch, capsys):
    w = api_world
    kozlov, morozova = _person_id(w, "kozlov"), _person_id(w, "morozova")  # kozlov: 3 years as head
    with w.session_factory() as session:
        instance = mentor_appointment.propose_mentor(session, load_actor(session, "curator"), w.org_id, morozova)
        session.commit()
        instance_id = instance.id
    sign = _task_of(w, "head", "sign_order", instance_id)
    refused = _complete(w, "head", sign, {"signed": False, "refusal_reason": "Уточните кандидатуру"})
    assert refused.status_code == 200, refused.get_json()
    propose = _task_of(w, "curator", "propose_mentor", instance_id)  # the refusal is back on the curator's step

    forged = _complete(w, "curator", propose, {"candidate_id": kozlov, "facts": FORGED_FACTS})
    assert "реестр" in _refused_field(forged, "facts")
    other = _complete(w, "curator", propose, {"candidate_id": kozlov})
    assert f"№{kozlov}" in _refused_field(other, "candidate_id")
    named = _complete(w, "curator", propose, {"candidate_id": morozova, "candidate_name": "Козлов Дмитрий Олегович"})
    _refused_field(named, "candidate_name")
    monkeypatch.setenv("DATABASE_URL", db_url)  # the command line: the same entry point, the same refusals
    command = ["task", "complete", str(instance_id), propose["task_id"], "--as", "curator", "--data"]
    for data, field in [({"candidate_id": kozlov, "facts": FORGED_FACTS}, "facts"), ({"candidate_id": kozlov},
                                                                                      "candidate_id")]:
        assert main([*command, json.dumps(data)]) == 2
        assert f"{field}: " in capsys.readouterr().err

    done = _complete(w, "curator", propose, {"candidate_id": morozova, "comment": "Кандидатура уточнена"})
    assert done.status_code == 200, done.get_json()
    data = _data(w, instance_id)
    assert data["candidate_id"] == morozova and data["decision"]["verdict"] == "eligible"
    assert data["facts"]["years_as_head"] == 9  # the registry's, not a client's
    sign = _task_of(w, "head", "sign_order", instance_id)
    assert _complete(w, "head", sign, {"signed": True}).status_code == 200
    with w.session_factory() as session:
        assert session.scalars(select(MentorAppointment.person_id)
                               .where(MentorAppointment.person_id.in_([kozlov, morozova]))).all() == [morozova]
        assert session.scalar(select(RoleAssignment.id).where(RoleAssignment.person_id == kozlov,
                                                              RoleAssignment.role == "mentor")) is None


def test_forged_mentee_ids_and_facts_are_refused_and_the_pair_goes_on(api_world):
    w = api_world
    refused = w.post(f"/api/v1/orders/{w.order_id}/refuse", "head", json={"reason": "Проверьте состав пары"})
    assert refused.status_code == 200, refused.get_json()
    propose = _task_of(w, "curator", "propose_pair", w.pair_instance_id)
    volkov, orlova, novikova = w.ids["volkov"], w.ids["orlova"], w.ids["novikova"]

    extra = _complete(w, "curator", propose, {"mentor_id": volkov, "mentee_ids": [orlova, novikova]})
    assert f"№{novikova}" in _refused_field(extra, "mentee_ids")
    foreign = _complete(w, "curator", propose, {"mentor_id": volkov, "mentee_ids": [w.ids["other_curator"]]})
    assert f"№{w.ids['other_curator']}" in _refused_field(foreign, "mentee_ids")
    mentor = _complete(w, "curator", propose, {"mentor_id": novikova, "mentee_ids": [orlova]})
    _refused_field(mentor, "mentor_id")
    for field, value in [("facts", FORGED_FACTS), ("mentee_facts", [{"is_head": True, "months_as_head": 1}]),
                         ("form_of_mentorship", "group")]:
        forged = _complete(w, "curator", propose, {"mentor_id": volkov, "mentee_ids": [orlova], field: value})
        _refused_field(forged, field)

    done = _complete(w, "curator", propose, {"mentor_id": volkov, "mentee_ids": [orlova], "comment": "Состав верен"})
    assert done.status_code == 200, done.get_json()
    data = _data(w, w.pair_instance_id)
    assert data["mentee_ids"] == [orlova] and len(data["mentee_decisions"]) == 1, data["mentee_decisions"]
    for login in ("volkov", "orlova"):
        consent = _task_of(w, login, "give_consent", w.pair_instance_id)
        agreed = _complete(w, login, consent, {"consent": True, "personal_data": True})
        assert agreed.status_code == 200, agreed.get_json()
    sign = _task_of(w, "head", "sign_order", w.pair_instance_id)  # the new order of the same pair
    signed = _complete(w, "head", sign, {"signed": True})
    assert signed.status_code == 200, signed.get_json()  # the head's signature goes through (no 500)
    [program] = w.get("/api/v1/programs", "curator").get_json()
    assert program["mentees"] == ["Орлова Ирина Сергеевна"] and program["status"] in ("active", "running"), program


def test_a_consent_through_the_api_records_the_personal_data_consent(api_world):
    w = api_world
    with w.session_factory() as session:
        instance = mentorship.propose_pair(session, load_actor(session, "curator"), w.org_id, w.ids["volkov"],
                                           [w.ids["novikova"]])
        session.commit()
        instance_id = instance.id
    for login in ("volkov", "novikova"):  # the mentor first, then the mentee
        consent = _task_of(w, login, "give_consent", instance_id)
        stale = _complete(w, login, consent, {"consent": True, "personal_data": True}, expected_version=1)
        assert stale.status_code == 409  # the version the person saw is checked for every step alike
        without = _complete(w, login, consent, {"consent": True})
        assert without.status_code == 422 and "152-ФЗ" in without.get_json()["message"], without.get_json()
        assert _task_of(w, login, "give_consent", instance_id)  # nothing was saved
        given = _complete(w, login, consent, {"consent": True, "personal_data": True})
        assert given.status_code == 200, given.get_json()
        with w.session_factory() as session:
            kinds = session.scalars(select(Consent.kind).where(Consent.person_id == w.ids[login],
                                                               Consent.group_id.is_not(None))).all()
        assert ConsentKind.PERSONAL_DATA.value in kinds


def _run_every_stage(w, instance_id: int) -> None:
    for _ in range(10):
        tasks = {t["form_id"]: t for t in w.get("/api/v1/tasks", "volkov").get_json()
                 if t["instance_id"] == instance_id}
        if "stage_work" not in tasks:
            return
        work = _complete(w, "volkov", tasks["stage_work"], {"report": "Справка об этапе"})
        assert work.status_code == 200, work.get_json()
        review = _task_of(w, "curator", "review_stage_report", instance_id)
        accepted = _complete(w, "curator", review, {"approved": True, "comment": "Этап проведён на совещаниях"})
        assert accepted.status_code == 200, accepted.get_json()


def test_forged_bonus_facts_are_refused_and_the_bonus_is_decided_on_the_program(api_world):
    w = api_world
    program_id = w.sign_pair_order()
    instance_id = w.get(f"/api/v1/programs/{program_id}", "curator").get_json()["workflow_instance_id"]
    _run_every_stage(w, instance_id)
    complete = _task_of(w, "curator", "complete_program", instance_id)
    forged_bonus = {"mentees_completed": 5, "attended_mentor_events": True, "analytical_materials": True,
                    "violations": 0}
    ending = {"final_report": "Итоги программы", "completion_ground": "improper_execution", "reopen_stage": False}
    forged = _complete(w, "curator", complete, {**ending, "bonus_facts": forged_bonus})
    assert "реестр" in _refused_field(forged, "bonus_facts")
    done = _complete(w, "curator", complete, ending)
    assert done.status_code == 200, done.get_json()
    facts = _data(w, instance_id)["bonus_facts"]
    assert facts["attended_mentor_events"] is False and facts["analytical_materials"] is False
