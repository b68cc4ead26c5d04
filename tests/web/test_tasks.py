"""A curator's step page: the context (stage report with every attempt, events, decision), the form of
the step, field errors as 422 with nothing stored, a stale page as 409, others' steps as 403."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import OpenTask, Program, StageReport
from engine.services.mentorship import lifecycle
from engine.services.people.actor import load_actor
from engine.services.process.instances import complete_task
from tests.web.conftest import csrf_token
from tests.web.curator_world import curator_app, curator_client, day, first_stage_due, log_in, world  # noqa: F401

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def url(world) -> str:
    return f"/tasks/{world.instance_id}/{world.review_task_id}"


def form_fields(html: str) -> dict:
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html)[1]
    return {"csrf_token": csrf_token(html), "version": version}


def reports(db_session_factory, program_id: int) -> list[tuple[int, str, str | None]]:
    with db_session_factory() as session:
        return [(r.attempt, r.status, r.review_comment) for r in session.scalars(
            select(StageReport).where(StageReport.program_id == program_id).order_by(StageReport.attempt))]


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_return_needs_a_comment_then_goes_back_to_the_mentor(curator_client, world, db_session_factory):
    page = curator_client.get(url(world))
    assert page.status_code == 200
    for text in ("Информационная справка: диагностика проведена.", "попытка 1", "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ",
                 "Диагностика затруднений", "Орлова Ирина Сергеевна", "Принять отчёт", "Вернуть на доработку"):
        assert text in page.text
    fields = form_fields(page.text)

    refused = curator_client.post(url(world), data={**fields, "comment": "  ", "send_back": "1"})
    assert refused.status_code == 422
    assert "Чтобы вернуть отчёт, напишите в комментарии, что исправить." in refused.text
    assert reports(db_session_factory, world.program_id) == [(1, "submitted", None)]  # nothing stored

    done = curator_client.post(url(world), data={**fields, "comment": "Добавьте выводы", "send_back": "1"})
    assert done.status_code == 302 and done.headers["Location"] == "/inbox"
    inbox = curator_client.get("/inbox").text  # a returned report is not «выполнен»
    assert "Отчёт возвращён на доработку с вашим комментарием." in inbox and "выполнен." not in inbox
    assert reports(db_session_factory, world.program_id) == [(1, "returned", "Добавьте выводы")]

    stale = curator_client.post(url(world), data={**fields, "comment": "", "approve": "1"})
    assert stale.status_code == 409  # someone (here: the same curator) already completed it


@SQLITE
def test_the_resubmitted_report_shows_the_earlier_return_and_is_approved(curator_client, world, db_session_factory):
    fields = form_fields(curator_client.get(url(world)).text)
    curator_client.post(url(world), data={**fields, "comment": "Не отмечено мероприятие 1.4", "send_back": "1"})
    with db_session_factory() as session:
        program = session.get(Program, world.program_id)
        task = session.scalar(select(OpenTask).where(OpenTask.instance_id == world.instance_id,
                                                     OpenTask.form_id == "stage_work"))
        events = [e.number for e in program.events if e.stage_id == "diagnosis"]
        complete_task(session, load_actor(session, "volkov"), world.instance_id, task.task_id,
                      {"events_done": events, "report": "Вторая попытка: все мероприятия отмечены."})
        session.commit()
        review = session.scalar(select(OpenTask.task_id).where(OpenTask.instance_id == world.instance_id,
                                                               OpenTask.form_id == "review_stage_report"))
    again = curator_client.get(f"/tasks/{world.instance_id}/{review}")
    assert "Вторая попытка: все мероприятия отмечены." in again.text and "попытка 2" in again.text
    assert "Не отмечено мероприятие 1.4" in again.text  # the earlier attempt and its return comment
    assert again.text.index("попытка 2") < again.text.index("Попытка 1")
    approved = curator_client.post(f"/tasks/{world.instance_id}/{review}",
                                   data={**form_fields(again.text), "comment": "", "approve": "1"})
    assert approved.status_code == 302
    with db_session_factory() as session:
        assert session.get(Program, world.program_id).current_stage_id == "consultation"


@SQLITE
def test_others_get_403_and_unknown_steps_404(curator_app, world):
    mentor = curator_app.test_client()
    log_in(mentor, "volkov")
    assert mentor.get(url(world)).status_code == 403
    curator = curator_app.test_client()
    log_in(curator, "curator")
    assert curator.get(f"/tasks/{world.instance_id}/00000000-0000-4000-8000-000000000000").status_code == 404
    assert curator.get(f"/tasks/999999/{world.review_task_id}").status_code == 404
    anonymous = curator_app.test_client().get(url(world))
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@SQLITE
def test_a_replacement_petition_chooses_among_appointed_mentors(curator_client, world, db_session_factory):
    with db_session_factory() as session:
        lifecycle.petition(session, load_actor(session, "orlova"), world.program_id, "mentor_replacement",
                           {"reason": "наставник переезжает"})
        session.commit()
        task = session.scalar(select(OpenTask.task_id).where(OpenTask.form_id == "decide_petition"))
    path = f"/tasks/{world.instance_id}/{task}"
    page = curator_client.get(path)
    assert "Ходатайство о замене наставника" in page.text and "наставник переезжает" in page.text
    assert f'<option value="{world.ids["morozova"]}">Морозова Наталья Ивановна</option>' in page.text
    assert f'value="{world.ids["volkov"]}"' not in page.text  # the current mentor is no choice
    fields = form_fields(page.text)
    missing = curator_client.post(path, data={**fields, "new_mentor_id": "0", "approve": "1"})
    assert missing.status_code == 422 and "Выберите нового наставника из назначенных приказом." in missing.text
    forged = curator_client.post(path, data={**fields, "new_mentor_id": str(world.ids["orlova"]), "approve": "1"})
    assert forged.status_code == 422
    no_reason = curator_client.post(path, data={**fields, "new_mentor_id": "0", "reject": "1"})
    assert no_reason.status_code == 422 and "При отказе укажите причину." in no_reason.text
    granted = curator_client.post(path, data={**fields, "new_mentor_id": str(world.ids["morozova"]), "approve": "1"})
    assert granted.status_code == 302
    with db_session_factory() as session:  # the new mentor's written consent comes before the order (003 §3.2)
        asked = session.scalar(select(OpenTask).where(OpenTask.instance_id == world.instance_id,
                                                      OpenTask.form_id == "give_consent"))
        assert asked.assignee_id == world.ids["morozova"]


@SQLITE
def test_the_page_in_english(curator_client, world):
    curator_client.get("/inbox?lang=en")
    html = curator_client.get(url(world)).text
    assert "Approve the report" in html and "Return for revision" in html and "Curator's decision" in html


@SQLITE
def test_a_candidate_with_missing_data_comes_back_and_is_checked_again(curator_client, world, db_session_factory):
    from engine.db.models import Person
    from engine.services.mentorship import mentor_appointment

    with db_session_factory() as session:
        session.get(Person, world.ids["lebedev"]).efficiency_percent = None  # the registry lacks a fact
        session.commit()
        instance = mentor_appointment.propose_mentor(session, load_actor(session, "curator"), world.department_id,
                                                     world.ids["lebedev"])
        session.commit()
        task = session.scalar(select(OpenTask.task_id).where(OpenTask.instance_id == instance.id))
    path = f"/tasks/{instance.id}/{task}"
    page = curator_client.get(path)
    assert page.status_code == 200 and "Лебедев Сергей Петрович" in page.text
    assert "Недостаточно данных для решения" in page.text and "нет данных" in page.text
    with db_session_factory() as session:
        session.get(Person, world.ids["lebedev"]).efficiency_percent = 85
        session.commit()
    done = curator_client.post(path, data={**form_fields(page.text), "comment": "оценка внесена"})
    assert done.status_code == 302
    with db_session_factory() as session:
        forms = set(session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == instance.id)))
    assert forms == {"sign_order"}  # eligible now: the head signs the appointment order


def _complete(session, login: str, instance_id: int, form: str, data: dict) -> None:
    task = session.scalar(select(OpenTask.task_id).where(OpenTask.instance_id == instance_id, OpenTask.form_id == form))
    complete_task(session, load_actor(session, login), instance_id, task, data)
    session.commit()


def _task_path(session, instance_id: int, form: str) -> str:
    task = session.scalar(select(OpenTask.task_id).where(OpenTask.instance_id == instance_id, OpenTask.form_id == form))
    return f"/tasks/{instance_id}/{task}"


@SQLITE
def test_an_escalation_needs_the_measures_taken(curator_client, world, db_session_factory):
    from engine.services.process.instances import fire_timers

    with db_session_factory() as session:
        fire_timers(session, (first_stage_due(world) + timedelta(days=14)).isoformat() + "T00:00:00+00:00")
        path = _task_path(session, world.instance_id, "handle_escalation")
    page = curator_client.get(path)
    assert "Срок этапа прошёл" in page.text and day(first_stage_due(world)) in page.text
    assert "Отчёт уже представлен и ждёт проверки." in page.text
    refused = curator_client.post(path, data={**form_fields(page.text), "comment": ""})
    assert refused.status_code == 422 and "Опишите принятые меры." in refused.text
    done = curator_client.post(path, data={**form_fields(page.text), "comment": "Наставнику направлено напоминание"})
    assert done.status_code == 302


@SQLITE
def test_the_extension_petition_asks_for_months_and_a_justification(curator_client, world, db_session_factory):
    with db_session_factory() as session:
        lifecycle.petition(session, load_actor(session, "orlova"), world.program_id, "extension",
                           {"reason": "болезнь наставляемой", "extension_months": 3})
        session.commit()
        _complete(session, "volkov", world.instance_id, "agree_extension", {"agreed": True})  # orlova petitioned
        path = _task_path(session, world.instance_id, "petition_extension")
    page = curator_client.get(path)
    assert "Продление срока программы" in page.text and "болезнь наставляемой" in page.text
    fields = form_fields(page.text)
    refused = curator_client.post(path, data={**fields, "extension_months": "25", "justification": "x"})
    assert refused.status_code == 422 and "Срок продления — от 0 до 24 месяцев." in refused.text
    # 0 months: a content correction (003 §7.2), and this petition corrects nothing
    empty = curator_client.post(path, data={**fields, "extension_months": "0", "justification": "x"})
    assert empty.status_code == 422 and "ходатайство ничего не меняет" in empty.text
    not_a_number = curator_client.post(path, data={**fields, "extension_months": "abc", "justification": "x"})
    assert not_a_number.status_code == 422 and "Срок продления — от 0 до 24 месяцев." in not_a_number.text
    no_reason = curator_client.post(path, data={**fields, "extension_months": "3", "justification": ""})
    assert no_reason.status_code == 422 and "Обоснуйте ходатайство о продлении." in no_reason.text
    done = curator_client.post(path, data={**fields, "extension_months": "3", "justification": "уважительная причина"})
    assert done.status_code == 302
    with db_session_factory() as session:
        forms = set(session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == world.instance_id)))
    assert "sign_order" in forms  # the head signs the extension order (003 §7.2)


@SQLITE
def test_completing_a_program_records_the_bonus_decision(curator_client, world, db_session_factory):
    from engine.db.models import Decision

    with db_session_factory() as session:
        _complete(session, "curator", world.instance_id, "review_stage_report", {"approved": True, "comment": ""})
        for _stage in range(3):
            program = session.get(Program, world.program_id)
            session.refresh(program)
            events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
            _complete(session, "volkov", world.instance_id, "stage_work", {"events_done": events, "report": "Справка."})
            _complete(session, "curator", world.instance_id, "review_stage_report", {"approved": True, "comment": ""})
        path = _task_path(session, world.instance_id, "complete_program")
    page = curator_client.get(path)
    assert "Итоговый аналитический отчёт (003 §3.3)" in page.text and "003 §9.3" in page.text
    fields = form_fields(page.text)
    refused = curator_client.post(path, data={**fields, "final_report": " "})
    assert refused.status_code == 422 and "Напишите итоговый аналитический отчёт." in refused.text
    done = curator_client.post(path, data={**fields, "final_report": "Программа выполнена полностью.",
                                           "attended_mentor_events": "y", "analytical_materials": "y"})
    assert done.status_code == 302
    with db_session_factory() as session:
        bonus = session.scalar(select(Decision).where(Decision.program_id == world.program_id,
                                                      Decision.ruleset_id == "mentor_bonus_tomsk"))
        assert bonus is not None and bonus.body["outputs"]["bonus_salaries"] == 3  # one mentee (003 §9.3)


def _open(db_session_factory, instance_id: int, form: str) -> str:
    with db_session_factory() as session:
        return session.scalar(select(OpenTask.task_id).where(OpenTask.instance_id == instance_id,
                                                             OpenTask.form_id == form))


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_after_a_release_the_curator_proposes_a_new_mentor_who_is_asked_to_consent(curator_app, curator_client, world,
                                                                                  db_session_factory):
    with db_session_factory() as session:  # Volkov asks to be released (003 §4.1), the head signs the order
        lifecycle.petition(session, load_actor(session, "volkov"), world.program_id, "mentor_release",
                           {"reason": "перевод в другой город"})
        session.commit()
    decide = f"/tasks/{world.instance_id}/{_open(db_session_factory, world.instance_id, 'decide_petition')}"
    page = curator_client.get(decide)
    assert curator_client.post(decide, data={**form_fields(page.text), "approve": "1"}).status_code == 302
    with db_session_factory() as session:
        complete_task(session, load_actor(session, "head"), world.instance_id,
                      _open(db_session_factory, world.instance_id, "sign_order"), {"signed": True})
        session.commit()
    program_page = curator_client.get(f"/programs/{world.program_id}").text
    assert "нет наставника" in program_page and "освобождение от обязанностей наставника с" in program_page
    path = f"/tasks/{world.instance_id}/{_open(db_session_factory, world.instance_id, 'replace_mentor')}"
    page = curator_client.get(path)
    assert page.status_code == 200 and "программа без наставника" in page.text
    assert "перевод в другой город" in page.text  # the mentor's request the program is without a mentor after
    assert f'<option value="{world.ids["morozova"]}">Морозова Наталья Ивановна</option>' in page.text
    assert f'<option value="{world.ids["volkov"]}">' not in page.text  # the released mentor is no choice
    fields = form_fields(page.text)
    none = curator_client.post(path, data={**fields, "new_mentor_id": "0", "replace": "1"})
    assert none.status_code == 422 and "Выберите нового наставника из назначенных приказом." in none.text
    no_ground = curator_client.post(path, data={**fields, "new_mentor_id": "0", "complete_early": "1"})
    assert no_ground.status_code == 422 and "Укажите основание досрочного завершения." in no_ground.text
    chosen = curator_client.post(path, data={**fields, "new_mentor_id": str(world.ids["morozova"]), "replace": "1"})
    assert chosen.status_code == 302
    mentor = curator_app.test_client()
    log_in(mentor, "morozova")
    consent = re.search(r'href="(/my/consents/\d+/[^"]+)"', mentor.get("/my").text)[1]
    asked = mentor.get(consent).text
    assert f"№ {world.program_id}, выполняется с" in asked and "вместо прежнего наставника (Волков" in asked
    released = curator_app.test_client()
    log_in(released, "volkov")
    assert f"/my/programs/{world.program_id}" not in released.get("/my").text  # she no longer sees the program
