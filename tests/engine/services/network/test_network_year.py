"""A year of the Yakutsk Coordination Centre of network mentors through the engine, on SQLite and PostgreSQL:
two network mentors appointed with their directions (004 II.2, III.2), trainees of several categories from
different schools (004 I.3) with their self-diagnosis or the school's monitoring (004 III.3), groups by direction
handed to the mentors without consent or order (004 III.4), the mentors' work plans (004 III.5), the trainees'
development plans returned and agreed (004 IV.1, IV.3), work in the regulation's forms (004 III.6), the
reviews at the end of the academic year (004 IV.1) and the year's report with each mentor's effectiveness
indicator (004 III.8)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from engine.db.models import (
    Consent,
    Mentee,
    NetworkGroup,
    NetworkMember,
    OpenTask,
    Order,
    WorkflowInstance,
)
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.services.network import groups, report, year
from tests.engine.services.network.centre_world import DIGITAL, LITERACY, UPBRINGING, Centre, build_centre, on

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _tasks(world: Centre, instance_id: int | None) -> list[tuple[str, int | None]]:
    world.session.expire_all()
    rows = world.session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id))
    return sorted((row.form_id, row.assignee_id) for row in rows)


def _member(world: Centre, login: str) -> NetworkMember:
    return world.session.scalars(select(NetworkMember).where(
        NetworkMember.person_id == world.person(login).id)).one()


def _review(world: Centre, mentor: str, trainee: str, fulfilled: bool, readiness: str) -> None:
    year.write_review(world.session, world.actor(mentor), _member(world, trainee).id, {
        "plan_fulfilled": fulfilled, "readiness": readiness,
        "fulfilment": "План выполнен полностью" if fulfilled else "Выполнена часть мероприятий плана",
        "business_qualities": "Ответственна, открыта к советам, доводит начатое до конца",
        "activity_results": "Качество знаний по предмету выросло на 6 %"}, clock=world.clock)
    world.session.commit()


@BOTH
def test_a_year_of_the_coordination_centre(db_session):
    world = build_centre(db_session)
    s = world.session
    sidorova = world.appoint("sidorova", LITERACY)  # 004 II.2: the direction bound to the mentor
    nikolaev = world.appoint("nikolaev", UPBRINGING)
    assert (sidorova.ends_on, nikolaev.direction) == (date(2026, 8, 31), UPBRINGING)  # 004 III.2: the year

    # 004 I.3: trainees of every category, from three schools; 004 III.3: self-diagnosis or the school's monitoring
    world.register("ivanova", "newly_hired", LITERACY)
    world.register("popov", "teacher_with_difficulties", "  функциональная   грамотность ")
    world.register("kim", "new_in_post", UPBRINGING, diagnosis="monitoring")
    world.register("semenova", "low_results_school_staff", UPBRINGING)
    world.register("osipova", "teacher_with_difficulties", UPBRINGING, diagnosis="monitoring")
    world.register("fedorov", "newly_hired", DIGITAL)  # no network mentor covers this direction

    # 004 III.4: the specialist forms groups by direction and hands the lists to the mentors — no consent, no order
    world.at(on(date(2025, 10, 1)))
    first = groups.form_group(s, world.curator, world.department.id, world.person("sidorova").id,
                              [world.person("ivanova").id, world.person("popov").id], clock=world.clock)
    second = groups.form_group(s, world.curator, world.department.id, world.person("nikolaev").id,
                               [world.person(p).id for p in ("kim", "semenova", "osipova")], clock=world.clock)
    s.commit()
    literacy, upbringing = s.scalars(select(NetworkGroup).order_by(NetworkGroup.id)).all()
    assert (literacy.direction, literacy.academic_year, literacy.starts_on, literacy.ends_on) == (
        LITERACY, 2025, date(2025, 10, 1), date(2026, 8, 31))
    assert (literacy.review_opens_on, literacy.review_due_on) == (date(2026, 5, 1), date(2026, 5, 31))  # 004 IV.1
    assert [o.type for o in s.scalars(select(Order))] == ["appointment_of_mentors"] * 2 and not s.scalars(
        select(Consent)).all()
    assert _tasks(world, first.id) == [(FormId.MENTOR_WORK_PLAN, world.person("sidorova").id)]  # the list handed
    workplaces = {m.person.organization_id for m in literacy.members}  # 004 I.6: wherever mentor and trainee work
    assert len(workplaces) == 2 and literacy.mentor.organization_id not in workplaces
    assert {m.status for m in s.scalars(select(Mentee)) if m.direction != DIGITAL} == {"in_program"}
    ivanova = _member(world, "ivanova")
    assert _tasks(world, ivanova.workflow_instance_id) == [(FormId.DEVELOPMENT_PLAN, world.person("ivanova").id)]

    # 004 III.5: each mentor's individual work plan with the trainees
    groups.write_work_plan(s, world.actor("sidorova"), literacy.id,
                           "Октябрь — консультации по ИППР; ноябрь — мастер-класс «Смысловое чтение»; …",
                           clock=world.clock)
    groups.write_work_plan(s, world.actor("nikolaev"), upbringing.id, "Сентябрь–май: беседы, открытые классные часы",
                           clock=world.clock)
    s.commit()
    assert _tasks(world, first.id) == [] and s.get(WorkflowInstance, second.id).status == "completed"

    # 004 IV.3, IV.1: the trainee develops the plan, the mentor returns it once with a comment, then agrees it
    year.submit_plan(s, world.actor("ivanova"), ivanova.id, goals="Освоить приёмы смыслового чтения",
                     actions="Октябрь: консультация; ноябрь: мастер-класс; январь: открытый урок", clock=world.clock)
    s.commit()  # a refused step rolls the session back: what went before is committed
    with pytest.raises(NastavnikError, match="что доработать") as caught:  # a return says what to change
        year.decide_plan(s, world.actor("sidorova"), ivanova.id, approved=False, clock=world.clock)
    assert caught.value.where == "comment"
    year.decide_plan(s, world.actor("sidorova"), ivanova.id, approved=False, comment="Добавьте сроки и результаты",
                     clock=world.clock)
    s.commit()
    assert report.plan_state(_member(world, "ivanova")) == "returned"
    year.submit_plan(s, world.actor("ivanova"), ivanova.id, goals="Освоить приёмы смыслового чтения",
                     actions="До 30.10 — консультация; до 30.11 — мастер-класс; результат — открытый урок",
                     clock=world.clock)
    year.decide_plan(s, world.actor("sidorova"), ivanova.id, approved=True, comment="Согласовано", clock=world.clock)
    for trainee, mentor in (("popov", "sidorova"), ("kim", "nikolaev"), ("osipova", "nikolaev")):
        year.submit_plan(s, world.actor(trainee), _member(world, trainee).id, goals="Цели по направлению",
                         actions="Мероприятия и сроки", clock=world.clock)
        year.decide_plan(s, world.actor(mentor), _member(world, trainee).id, approved=True, clock=world.clock)
    s.commit()  # Семёнова never submits her plan
    assert report.plan_state(_member(world, "ivanova")) == "agreed"
    assert report.plan_state(_member(world, "semenova")) == "none"
    with pytest.raises(NastavnikError, match="уже согласован"):
        year.submit_plan(s, world.actor("ivanova"), ivanova.id, goals="…", actions="…", clock=world.clock)

    # 004 III.6: the work in the regulation's forms, recorded by the mentor through the year
    world.at(on(date(2025, 11, 20)))
    groups.record_work(s, world.actor("sidorova"), literacy.id, form="consultation", held_on=date(2025, 10, 20),
                       topic="Индивидуальный план: цели и сроки", trainee_ids=[world.person("ivanova").id,
                                                                              world.person("popov").id],
                       clock=world.clock)
    groups.record_work(s, world.actor("sidorova"), literacy.id, form="master_class", held_on=date(2025, 11, 15),
                       topic="Смысловое чтение на уроках истории", trainee_ids=[world.person("ivanova").id],
                       clock=world.clock)
    groups.record_work(s, world.actor("nikolaev"), upbringing.id, form="open_lesson_visit",
                       held_on=date(2025, 11, 18), topic="Открытый классный час", note="7 «А», 24 ученика",
                       trainee_ids=[world.person("kim").id], clock=world.clock)
    s.commit()

    # 004 IV.1: the review comes at the end of the academic year, not before
    with pytest.raises(NastavnikError, match=r"в конце учебного года \(004 IV.1\): с 01.05.2026, срок — 31.05.2026"):
        year.write_review(s, world.actor("sidorova"), ivanova.id, {}, clock=world.clock)
    assert world.at("2026-04-30T23:59:00+09:00") == 0
    assert world.at(on(date(2026, 5, 1))) == 5  # every trainee's year: Семёнова's plan cut short
    assert _tasks(world, _member(world, "semenova").workflow_instance_id) == [
        (FormId.TRAINEE_REVIEW, world.person("nikolaev").id)]
    [due] = s.scalars(select(OpenTask.due_at).where(OpenTask.form_id == FormId.TRAINEE_REVIEW).limit(1))
    assert due.date() == date(2026, 5, 30)  # 31.05.2026 00:00 in Yakutsk is 30.05 15:00 UTC
    _review(world, "sidorova", "ivanova", True, "ready")
    _review(world, "sidorova", "popov", False, "partly")
    _review(world, "nikolaev", "kim", True, "ready")
    _review(world, "nikolaev", "semenova", False, "not_ready")
    _review(world, "nikolaev", "osipova", True, "partly")
    with pytest.raises(NastavnikError, match="уже представлен"):
        _review(world, "nikolaev", "osipova", True, "ready")
    running = s.scalar(select(func.count()).select_from(WorkflowInstance).where(WorkflowInstance.status == "running"))
    assert running == 2  # only the two appointments wait for their term's end
    assert {m.status for m in s.scalars(select(Mentee)) if m.direction != DIGITAL} == {"completed"}

    # 004 III.8: the effectiveness indicator, and the year's report of the Coordination Centre
    result = report.year_report(s, world.curator, world.department.id, 2025)
    by_mentor = {line.person.full_name: line for line in result.mentors}
    sid, nik = by_mentor["Сидорова Елена Петровна"], by_mentor["Николаев Айсен Васильевич"]
    assert (len(sid.trainees), sid.plans_agreed, sid.reviews, sid.fulfilled, sid.indicator_percent) == (2, 2, 2, 1, 50)
    assert (len(nik.trainees), nik.plans_agreed, nik.reviews, nik.fulfilled, nik.indicator_percent) == (3, 2, 3, 2, 67)
    assert dict(sid.work_by_form) == {"Консультация": 1, "Мастер-класс": 1}
    assert dict(nik.work_by_form) == {"Посещение открытого занятия (урока, мероприятия)": 1}
    assert (len(result.grouped), result.plans_agreed, result.reviews, result.fulfilled, result.indicator_percent) == (
        5, 4, 5, 3, 60)
    assert [t.person.full_name for t in result.uncovered] == ["Фёдоров Мичил Егорович"]
    assert result.label == "2025/2026 учебный год" and "Координационный центр" in result.centre
    assert result.directions == [(UPBRINGING, ["Николаев Айсен Васильевич"], 3, 0),  # alphabetically
                                 (LITERACY, ["Сидорова Елена Петровна"], 2, 0), (DIGITAL, [], 0, 1)]
    rows = report.report_rows(result)
    assert rows[0][0] == "Стажёр" and ["Иванова Туйаара Николаевна", "СОШ № 5", "Педагог, впервые принятый по "
                                       "основному месту работы", LITERACY, "Сидорова Елена Петровна",
                                       "согласован наставником", "да", "да",
                                       "готов(а) к самостоятельному выполнению должностных обязанностей"] in rows
