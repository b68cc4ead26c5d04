"""A mentor's and a mentee's own work: my programs with the steps waiting for them, events of the
current stage marked as a draft, the stage report through the workflow (and again after a return),
reminder / extension agreement / consent steps, petitions with who-may and already-pending checks."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import Consent, OpenTask, Program, StageReport
from engine.demo.story import Demo
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import participant_views as views
from engine.services.mentorship import participant_work as work
from engine.services.mentorship import petitions
from engine.services.mentorship import roadmap_events as events
from engine.services.mentorship.records import participation_consent

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def pair(demo: Demo, mentor: str = "volkov", mentee: str = "novikova") -> Program:
    demo.appoint(mentor)
    demo.register(mentee)
    return demo.form_pair(mentor, mentee)


def forms(session, program: Program) -> list[str]:
    session.expire_all()
    return sorted(t.form_id for t in session.scalars(select(OpenTask).where(
        OpenTask.instance_id == program.workflow_instance_id)))


@BOTH
def test_my_programs_show_the_stage_its_due_date_progress_and_my_steps(demo, db_session):
    program = pair(demo)
    [card] = views.my_programs(db_session, demo.actor("volkov"), clock=demo.clock)
    assert card.program.id == program.id and card.my_role == "mentor"
    assert card.stage.id == "diagnosis" and card.stage.report_form == "Информационная справка"
    assert card.stage_due_on.isoformat() == "2025-02-15"
    assert (card.events_done, card.stage_events_done) == (0, 0) and card.stage_events_total == 4
    assert [t.task.form_id for t in card.tasks] == ["stage_work"] and not card.tasks[0].overdue
    [mentee_card] = views.my_programs(db_session, demo.actor("novikova"), clock=demo.clock)
    assert mentee_card.my_role == "mentee" and mentee_card.tasks == []
    assert views.my_programs(db_session, demo.actor("curator")) == []
    demo.advance(40)  # past the stage's due date
    [late] = views.my_programs(db_session, demo.actor("volkov"), clock=demo.clock)
    assert late.stage_overdue and any(t.overdue for t in late.tasks if t.task.form_id == "stage_work")


@BOTH
def test_events_marked_as_a_draft_then_the_report_sends_them(demo, db_session):
    s = db_session
    program = pair(demo)
    volkov = demo.actor("volkov")
    first, second = [e for e in program.events if e.stage_id == "diagnosis"][:2]
    events.mark_event(s, volkov, program.id, first.id, done=True, held_on=date(2025, 1, 15), note="встреча 15.01",
                      clock=demo.clock)
    events.mark_event(s, volkov, program.id, second.id, done=True, held_on=date(2025, 1, 15), note="",
                      clock=demo.clock)
    events.mark_event(s, volkov, program.id, second.id, done=False, note="перенесено", clock=demo.clock)
    s.commit()
    assert (first.status, first.note, first.done_on.isoformat()) == ("done", "встреча 15.01", "2025-01-15")
    assert (second.status, second.note, second.done_on) == ("planned", "перенесено", None)
    assert forms(s, program) == ["stage_work"]  # a draft: the process still waits
    report = work.submit_stage_report(s, volkov, program.id, "  Информационная справка по этапу  ",
                                      clock=demo.clock)
    s.commit()
    assert (report.status, report.attempt, report.body) == ("submitted", 1, "Информационная справка по этапу")
    assert forms(s, program) == ["review_stage_report"]
    with pytest.raises(ConflictError, match="на проверке"):  # locked while the curator reviews
        events.mark_event(s, volkov, program.id, second.id, done=True, held_on=date(2025, 1, 15), clock=demo.clock)
    demo.complete("curator", "review_stage_report", {"approved": False, "comment": "Нет мероприятия 1.2"},
                  program.workflow_instance_id)
    view = views.stage_work(s, volkov, program.id, clock=demo.clock)
    assert view.latest_report.status == "returned" and view.latest_report.review_comment == "Нет мероприятия 1.2"
    assert view.editable and view.task("stage_work") is not None
    events.mark_event(s, volkov, program.id, second.id, done=True, held_on=date(2025, 1, 15), note="проведено",
                      clock=demo.clock)
    again = work.submit_stage_report(s, volkov, program.id, "исправлено", expected_version=view.instance_version,
                                     clock=demo.clock)
    s.commit()
    assert again.attempt == 2 and again.status == "submitted" and forms(s, program) == ["review_stage_report"]
    demo.complete("curator", "review_stage_report",  # 2 of 4 done: accepted only with the reason (issue 10)
                  {"approved": True, "comment": "1.3 и 1.4 переносятся на этап 2"}, program.workflow_instance_id)
    s.refresh(program)
    assert program.current_stage_id == "consultation"
    with pytest.raises(ConflictError, match="текущему этапу"):
        events.mark_event(s, volkov, program.id, first.id, done=False, note="", clock=demo.clock)


@SQLITE
def test_only_participants_mark_events_only_the_mentor_reports_and_stale_pages_conflict(demo, db_session):
    s = db_session
    program = pair(demo)
    event = program.events[0]
    assert views.require_role_in_program(s, demo.actor("novikova"), program.id, "mentor", "mentee") is program
    with pytest.raises(PermissionDenied):
        views.require_role_in_program(s, demo.actor("novikova"), program.id, "mentor")
    for login in ("curator", "head"):
        with pytest.raises(PermissionDenied):
            events.mark_event(s, demo.actor(login), program.id, event.id, done=True, note="")
    with pytest.raises(NotFound):
        events.mark_event(s, demo.actor("volkov"), program.id, 999999, done=True, note="")
    with pytest.raises(NastavnikError, match="длиннее"):
        events.mark_event(s, demo.actor("volkov"), program.id, event.id, done=True, held_on=date(2025, 1, 15),
                          note="x" * 5000)
    with pytest.raises(NastavnikError, match="текст отчёта"):
        work.submit_stage_report(s, demo.actor("volkov"), program.id, "   ")
    with pytest.raises(ConflictError):
        work.submit_stage_report(s, demo.actor("volkov"), program.id, "справка", expected_version=-1)
    assert s.scalars(select(StageReport)).all() == []


@SQLITE
def test_reminder_and_extension_agreement_steps(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    demo.advance(17)  # the reminder 14 days before the stage's due date
    [reminder] = [t.task for t in views.stage_work(s, demo.actor("volkov"), program.id).tasks
                  if t.task.form_id == "acknowledge_reminder"]
    with pytest.raises(PermissionDenied):  # the page's form completes only its own kind of step
        work.agree_extension(s, demo.actor("volkov"), iid, reminder.task_id, agreed=True, comment="")
    work.acknowledge_reminder(s, demo.actor("volkov"), iid, reminder.task_id, "готовлю", clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["stage_work"]
    petitions.file_petition(s, demo.actor("novikova"), program.id, "extension", reason="болезнь", months=3,
                       clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["agree_extension"]
    task = s.scalar(select(OpenTask).where(OpenTask.instance_id == iid))
    with pytest.raises(NotFound):  # the mentor's step, not the mentee's
        work.agree_extension(s, demo.actor("novikova"), iid, task.task_id, agreed=True, comment="")
    with pytest.raises(NastavnikError, match="почему"):
        work.agree_extension(s, demo.actor("volkov"), iid, task.task_id, agreed=False, comment="")
    work.agree_extension(s, demo.actor("volkov"), iid, task.task_id, agreed=True, comment="", clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["petition_extension"]  # novikova petitioned: her petition is her consent


@SQLITE
def test_consent_to_a_pair_records_the_personal_data_consent(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    demo.register("novikova")
    instance = mentorship.propose_pair(s, demo.actor("curator"), demo.department_id, demo.person_id("volkov"),
                                       [demo.person_id("novikova")], clock=demo.clock)
    s.commit()
    [request] = views.consent_requests(s, demo.actor("volkov"))
    assert request.my_role == "mentor" and request.group.mentor_id == demo.person_id("volkov")
    assert views.consent_requests(s, demo.actor("novikova")) == []  # the mentor answers first
    assert views.consent_request(s, demo.actor("volkov"), instance.id, request.task.task_id).group.id == request.group.id
    with pytest.raises(PermissionDenied):
        views.consent_request(s, demo.actor("novikova"), instance.id, request.task.task_id)
    with pytest.raises(NotFound):
        views.consent_request(s, demo.actor("volkov"), instance.id, "no-such-task")
    with pytest.raises(NastavnikError, match="152-ФЗ"):
        work.give_consent(s, demo.actor("volkov"), instance.id, request.task.task_id, consent=True,
                          personal_data=False, comment="")
    work.give_consent(s, demo.actor("volkov"), instance.id, request.task.task_id, consent=True,
                      personal_data=True, comment="", clock=demo.clock)
    s.commit()
    given = {c.kind: c.text for c in s.scalars(select(Consent).where(Consent.person_id == demo.person_id("volkov")))}
    # what the page showed is what is kept: 003 §3.2's words, agreeing with Волков Игорь Николаевич
    assert given["participation"] == participation_consent("Волков Игорь Николаевич")
    assert given["participation"].startswith("Согласен на участие в наставнической паре (группе) и на возложение на "
                                             "меня дополнительных обязанностей, связанных с наставнической")
    assert given["personal_data"] == work.PERSONAL_DATA_CONSENT
    [mentee_request] = views.consent_requests(s, demo.actor("novikova"))
    with pytest.raises(NastavnikError, match="причину"):
        work.give_consent(s, demo.actor("novikova"), instance.id, mentee_request.task.task_id, consent=False,
                          personal_data=False, comment="")
    work.give_consent(s, demo.actor("novikova"), instance.id, mentee_request.task.task_id, consent=False,
                      personal_data=False, comment="перехожу на другую работу", clock=demo.clock)
    s.commit()
    assert s.scalars(select(Consent).where(Consent.person_id == demo.person_id("novikova"))).all() == []
