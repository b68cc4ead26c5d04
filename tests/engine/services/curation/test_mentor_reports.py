"""The mentors' reports by 10 June and 10 December (003 п. 3 of the order): the worker opens one report task per mentor
appointed on the opening day, two weeks ahead, however often it runs; the mentor is reminded, files a report
prefilled from his programs' events, and a report not filed by the date goes to the curator; a mentor appointed after
the opening day files nothing for that date (engine.services.curation.mentor_reports)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.bootstrap import build_job_table
from engine.db.models import MentorPeriodReport, Notification, OpenTask, WorkflowInstance
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import pack
from engine.services.curation import mentor_report_overview, mentor_report_period, mentor_reports
from engine.services.jobs.runner import run_jobs
from engine.services.jobs.scheduler import tick

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def worker(demo, day: date) -> None:
    """The worker's tick on ``day`` (09:00 UTC, 16:00 in Tomsk): its sweeps' jobs run (timers, the reports' day)."""
    now = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    demo.clock.set(now)
    table = build_job_table()
    run_jobs(demo.session, table, tick(demo.session, table, now), now=now)
    demo.session.expire_all()


def reports(demo, due: date) -> dict[str, MentorPeriodReport]:
    names = {person.id: login for login, person in demo.world.people.items()}
    rows = demo.session.scalars(select(MentorPeriodReport).where(MentorPeriodReport.due_on == due))
    found: dict[str, MentorPeriodReport] = {}
    for row in rows:
        assert names[row.mentor_id] not in found, "one report per mentor and date"
        found[names[row.mentor_id]] = row
    return found


def open_forms(demo, login: str) -> list[str]:
    return sorted(t.form_id for t in demo.session.scalars(select(OpenTask).where(
        OpenTask.assignee_id == demo.person_id(login))))


def test_the_tomsk_pack_names_the_two_dates_of_the_order():
    dates = pack("tomsk").periodic_reports()
    assert [(d.id, d.month, d.day, d.report_by, d.clause) for d in dates] == [
        ("mentor_report_june", 6, 10, "mentor", "003 п. 3"), ("mentor_report_december", 12, 10, "mentor", "003 п. 3")]
    assert mentor_report_period.period_from(dates, date(2025, 6, 10)) == date(2024, 12, 11)
    assert mentor_report_period.period_from(dates, date(2025, 12, 10)) == date(2025, 6, 11)
    assert pack("tomsk").calendar_tasks() == ()  # the curator's calendar (001 §2.4) is not started for them
    assert pack("school").periodic_reports() == ()


@BOTH
def test_each_mentor_reports_once_per_period_reminded_and_escalated(demo, db_session):  # noqa: PLR0915 - a year told
    s = db_session
    demo.appoint("volkov")
    demo.appoint("morozova")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    demo.clock.set(datetime(2025, 2, 3, 9, 0, tzinfo=UTC))
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    demo.complete("volkov", FormId.STAGE_WORK, {"events_done": events, "report": "Мероприятия этапа проведены."},
                  program.workflow_instance_id)
    demo.clock.set(datetime(2025, 2, 5, 9, 0, tzinfo=UTC))
    demo.complete("curator", FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": ""},
                  program.workflow_instance_id)

    # 26 May: the task for 10 June opens tomorrow (two weeks ahead) — nothing yet
    worker(demo, date(2025, 5, 26))
    assert reports(demo, date(2025, 6, 10)) == {}

    # 27 May: one task per mentor appointed that day, however many times the worker runs
    worker(demo, date(2025, 5, 27))
    worker(demo, date(2025, 5, 27))
    assert mentor_reports.open_due_reports(s, datetime(2025, 5, 28, 9, 0, tzinfo=UTC)) == 0
    june = reports(demo, date(2025, 6, 10))
    assert sorted(june) == ["morozova", "volkov"]
    assert {r.opened_on for r in june.values()} == {date(2025, 5, 27)}
    assert {r.period_from for r in june.values()} == {date(2024, 12, 11)}
    task = demo.task("volkov", FormId.MENTOR_PERIOD_REPORT)
    assert task.due_at.date() == date(2025, 6, 10) and task.assignee_id == demo.person_id("volkov")
    assert s.scalar(select(Notification).where(Notification.person_id == demo.person_id("volkov"),
                                               Notification.instance_id == task.instance_id)) is not None
    prefill = s.get(WorkflowInstance, task.instance_id)
    [prefilled] = mentor_report_period.mentor_programs(s, demo.department_id, demo.person_id("volkov"),
                                                       date(2024, 12, 11), date(2025, 6, 10))
    assert prefilled["program_id"] == program.id and prefilled["mentees"] == ["Новикова Мария Андреевна"]
    assert [e["number"] for e in prefilled["events_held"]] == events
    assert {e["done_on"] for e in prefilled["events_held"]} == {"2025-02-03"}
    [stage] = prefilled["stages_approved"]  # the stage report the curator approved in the period
    assert stage["approved_on"] == "2025-02-05" and stage["stage_id"] == program.events[0].stage_id and stage["title"]
    assert prefill.subject["mentor_id"] == demo.person_id("volkov")

    # appointed after the opening day: nothing for 10 June
    demo.clock.set(datetime(2025, 5, 30, 9, 0, tzinfo=UTC))
    demo.appoint("lebedev")
    worker(demo, date(2025, 5, 31))
    assert sorted(reports(demo, date(2025, 6, 10))) == ["morozova", "volkov"]
    assert FormId.MENTOR_PERIOD_REPORT not in open_forms(demo, "lebedev")

    # 7 June: both are reminded, three days ahead
    worker(demo, date(2025, 6, 7))
    for login in ("volkov", "morozova"):
        assert FormId.ACKNOWLEDGE_REMINDER in open_forms(demo, login)

    # Volkov files: every program needs its results; the events held are the roadmap's, not his
    with pytest.raises(NastavnikError, match=r"программа № \d+: напишите результаты"):
        demo.complete("volkov", FormId.MENTOR_PERIOD_REPORT, {"programs": [], "comment": ""})
    s.rollback()
    with pytest.raises(NastavnikError, match="не программа наставника"):
        demo.complete("volkov", FormId.MENTOR_PERIOD_REPORT, {"programs": [{"program_id": "999999", "results": "x"}]})
    s.rollback()
    demo.clock.set(datetime(2025, 6, 8, 9, 0, tzinfo=UTC))
    demo.complete("volkov", FormId.MENTOR_PERIOD_REPORT, {"programs": [{
        "program_id": str(program.id), "results": "Диагностика проведена, план составлен",
        "difficulties": "Нехватка времени", "mentee_progress": "Освоила планирование", "events_held": []}]})
    row = reports(demo, date(2025, 6, 10))["volkov"]
    assert row.filed_on == date(2025, 6, 8)
    [filed] = row.body["programs"]
    assert (filed["results"], filed["difficulties"], filed["mentee_progress"]) == (
        "Диагностика проведена, план составлен", "Нехватка времени", "Освоила планирование")
    assert [e["number"] for e in filed["events_held"]] == events

    # 10 June: Morozova has not filed — the curator is asked to act; Volkov's report is not escalated
    worker(demo, date(2025, 6, 10))
    june = reports(demo, date(2025, 6, 10))
    assert june["morozova"].escalated_on == date(2025, 6, 10) and june["volkov"].escalated_on is None
    overdue = demo.task("curator", FormId.MENTOR_REPORT_OVERDUE)
    assert overdue.instance_id == june["morozova"].workflow_instance_id
    assert [t.instance_id for t in s.scalars(select(OpenTask).where(
        OpenTask.form_id == FormId.MENTOR_REPORT_OVERDUE))] == [june["morozova"].workflow_instance_id]
    view = mentor_report_overview.period_overview(s, demo.actor("curator"), demo.department_id, today=date(2025, 6, 11))
    assert view.due_on == date(2025, 6, 10) and "до 10 июня" in view.label
    assert [(r.mentor, r.state_label) for r in view.rows] == [
        ("Волков Игорь Николаевич", "представлен"), ("Морозова Наталья Ивановна", "не представлен в срок")]
    demo.complete("curator", FormId.MENTOR_REPORT_OVERDUE, {"comment": "Наставнику позвонили, отчёт — до 17 июня"})

    # appointed after 10 June: nothing for June, a task for December with the others
    demo.clock.set(datetime(2025, 6, 15, 9, 0, tzinfo=UTC))
    demo.appoint("sokolova")
    worker(demo, date(2025, 6, 16))
    assert sorted(reports(demo, date(2025, 6, 10))) == ["morozova", "volkov"]
    worker(demo, date(2025, 11, 25))
    assert reports(demo, date(2025, 12, 10)) == {}
    worker(demo, date(2025, 11, 26))
    worker(demo, date(2025, 11, 27))
    december = reports(demo, date(2025, 12, 10))
    assert sorted(december) == ["lebedev", "morozova", "sokolova", "volkov"]
    assert {r.period_from for r in december.values()} == {date(2025, 6, 11)}
    assert open_forms(demo, "sokolova").count(FormId.MENTOR_PERIOD_REPORT) == 1
    assert open_forms(demo, "morozova").count(FormId.MENTOR_PERIOD_REPORT) == 2  # June's is still hers to file
