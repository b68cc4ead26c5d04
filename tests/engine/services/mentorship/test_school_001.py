"""A school bound to the pack «school» (001, Положение о наставничестве МАОУ Кунарской СОШ) runs its
mentorship end to end through the engine, on the domain clock: the curator starts the calendar, a teacher is
appointed mentor, a young teacher and a student enter the base (001 §1.1), pairs «учитель – учитель» and
«учитель – ученик» (001 §2.3) run their programs, the young teacher petitions the director for another mentor
because no personal contact can be established (001 §6.2) and the director — not the curator — approves,
monitoring is filed by 20 December and by 20 May (001 §2.4), and the base is reviewed a year on (001 §4.2)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.db.models import (
    AuditEntry,
    CalendarReport,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    Order,
    Program,
    WorkflowInstance,
)
from engine.errors import NastavnikError, PermissionDenied
from engine.forms import FormId
from engine.services.curation import calendar, decisions
from engine.services.mentorship import petitions
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)


def school(session) -> tuple[PackWorld, dict]:
    world = PackWorld(session, "school", START, name="МАОУ Кунарская СОШ", short_name="Кунарская СОШ")
    people = {
        "petrova": world.person("Петрова Анна Ивановна", position="учитель математики", participant_kind="pedagogue"),
        "orlov": world.person("Орлов Игорь Петрович", position="учитель физики", participant_kind="pedagogue"),
        "belova": world.person("Белова Дарья Сергеевна", position="учитель русского языка",
                               participant_kind="pedagogue"),
        "kovalev": world.person("Ковалёв Максим", position="ученик 6 класса", participant_kind="student",
                                birth_date=date(2013, 5, 10)),
        "zaitseva": world.person("Зайцева Полина", position="ученица 5 класса", participant_kind="student",
                                 birth_date=date(2014, 2, 1)),
        "mironov": world.person("Миронов Артём", position="ученик 3 класса", participant_kind="student",
                                birth_date=date(2016, 1, 15)),
    }
    session.commit()
    return world, people


def stage(world: PackWorld, program: Program, mentor, *, approve: bool = True) -> None:
    """The mentor reports the current stage's events; the curator approves."""
    world.session.refresh(program)
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    world.complete(mentor, FormId.STAGE_WORK, {"events_done": events, "report": f"Этап «{program.current_stage_id}»: "
                   "мероприятия проведены, результаты представлены куратору."}, program.workflow_instance_id)
    if approve:
        world.complete(world.curator, FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": ""},
                       program.workflow_instance_id)


@BOTH
def test_a_school_runs_its_mentorship_by_001(db_session):  # noqa: PLR0915 - one school year told in order
    s = db_session
    world, p = school(s)
    curator = world.actor(world.curator)

    # the calendar of the regulation: monitoring by 20 December and 20 May (001 §2.4), the base yearly (001 §4.2)
    started = calendar.start_calendar(s, curator, world.organization.id)
    s.commit()
    assert sorted(i.subject["calendar_id"] for i in started) == ["base_review", "monitoring_december", "monitoring_may"]
    assert calendar.start_calendar(s, curator, world.organization.id) == []  # once
    slots = {slot.day.id: slot.due_on for slot in calendar.calendar_slots(s, world.organization)}
    assert slots == {"monitoring_december": date(2025, 12, 20), "monitoring_may": date(2026, 5, 20),
                     "base_review": date(2026, 9, 15)}

    # a teacher mentor (001 §2.3: «учитель – …»); appointed for the academic year (the school's choice)
    world.appoint(p["petrova"])
    world.appoint(p["orlov"])
    terms = {a.person_id: (a.starts_on, a.ends_on) for a in s.scalars(select(MentorAppointment))}
    assert terms[p["petrova"].id] == (date(2025, 9, 16), date(2026, 8, 31))
    appointment = s.scalars(select(Order).where(Order.type == "appointment_of_mentors").order_by(Order.id)).first()
    assert "В соответствии с Положением о наставничестве МАОУ Кунарской СОШ" in appointment.body
    # the school pack's own template (rules/school/orders/appointment_of_mentors.j2): the working group's selection
    assert "по итогам отбора наставников, организованного рабочей группой (п. 2.2 Положения)" in appointment.body
    assert "Назначить наставниками на 2025/2026 учебный год (с 16.09.2025 по 31.08.2026)" in appointment.body
    assert "(п. 4.2 Положения)" in appointment.body  # the curator's base of mentors and mentees (001 §4.2)
    assert "сетев" not in appointment.body and "раздела" not in appointment.body  # no 004 wording in a 001 school
    assert "п. 3.3" not in appointment.body and "банк" not in appointment.body  # nor 003's

    # the base of mentees (001 §1.1): a young teacher, students from the age of 10
    world.register(p["belova"], "young_specialist")
    world.register(p["kovalev"], "student")
    world.register(p["zaitseva"], "student")
    with pytest.raises(NastavnikError, match=r"в возрасте от 10 лет \(001 §1\.1\)"):
        world.register(p["mironov"], "student")  # 9 years old
    s.rollback()
    with pytest.raises(NastavnikError, match="не подходит"):
        world.register(p["mironov"], "pedagogue")
    s.rollback()

    # pairs in the forms of 001 §2.3, their programs on the school's roadmap
    with pytest.raises(NastavnikError, match=r"«учитель – ученик» \(001 §2\.3\) наставляемым бывает обучающийся"):
        world.pair(p["petrova"], [p["belova"]], "teacher_student")
    s.rollback()
    [teachers] = world.pair(p["petrova"], [p["belova"]], "teacher_teacher")
    [pupil] = world.pair(p["petrova"], [p["kovalev"]], "teacher_student")
    assert (teachers.roadmap_id, teachers.current_stage_id, teachers.planned_end_on) == (
        "school_pair", "plan", date(2026, 6, 15))  # the school's term: 9 months (1 + 7 + 1), through the day before
    assert {g.form for g in s.scalars(select(MentoringGroup))} == {"teacher_teacher", "teacher_student"}
    for program in (teachers, pupil):
        stage(world, program, p["petrova"])
    assert teachers.current_stage_id == "meetings"

    # 001 §6.2: no personal contact with the mentor — the mentee petitions the HEAD
    belova = world.actor(p["belova"])
    options = {o.name: o for o in petitions.petition_options(s, belova, teachers)}
    assert list(options) == ["mentor_replacement"]  # 001 lists no other petition
    assert (options["mentor_replacement"].clause, options["mentor_replacement"].decided_by) == ("001 §6.2", "head")
    assert options["mentor_replacement"].grounds == "при невозможности установления личного контакта с наставником"
    assert petitions.petition_options(s, world.actor(p["petrova"]), teachers) == []  # 001: no release petition
    with pytest.raises(PermissionDenied, match=r"не предусматривает ходатайство «продление.*\(001 §6\.2\)"):
        petitions.file_petition(s, belova, teachers.id, "extension", reason="x", months=2)
    world.advance_to(date(2025, 10, 20))
    petitions.file_petition(s, belova, teachers.id, "mentor_replacement",
                            reason="Наставник на длительном больничном, встречи не проводятся с сентября.")
    s.commit()
    assert FormId.DECIDE_PETITION not in [t.form_id for t in world.tasks(world.curator)]  # not the curator's (003 §5.1)
    assert world.task(world.head, FormId.DECIDE_PETITION, teachers.workflow_instance_id).role == "head"
    head = world.actor(world.head)
    [waiting] = decisions.awaiting_decisions(s, head, world.today)
    assert (waiting.kind, waiting.rule.clause, waiting.petitioner.id) == ("mentor_replacement", "001 §6.2", p["belova"].id)
    assert [m.id for m in waiting.mentor_choices] == [p["orlov"].id]
    with pytest.raises(PermissionDenied):
        decisions.decision_page(s, curator, waiting.instance.id, waiting.task.task_id, world.today)
    with pytest.raises(NastavnikError, match="выберите нового наставника"):
        decisions.decide(s, head, waiting.instance.id, waiting.task.task_id, approved=True, on=world.today)
    s.rollback()
    decisions.decide(s, head, waiting.instance.id, waiting.task.task_id, approved=True, comment="Удовлетворить",
                     new_mentor_id=p["orlov"].id, on=world.today)
    s.commit()
    assert FormId.SIGN_ORDER not in [t.form_id for t in world.tasks(world.head)]  # no order before the new mentor's written consent
    world.complete(p["orlov"], FormId.GIVE_CONSENT, {"consent": True}, teachers.workflow_instance_id)
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, teachers.workflow_instance_id)
    s.refresh(teachers)
    assert teachers.group.mentor_id == p["orlov"].id
    [order] = s.scalars(select(Order).where(Order.type == "mentor_replacement"))
    assert order.status == "signed" and "на основании ходатайства наставляемого о замене наставника" in order.body
    assert "В соответствии с п. 6.2 Положения о наставничестве МАОУ Кунарской СОШ" in order.body  # 001 §6.2
    assert "при невозможности установления личного контакта с наставником" in order.body
    assert "Закрепить наставником" in order.body and "Орлов Игорь Петрович" in order.body
    assert world.task(p["orlov"], FormId.STAGE_WORK, teachers.workflow_instance_id)  # the work passes to him

    # monitoring by 20 December (001 §2.4): the task opens two weeks before, due on the date
    world.advance_to(date(2025, 12, 5))
    assert not [t for t in world.tasks(world.curator) if t.form_id == FormId.MONITORING_REPORT]
    world.advance_to(date(2025, 12, 6))
    task = world.task(world.curator, FormId.MONITORING_REPORT)
    assert task.due_at.date() == date(2025, 12, 20)
    with pytest.raises(NastavnikError, match=r"выводы мониторинга"):
        calendar.file_monitoring_report(s, curator, task.instance_id, task.task_id, "  ")
    s.rollback()
    calendar.file_monitoring_report(s, curator, task.instance_id, task.task_id,
                                    "Обе пары работают; замена наставника по ходатайству (001 §6.2) проведена.")
    s.commit()
    [december] = s.scalars(select(CalendarReport))
    assert (december.kind, december.due_on, december.filed_on) == ("monitoring", date(2025, 12, 20), date(2025, 12, 6))
    assert december.body["by_form"] == {"teacher_student": 1, "teacher_teacher": 1}
    assert december.body["mentees_by_kind"] == {"pedagogue": 1, "student": 1}
    assert december.body["programs"] | {"overdue_ids": []} == {
        "total": 2, "running": 2, "on_time": 2, "overdue": 0, "finished": 0, "finished_on_time": 0, "overdue_ids": []}
    assert december.body["petitions"] == {"filed": {"mentor_replacement": 1}, "replacements_ordered": 1}
    slots = {slot.day.id: slot.due_on for slot in calendar.calendar_slots(s, world.organization)}
    assert slots["monitoring_december"] == date(2026, 12, 20)  # next year's

    # the second stage: the student's pair on time, the teachers' pair late at the May monitoring
    world.advance_to(date(2026, 5, 4))
    stage(world, pupil, p["petrova"])
    world.advance_to(date(2026, 5, 18))
    task = world.task(world.curator, FormId.MONITORING_REPORT)
    assert task.due_at.date() == date(2026, 5, 20)
    calendar.file_monitoring_report(s, curator, task.instance_id, task.task_id,
                                    "Пара «учитель – учитель» не отчиталась по второму этапу в срок.")
    s.commit()
    may = s.scalars(select(CalendarReport).order_by(CalendarReport.id.desc())).first()
    assert (may.calendar_id, may.due_on) == ("monitoring_may", date(2026, 5, 20))
    assert may.body["programs"]["overdue_ids"] == [teachers.id] and may.body["programs"]["on_time"] == 1

    # both programs complete (the school's completion order)
    stage(world, teachers, p["orlov"])
    for program, mentor in ((teachers, p["orlov"]), (pupil, p["petrova"])):
        stage(world, program, mentor)
        world.complete(world.curator, FormId.COMPLETE_PROGRAM,
                       {"final_report": "Индивидуальный план выполнен, результаты представлены.",
                        "completion_ground": "plan_completed", "reopen_stage": False},
                       program.workflow_instance_id)
        world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, program.workflow_instance_id)
        s.refresh(program)
        assert program.status == "completed"

    # the base of mentors and mentees a year on (001 §4.2; yearly by 15 September: the school's choice)
    world.advance_to(date(2026, 9, 1))
    task = world.task(world.curator, FormId.BASE_REVIEW)
    assert task.due_at.date() == date(2026, 9, 15)
    zaitseva = s.scalar(select(Mentee).where(Mentee.person_id == p["zaitseva"].id))
    appointments = {a.person_id: a.id for a in s.scalars(select(MentorAppointment))}
    keys = {"petrova": f"mentor:{appointments[p['petrova'].id]}", "orlov": f"mentor:{appointments[p['orlov'].id]}",
            "zaitseva": f"mentee:{zaitseva.id}"}
    with pytest.raises(NastavnikError, match=r"не рассмотрены записи базы: Зайцева Полина \(наставляемый\)"):
        calendar.file_base_review(s, curator, task.instance_id, task.task_id, [
            {"entry": keys["petrova"], "action": "confirm"}, {"entry": keys["orlov"], "action": "confirm"}])
    s.rollback()
    with pytest.raises(NastavnikError, match="укажите, что исправлено"):
        calendar.file_base_review(s, curator, task.instance_id, task.task_id, [
            {"entry": keys["petrova"], "action": "confirm"}, {"entry": keys["orlov"], "action": "update"},
            {"entry": keys["zaitseva"], "action": "confirm"}])
    s.rollback()
    calendar.file_base_review(s, curator, task.instance_id, task.task_id, [
        {"entry": keys["petrova"], "action": "confirm"},
        {"entry": keys["orlov"], "action": "update", "note": "Срок назначения истёк 31.08.2026; перешёл в другую школу."},
        {"entry": keys["zaitseva"], "action": "update", "withdraw": True, "note": "Переведена в другую школу."}],
        "База сверена перед новым учебным годом.")
    s.commit()
    s.refresh(zaitseva)
    assert zaitseva.status == "withdrawn"
    review = s.scalars(select(CalendarReport).where(CalendarReport.kind == "base_review")).one()
    assert (review.body["confirmed"], review.body["updated"], review.due_on) == (1, 2, date(2026, 9, 15))
    audited = sorted((e.action, e.details["entry"]) for e in s.scalars(
        select(AuditEntry).where(AuditEntry.action.like("base_review.%"))))
    assert audited == sorted([("base_review.confirmed", keys["petrova"]), ("base_review.updated", keys["orlov"]),
                              ("base_review.updated", keys["zaitseva"])])
    assert {i.status for i in s.scalars(select(WorkflowInstance).where(WorkflowInstance.kind == "calendar"))} == {
        "running"}  # next year's dates wait
