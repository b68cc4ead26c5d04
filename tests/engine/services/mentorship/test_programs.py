"""A program's records: roadmap events with due dates, stage reports returned and approved, extension
moving due dates (003 §7.2), completion on each ground of 003 §7.1."""
from datetime import date

import pytest

from engine.db.models.program import EventStatus
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.mentorship import programs
from engine.services.people.actor import load_actor
from tests.factories import make_department, make_group, make_person, make_role

START = date(2025, 1, 15)


@pytest.fixture
def setting(db_session):
    department = make_department(db_session)
    curator = make_person(db_session)
    make_role(db_session, curator, department, "curator")
    group = make_group(db_session, organization=department, mentees=1)
    program = programs.create_program(db_session, group, "tomsk_new_head", START)
    return {
        "program": program,
        "mentor": load_actor(db_session, group.mentor.login),
        "mentee": load_actor(db_session, group.members[0].person.login),
        "curator": load_actor(db_session, curator.login),
        "outsider": load_actor(db_session, make_person(db_session).login),
    }


def test_events_copied_from_the_roadmap_with_stage_due_dates(db_session, setting):
    program = setting["program"]
    assert len(program.events) == 22  # 003 прил. 1: 4 + 9 + 7 + 2
    due = {e.stage_id: e.due_on for e in program.events}
    assert due == {"diagnosis": date(2025, 2, 15), "consultation": date(2025, 6, 15),
                   "activity": date(2026, 3, 15), "reflection": date(2026, 4, 15)}
    # the planned end is the program term (003 §1.2.6: 24 months, through the day before), the stages fit inside
    assert program.planned_end_on == date(2027, 1, 14)
    assert program.events[0].name == "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."


def test_stage_plan_for_the_workflow():
    plan = programs.stage_plan("tomsk_low_results_school")
    assert [s["planned_months"] for s in plan] == [1, 4, 9, 1]
    assert [s["id"] for s in plan] == ["diagnosis", "consultation", "activity", "reflection"]


def test_report_returned_with_comment_then_resubmitted_and_approved(db_session, setting):
    program, mentor, curator = setting["program"], setting["mentor"], setting["curator"]
    first = programs.record_stage_work(db_session, mentor, program, "diagnosis", ["1.1", "1.2"], "Справка", on=START)
    assert (first.status, first.attempt, first.form_name) == ("submitted", 1, "Информационная справка")
    with pytest.raises(NastavnikError, match="нужен комментарий"):
        programs.review_stage_report(db_session, curator, program, "diagnosis", approved=False, comment=" ")
    programs.review_stage_report(db_session, curator, program, "diagnosis", approved=False, comment="Нет 1.3")
    assert first.status == "returned" and program.current_stage_id == "diagnosis"
    second = programs.record_stage_work(db_session, mentor, program, "diagnosis", ["1.3", "1.4"], "Исправлено", on=START)
    assert second.attempt == 2
    programs.review_stage_report(db_session, curator, program, "diagnosis", approved=True, comment=None)
    assert second.status == "approved" and program.current_stage_id == "consultation"
    done = [e.number for e in program.events if e.status == EventStatus.DONE]
    assert done == ["1.1", "1.2", "1.3", "1.4"]
    with pytest.raises(ConflictError, match="уже принят"):
        programs.record_stage_work(db_session, mentor, program, "diagnosis", [], "ещё", on=START)


def test_only_participants_report_and_only_the_curator_reviews(db_session, setting):
    program = setting["program"]
    with pytest.raises(PermissionDenied):
        programs.record_stage_work(db_session, setting["outsider"], program, "diagnosis", [], "x", on=START)
    programs.record_stage_work(db_session, setting["mentee"], program, "diagnosis", [], "Справка", on=START)
    with pytest.raises(PermissionDenied, match="куратор"):
        programs.review_stage_report(db_session, setting["mentor"], program, "diagnosis", approved=True, comment=None)


def test_events_of_another_stage_are_refused_naming_the_stage_as_the_roadmap_does(db_session, setting):
    with pytest.raises(NastavnikError, match="2.1 не относятся к этапу «1 ЭТАП") as refused:
        programs.record_stage_work(db_session, setting["mentor"], setting["program"], "diagnosis", ["2.1"], "x", on=START)
    assert "diagnosis" not in str(refused.value)


def test_extension_moves_current_and_later_due_dates(db_session, setting):
    program = setting["program"]
    programs.shift_due_dates(db_session, program, 3, from_stage_id="activity")
    due = {e.stage_id: e.due_on for e in program.events}
    assert due["consultation"] == date(2025, 6, 15)
    assert due["activity"] == date(2026, 6, 15) and due["reflection"] == date(2026, 7, 15)
    assert program.status == "extended" and program.planned_end_on == date(2027, 4, 14)


def test_a_program_started_on_31_january_has_the_workflows_due_dates(db_session, setting):
    """Stage due dates are counted from the start (31.01 + 5 months = 30.06), in the database as in the
    lifecycle process's start data — not step by step (31.01 + 1 = 28.02, + 4 = 28.06)."""
    program = programs.create_program(db_session, setting["program"].group, "tomsk_new_head", date(2027, 1, 31))
    due = {e.stage_id: e.due_on for e in program.events}
    assert due == {"diagnosis": date(2027, 2, 28), "consultation": date(2027, 6, 30),
                   "activity": date(2028, 3, 31), "reflection": date(2028, 4, 30)}
    assert {s["id"]: s["due_at"] for s in programs.schedule("tomsk_new_head", date(2027, 1, 31))} == {
        stage: day.isoformat() for stage, day in due.items()}
    assert program.planned_end_on == date(2029, 1, 30)
    moved = programs.shift_due_dates(db_session, program, 1, from_stage_id="diagnosis")
    due = {e.stage_id: e.due_on for e in program.events}  # moved from the start, not from 28.02: 31.03
    assert due["diagnosis"] == date(2027, 3, 31) and due["consultation"] == date(2027, 7, 31)
    assert [s["due_at"] for s in moved] == [d.isoformat() for d in due.values()]
    assert program.planned_end_on == date(2029, 2, 27)


@pytest.mark.parametrize(("ground", "status"), [("plan_completed", "completed"),
                                            ("participants_initiative", "completed_early"),
                                            ("improper_execution", "terminated")])
def test_completion_grounds(db_session, setting, ground, status):
    program = setting["program"]
    programs.finish_program(db_session, program, ground, on=date(2025, 5, 1))
    assert (program.status, program.completion_ground) == (status, ground)
    with pytest.raises(ConflictError):
        programs.record_stage_work(db_session, setting["mentor"], program, "diagnosis", [], "x", on=START)


def test_unknown_ground(db_session, setting):
    with pytest.raises(NastavnikError, match="003 §7.1"):
        programs.finish_program(db_session, setting["program"], "bored", on=START)
