"""The curator's inbox and step pages through the services on the demo world: due dates and clock times
of open steps, filters, search, pages, the stage report's attempts, returning without a comment refused."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.db import paging
from engine.db.models import AccessLogEntry, OpenTask, Program
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.curation import step_completion, step_page
from engine.services.curation.inbox import InboxFilters, curator_inbox

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def program_with_report(demo, mentor: str = "volkov", mentee: str = "orlova") -> Program:
    """A pair formed, its first stage's events done and the report submitted: waits for the curator."""
    demo.appoint(mentor)
    demo.register(mentee)
    program = demo.form_pair(mentor, mentee)
    events = [e.number for e in program.events if e.stage_id == program.current_stage_id]
    demo.complete(mentor, "stage_work", {"events_done": events, "report": "Информационная справка: диагностика."},
                  program.workflow_instance_id)
    return program


def review_task(session, program: Program) -> OpenTask:
    session.expire_all()
    return session.scalar(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id,
                                                 OpenTask.form_id == "review_stage_report"))


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_open_steps_are_dated_by_the_step_clock_and_due_by_the_stage(demo, db_session):
    program = program_with_report(demo)
    task = review_task(db_session, program)
    stage_due = demo.stage_due(program)
    assert task.due_at == datetime(stage_due.year, stage_due.month, stage_due.day, tzinfo=UTC)
    assert task.created_at == demo.clock.now()  # the engine's clock, not the wall clock
    work = db_session.scalar(select(OpenTask).where(OpenTask.form_id == "sign_order"))
    assert work is None or work.due_at is None  # nothing says when a signature is due


@SQLITE
def test_the_escalation_is_due_by_the_stage_and_overdue_after_it(demo, db_session):
    demo.appoint("volkov")
    demo.register("orlova")
    program = demo.form_pair("volkov", "orlova")
    due = demo.stage_due(program)
    demo.advance((due - demo.clock.now().date()).days + 1)
    escalation = db_session.scalar(select(OpenTask).where(OpenTask.form_id == "handle_escalation"))
    assert escalation.due_at.date() == due
    inbox = curator_inbox(db_session, demo.actor("curator"), InboxFilters(overdue=True), now=demo.clock.now())
    assert [row.task.form_id for row in inbox.rows] == ["handle_escalation"]
    assert inbox.rows[0].overdue
    before = curator_inbox(db_session, demo.actor("curator"), InboxFilters(overdue=True),
                           now=datetime(due.year, due.month, due.day, tzinfo=UTC) - timedelta(days=1))
    assert before.rows == []


@SQLITE
def test_filters_by_school_model_stage_and_text(demo, db_session):
    program = program_with_report(demo)
    curator = demo.actor("curator")
    gymnasium = demo.world.schools["gymnasium6"].id  # Orlova's workplace

    def names(**filters) -> list[str]:
        return [row.task.form_id for row in curator_inbox(db_session, curator, InboxFilters(**filters),
                                                          now=demo.clock.now()).rows]

    assert names() == ["review_stage_report"]
    row = curator_inbox(db_session, curator).rows[0]
    assert row.subject.program.id == program.id
    assert [p.full_name for p in row.subject.mentees] == ["Орлова Ирина Сергеевна"]
    assert [o.id for o in row.subject.schools] == [gymnasium]  # the mentee's school, not the mentor's (school 8)
    assert names(school_id=gymnasium) == ["review_stage_report"]
    assert names(school_id=demo.world.schools["school15"].id) == []
    assert names(school_id=demo.world.schools["school8"].id) == []  # Volkov, the mentor, works there
    assert names(roadmap_id="tomsk_new_head") == ["review_stage_report"]
    assert names(roadmap_id="tomsk_reservist") == []
    assert names(stage_id="diagnosis") == ["review_stage_report"]
    assert names(stage_id="activity") == []
    assert names(query="орлова") == ["review_stage_report"]
    assert names(query="ВОЛКОВ отчёт") == ["review_stage_report"]
    assert names(query="Новикова") == []
    assert names(overdue=True) == []  # the clock is still before the stage's due date


@SQLITE
def test_pages_and_permissions(demo, db_session, monkeypatch):
    program_with_report(demo, "volkov", "orlova")
    program_with_report(demo, "morozova", "fedorov")
    curator = demo.actor("curator")
    first = curator_inbox(db_session, curator, page=1, size=1)
    second = curator_inbox(db_session, curator, page=2, size=1)
    assert (first.total.value, first.total.more, first.pages, second.page) == (2, False, 2, 2)
    assert first.rows[0].task.id != second.rows[0].task.id
    assert curator_inbox(db_session, curator, page=99, size=1).page == 2  # clamped to the last page
    monkeypatch.setattr(paging, "LIST_BOUND", 1)  # a department's thousands of steps: counted up to the bound
    long = curator_inbox(db_session, curator, page=1, size=1)
    assert (long.total.value, long.total.more, long.unfiltered.more, long.pages) == (1, True, True, 1)
    beyond = curator_inbox(db_session, curator, page=2, size=1)  # counted up to its offset + the bound
    assert (beyond.page, beyond.total.value, beyond.total.more) == (2, 2, False)
    assert beyond.rows[0].task.id == second.rows[0].task.id
    with pytest.raises(PermissionDenied):
        curator_inbox(db_session, demo.actor("volkov"))


@SQLITE
def test_returning_needs_a_comment_and_the_resubmitted_report_shows_the_earlier_return(demo, db_session):
    program = program_with_report(demo)
    curator = demo.actor("curator")
    task = review_task(db_session, program)
    version = task.instance.version
    with pytest.raises(NastavnikError) as refused:
        step_completion.complete(db_session, curator, task.instance_id, task.task_id, {"approved": False, "comment": " "},
                               expected_version=version)
    assert refused.value.where == "comment"
    db_session.rollback()
    step_completion.complete(db_session, curator, task.instance_id, task.task_id,
                           {"approved": False, "comment": "Добавьте выводы"}, expected_version=version)
    db_session.commit()
    with pytest.raises(ConflictError):  # the same step again (another curator's stale page)
        step_completion.complete(db_session, curator, task.instance_id, task.task_id, {"approved": True},
                               expected_version=version)
    db_session.rollback()

    events = [e.number for e in program.events if e.stage_id == "diagnosis"]
    demo.complete("volkov", "stage_work", {"events_done": events, "report": "Вторая попытка: выводы добавлены."},
                  program.workflow_instance_id)
    again = review_task(db_session, program)
    page = step_page.task_page(db_session, curator, again.instance_id, again.task_id)
    assert page.latest_report.attempt == 2 and "Вторая попытка" in page.latest_report.body
    earlier = [(r.attempt, r.status, r.review_comment) for r in page.earlier_reports]
    assert earlier == [(1, "returned", "Добавьте выводы")]
    assert page.stage.id == "diagnosis" and len(page.events) == len(events)
    db_session.commit()
    logged = db_session.scalars(select(AccessLogEntry.subject_id).where(AccessLogEntry.viewer_id == curator.person_id))
    assert {demo.person_id("volkov"), demo.person_id("orlova")} <= set(logged)

    step_completion.complete(db_session, curator, again.instance_id, again.task_id, {"approved": True, "comment": ""},
                           expected_version=None)
    db_session.commit()
    db_session.refresh(program)
    assert program.current_stage_id == "consultation"


@SQLITE
def test_a_step_page_is_for_the_curator_of_its_organization(demo, db_session, world):
    program = program_with_report(demo)
    task = review_task(db_session, program)
    with pytest.raises(PermissionDenied):
        step_page.task_page(db_session, demo.actor("volkov"), task.instance_id, task.task_id)
    with pytest.raises(PermissionDenied):
        step_page.task_page(db_session, world.other_curator, task.instance_id, task.task_id)
    with pytest.raises(NotFound):
        step_page.task_page(db_session, demo.actor("curator"), task.instance_id, "no-such-task")


@SQLITE
def test_a_replacement_petition_offers_appointed_mentors_and_refuses_others(demo, db_session):
    from engine.services.mentorship import lifecycle

    program = program_with_report(demo)
    demo.appoint("morozova")
    lifecycle.petition(db_session, demo.actor("orlova"), program.id, "mentor_replacement",
                       {"reason": "переезд наставника"}, clock=demo.clock)
    db_session.commit()
    task = db_session.scalar(select(OpenTask).where(OpenTask.form_id == "decide_petition"))
    curator = demo.actor("curator")
    page = step_page.task_page(db_session, curator, task.instance_id, task.task_id)
    assert page.petition_kind == "replacement" and page.petition["reason"] == "переезд наставника"
    assert [p.login for p in page.mentor_choices] == ["morozova"]  # appointed, not the current mentor
    with pytest.raises(NastavnikError) as refused:
        step_completion.complete(db_session, curator, task.instance_id, task.task_id,
                               {"approved": True, "new_mentor_id": demo.person_id("kozlov")}, expected_version=None)
    assert refused.value.where == "new_mentor_id"
    db_session.rollback()
    step_completion.complete(db_session, curator, task.instance_id, task.task_id,
                           {"approved": True, "new_mentor_id": demo.person_id("morozova"), "comment": "ok"},
                           expected_version=None)
    db_session.commit()
    asked = db_session.scalar(select(OpenTask).where(OpenTask.form_id == "give_consent"))  # his consent first
    assert asked.assignee_id == demo.person_id("morozova")
    assert db_session.scalar(select(OpenTask.form_id).where(OpenTask.form_id == "sign_order")) is None


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_consents_the_pair_waits_for_are_listed_until_given(demo, db_session):
    from engine.services.curation.inbox import awaiting_consents
    from engine.services.mentorship import formation as mentorship

    demo.appoint("volkov")
    demo.register("orlova")
    curator = demo.actor("curator")
    instance = mentorship.propose_pair(db_session, curator, demo.department_id, demo.person_id("volkov"),
                                       [demo.person_id("orlova")], clock=demo.clock)
    db_session.commit()
    later = demo.clock.now() + timedelta(days=3)
    waits = awaiting_consents(db_session, curator, now=later)
    assert [(w.person.login, w.waiting_days) for w in waits] == [("volkov", 3)]  # the mentor consents first
    assert waits[0].subject.mentor.login == "volkov"
    assert [p.login for p in waits[0].subject.mentees] == ["orlova"]
    demo.complete("volkov", "give_consent", {"consent": True}, instance.id)
    assert [w.person.login for w in awaiting_consents(db_session, curator, now=later)] == ["orlova"]
    demo.complete("orlova", "give_consent", {"consent": True}, instance.id)
    assert awaiting_consents(db_session, curator, now=later) == []
    with pytest.raises(PermissionDenied):
        awaiting_consents(db_session, demo.actor("volkov"))
