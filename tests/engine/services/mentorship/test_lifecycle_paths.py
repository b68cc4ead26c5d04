"""The program lifecycle (003 §7, appendices 1-4) driven through its workflow with the demo driver:
stages and returned reports, reminders and escalation on the clock, early completion on each ground,
extension, mentor replacement and release, refused orders, permissions, and state that survives the
Python process."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db.models import (
    Decision,
    MentorAppointment,
    OpenTask,
    Order,
    Program,
    StageReport,
    WorkflowInstance,
    add_months,
)
from engine.demo.story import Demo
from engine.errors import NastavnikError, PermissionDenied
from engine.services.mentorship import lifecycle
from engine.services.orders import register as orders
from engine.services.people.actor import load_actor
from engine.services.process import instances
from tests import factories as f

MODELS = [("volkov", "novikova", "tomsk_new_head"), ("morozova", "fedorov", "tomsk_reservist"),
          ("lebedev", "egorova", "tomsk_low_results_school"), ("sokolova", "pavlov", "tomsk_low_efficiency_head")]
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
RESTART = Path(__file__).parents[1] / "restart_program.py"


def pair(demo: Demo, mentor: str = "volkov", mentee: str = "novikova") -> Program:
    demo.appoint(mentor)
    demo.register(mentee)
    return demo.form_pair(mentor, mentee)


def open_forms(session, program: Program) -> list[tuple[str, int | None]]:
    session.expire_all()
    rows = session.scalars(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id)
                           .order_by(OpenTask.id))
    return sorted((row.form_id, row.assignee_id) for row in rows)


def stage_events(program: Program) -> list[str]:
    return [e.number for e in program.events if e.stage_id == program.current_stage_id]


def program_orders(session, program: Program) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.workflow_instance_id == program.workflow_instance_id)
                                .order_by(Order.id)))


def other_department(session):
    """Another department with its own curator and head."""
    dep = f.make_department(session)
    curator, head = f.make_person(session), f.make_person(session)
    f.make_role(session, curator, dep, "curator")
    f.make_role(session, head, dep, "head")
    session.commit()
    return load_actor(session, curator.login), load_actor(session, head.login)


def complete_as(demo: Demo, actor, form: str, program: Program, data: dict):
    task = next(t for t in demo.session.scalars(select(OpenTask).where(
        OpenTask.instance_id == program.workflow_instance_id, OpenTask.form_id == form)))
    return instances.complete_task(demo.session, actor, program.workflow_instance_id, task.task_id, data,
                                   clock=demo.clock)


# -- stages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("model", MODELS[:1], ids=lambda m: m[2])
def test_four_stages_each_with_a_returned_report(demo, db_session, model):
    _run_four_stages_with_returns(demo, db_session, *model)


@SQLITE
@pytest.mark.parametrize("model", MODELS[1:], ids=lambda m: m[2])
def test_four_stages_each_with_a_returned_report_other_models(demo, db_session, model):
    _run_four_stages_with_returns(demo, db_session, *model)


def _run_four_stages_with_returns(demo: Demo, s, mentor: str, mentee: str, roadmap_id: str) -> None:
    program = pair(demo, mentor, mentee)
    iid = program.workflow_instance_id
    assert program.roadmap_id == roadmap_id and program.status == "active"
    stages = []
    while program.current_stage_id not in stages:
        stage = program.current_stage_id
        stages.append(stage)
        events = stage_events(program)
        demo.complete(mentor, "stage_work", {"events_done": events[:-1], "report": "справка"}, iid)
        version = s.get(WorkflowInstance, iid).version
        with pytest.raises(NastavnikError, match="комментарий"):  # a return needs a comment
            demo.complete("curator", "review_stage_report", {"approved": False, "comment": "  "}, iid)
        s.expire_all()
        assert s.get(WorkflowInstance, iid).version == version
        assert open_forms(s, program) == [("review_stage_report", None)]
        assert [r.status for r in program.reports if r.stage_id == stage] == ["submitted"]
        demo.complete("curator", "review_stage_report", {"approved": False, "comment": f"нет {events[-1]}"}, iid)
        assert open_forms(s, program) == [("stage_work", demo.person_id(mentor))]
        demo.complete(mentor, "stage_work", {"events_done": events, "report": "справка, исправлено"}, iid)
        demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
        s.refresh(program)
        assert [(r.attempt, r.status) for r in program.reports if r.stage_id == stage] == [(1, "returned"),
                                                                                         (2, "approved")]
        if demo.has_task("curator", "complete_program", iid):
            break
    assert len(stages) == 4
    assert all(e.status == "done" for e in program.events)
    demo.finish(program)
    s.refresh(program)
    assert program.status == "completed" and program.completion_ground == "plan_completed"
    [order] = program_orders(s, program)
    assert order.type == "completion" and orders.verify(order)
    bonus = s.scalar(select(Decision).where(Decision.program_id == program.id))
    assert bonus.ruleset_id == "mentor_bonus_tomsk" and bonus.body["outputs"]["bonus_salaries"] == 3
    assert s.get(WorkflowInstance, iid).status == "completed" and open_forms(s, program) == []


# -- the clock: reminder before the due date, escalation after it ------------------------------

@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_reminder_before_the_due_date_and_escalation_after_it(demo, db_session):
    s = db_session
    program = pair(demo)  # 2025-01-15 09:00; diagnosis due 2025-02-15, reminder 14 days before
    iid, mentor = program.workflow_instance_id, demo.person_id("volkov")
    assert demo.stage_due(program).isoformat() == "2025-02-15"
    demo.advance(16)  # 2025-01-31
    assert open_forms(s, program) == [("stage_work", mentor)]
    demo.advance(1)  # 2025-02-01: the reminder
    assert open_forms(s, program) == [("acknowledge_reminder", mentor), ("stage_work", mentor)]
    assert not demo.has_task("curator", "handle_escalation", iid)
    demo.complete("volkov", "acknowledge_reminder", {"comment": "готовлю отчёт"}, iid)
    demo.advance(13)  # 2025-02-14: still before the due date
    assert open_forms(s, program) == [("stage_work", mentor)]
    demo.advance(1)  # 2025-02-15: overdue -> the curator
    assert demo.has_task("curator", "handle_escalation", iid)
    assert open_forms(s, program) == [("handle_escalation", None), ("stage_work", mentor)]
    demo.complete("curator", "handle_escalation", {"comment": "напомнили наставнику"}, iid)
    assert demo.advance(30) == 0  # fired once, not again
    assert open_forms(s, program) == [("stage_work", mentor)]
    demo.stage(program, "volkov")  # the late stage is still reported and approved
    s.refresh(program)
    assert program.current_stage_id == "consultation"


# -- early completion (003 §7.1) ----------------------------------------------------------------

@SQLITE
@pytest.mark.parametrize(("who", "ground", "status"), [
    ("volkov", "participants_initiative", "completed_early"),
    ("curator", "improper_execution", "terminated"),
])
def test_early_completion_from_stage_2_on_each_ground(demo, db_session, who, ground, status):
    s = db_session
    program = pair(demo)
    demo.stage(program, "volkov")
    s.refresh(program)
    assert program.current_stage_id == "consultation"
    lifecycle.petition(s, demo.actor(who), program.id, "early_completion", {"ground": ground, "reason": "причина"},
                       clock=demo.clock)
    s.commit()
    if who != "curator":  # the curator's own initiative is her decision: straight to the head (issue 10)
        assert open_forms(s, program) == [("decide_petition", None)]  # the stage stopped (interrupting)
        demo.complete("curator", "decide_petition", {"approved": True, "comment": "обосновано"},
                      program.workflow_instance_id)
    demo.advance(1)
    demo.complete("head", "sign_order", {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    assert (program.status, program.completion_ground) == (status, ground)
    assert program.completed_on == demo.clock.now().date()
    [order] = program_orders(s, program)
    assert order.type == "completion" and order.status == "signed" and orders.verify(order)
    assert s.get(WorkflowInstance, program.workflow_instance_id).status == "completed"
    assert open_forms(s, program) == []


@SQLITE
def test_who_may_petition_for_early_completion(demo, db_session):
    s = db_session
    program = pair(demo)
    demo.appoint("morozova")
    before = s.get(WorkflowInstance, program.workflow_instance_id).version
    with pytest.raises(NastavnikError, match="improper_execution"):
        lifecycle.petition(s, demo.actor("curator"), program.id, "early_completion",
                           {"ground": "participants_initiative", "reason": "x"}, clock=demo.clock)
    for outsider in ("morozova", "kozlov", "head"):  # another mentor, a non-participant, staff but not curator
        with pytest.raises(PermissionDenied):
            lifecycle.petition(s, demo.actor(outsider), program.id, "early_completion",
                               {"ground": "plan_completed", "reason": "x"}, clock=demo.clock)
    with pytest.raises(PermissionDenied):  # a mentee cannot ask for the mentor's release
        lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_release", {"reason": "x"}, clock=demo.clock)
    s.expire_all()
    assert s.get(WorkflowInstance, program.workflow_instance_id).version == before
    assert open_forms(s, program) == [("stage_work", demo.person_id("volkov"))]


# -- extension (003 §7.2) -----------------------------------------------------------------------

@SQLITE
def test_extension_moves_current_and_later_due_dates(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    demo.stage(program, "volkov")
    s.refresh(program)
    due_before = {e.id: e.due_on for e in program.events}
    end_before = program.planned_end_on

    def ask() -> None:
        lifecycle.petition(s, demo.actor("novikova"), program.id, "extension",
                           {"reason": "болезнь", "extension_months": 2}, clock=demo.clock)
        s.commit()
        demo.complete("volkov", "agree_extension", {"agreed": True}, iid)  # novikova petitioned: not asked again
        demo.complete("curator", "petition_extension",
                      {"petitioned": True, "extension_months": 2, "justification": "ходатайство"}, iid)

    ask()
    with pytest.raises(NastavnikError, match="причину"):  # a refusal needs a reason
        demo.complete("head", "sign_order", {"signed": False}, iid)
    demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "оснований нет"}, iid)
    s.refresh(program)
    assert program.status == "active" and program.planned_end_on == end_before
    assert [(o.type, o.status, o.refusal_reason) for o in program_orders(s, program)] == [
        ("extension", "refused", "оснований нет")]
    assert open_forms(s, program) == [("stage_work", demo.person_id("volkov"))]

    ask()
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert program.status == "extended"
    assert program.planned_end_on == add_months(end_before, 2)
    for event in program.events:
        moved = event.stage_id != "diagnosis"
        assert event.due_on == (add_months(due_before[event.id], 2) if moved else due_before[event.id])
    assert [o.status for o in program_orders(s, program)] == ["refused", "signed"]
    assert open_forms(s, program) == [("stage_work", demo.person_id("volkov"))]
    assert instances.snapshot(s, iid).data["stage_due_at"] == demo.stage_due(program).isoformat()
    demo.stage(program, "volkov")  # and the program goes on
    s.refresh(program)
    assert program.current_stage_id == "activity" and program.status == "extended"


@SQLITE
def test_extension_needs_both_participants(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    with pytest.raises(NastavnikError, match="месяцев"):  # the participants agree to a term: it must be named
        lifecycle.petition(s, demo.actor("volkov"), program.id, "extension", {"reason": "болезнь"}, clock=demo.clock)
    lifecycle.petition(s, demo.actor("volkov"), program.id, "extension", {"reason": "болезнь", "extension_months": 2},
                       clock=demo.clock)
    s.commit()
    demo.complete("novikova", "agree_extension", {"agreed": False, "comment": "не нужно"}, iid)  # volkov petitioned
    s.refresh(program)
    assert program.status == "active" and program_orders(s, program) == []
    assert open_forms(s, program) == [("stage_work", demo.person_id("volkov"))]


# -- mentor replacement and release ------------------------------------------------------------

@SQLITE
def test_mentor_replacement_on_the_mentees_petition(demo, db_session):
    s = db_session
    program = pair(demo)
    demo.appoint("morozova")
    iid = program.workflow_instance_id
    volkov, morozova = demo.person_id("volkov"), demo.person_id("morozova")
    demo.complete("volkov", "stage_work", {"events_done": stage_events(program), "report": "справка"}, iid)
    with pytest.raises(PermissionDenied):  # only the mentee petitions for a new mentor (003 §5.1)
        lifecycle.petition(s, demo.actor("volkov"), program.id, "mentor_replacement", {"reason": "x"}, clock=demo.clock)
    lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_replacement", {"reason": "несовместимость"},
                       clock=demo.clock)
    s.commit()
    assert open_forms(s, program) == [("decide_petition", None), ("review_stage_report", None)]
    with pytest.raises(NastavnikError, match="нового наставника"):
        demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок"}, iid)
    demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок", "new_mentor_id": morozova}, iid)
    demo.complete("morozova", "give_consent", {"consent": True}, iid)  # his written consent (003 §3.2, §6.2)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert program.group.mentor_id == morozova
    [order] = program_orders(s, program)
    assert order.type == "mentor_replacement" and orders.verify(order)
    demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
    s.refresh(program)
    assert open_forms(s, program) == [("stage_work", morozova)]
    task = demo.task("morozova", "stage_work", iid)
    with pytest.raises(PermissionDenied):
        instances.complete_task(s, demo.actor("volkov"), iid, task.task_id,
                                {"events_done": stage_events(program), "report": "x"}, clock=demo.clock)
    demo.stage(program, "morozova")
    s.refresh(program)
    assert program.current_stage_id == "activity"
    assert [r.submitted_by_id for r in program.reports if r.stage_id == "consultation"] == [morozova]
    assert volkov not in program.group.participant_ids()


@SQLITE
def test_replacement_during_stage_work_hands_the_open_task_to_the_new_mentor(demo, db_session):
    s = db_session
    program = pair(demo)
    demo.appoint("morozova")
    iid = program.workflow_instance_id
    lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_replacement", {"reason": "x"}, clock=demo.clock)
    s.commit()
    demo.complete("curator", "decide_petition",
                  {"approved": True, "comment": "ок", "new_mentor_id": demo.person_id("morozova")}, iid)
    demo.complete("morozova", "give_consent", {"consent": True}, iid)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    [task] = s.scalars(select(OpenTask).where(OpenTask.instance_id == iid, OpenTask.form_id == "stage_work"))
    assert task.assignee_id == demo.person_id("morozova")
    instances.complete_task(s, demo.actor("morozova"), iid, task.task_id,
                            {"events_done": stage_events(program), "report": "справка"}, clock=demo.clock)


@SQLITE
def test_replacement_only_by_an_appointed_mentor(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    lifecycle.petition(s, demo.actor("novikova"), program.id, "mentor_replacement", {"reason": "x"}, clock=demo.clock)
    s.commit()
    kozlov = demo.person_id("kozlov")
    with pytest.raises(NastavnikError, match="назначенный приказом"):  # refused at the decision, on every channel
        demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок", "new_mentor_id": kozlov}, iid)


@SQLITE
def test_mentor_release_on_the_mentors_request(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    lifecycle.petition(s, demo.actor("volkov"), program.id, "mentor_release", {"reason": "переезд"}, clock=demo.clock)
    s.commit()
    assert open_forms(s, program) == [("decide_petition", None)]  # her work stops with the request (003 §4.1)
    demo.advance(1)
    demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок"}, iid)
    demo.advance(1)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    [appointment] = s.scalars(select(MentorAppointment).where(MentorAppointment.person_id == demo.person_id("volkov")))
    assert appointment.status == "released" and appointment.release_reason == "переезд"
    assert appointment.released_on == demo.clock.now().date()
    [order] = program_orders(s, program)
    assert order.type == "mentor_release" and orders.verify(order)


@SQLITE
def test_release_is_dated_by_the_workflow_clock_when_steps_share_an_instant(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    lifecycle.petition(s, demo.actor("volkov"), program.id, "mentor_release", {"reason": "переезд"}, clock=demo.clock)
    s.commit()
    demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок"}, iid)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    [appointment] = s.scalars(select(MentorAppointment).where(MentorAppointment.person_id == demo.person_id("volkov")))
    assert appointment.released_on == demo.clock.now().date()


# -- refused completion order ------------------------------------------------------------------

@SQLITE
def test_head_refusing_the_completion_order_sends_it_back(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    for _ in range(4):
        demo.stage(program, "volkov")
        s.refresh(program)
    facts = lifecycle.bonus_facts(s, program, attended_mentor_events=True, analytical_materials=True)
    demo.complete("curator", "complete_program", {"final_report": "отчёт", "bonus_facts": facts,
                                                  "completion_ground": "plan_completed", "reopen_stage": False}, iid)
    assert open_forms(s, program) == [("sign_order", None)]
    demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "доработать отчёт"}, iid)
    s.refresh(program)
    assert program.status == "active"
    assert [(o.type, o.status, o.refusal_reason) for o in program_orders(s, program)] == [
        ("completion", "refused", "доработать отчёт")]
    assert open_forms(s, program) == [("complete_program", None)]
    demo.advance(1)
    demo.finish(program)
    s.refresh(program)
    assert program.status == "completed"
    assert [o.status for o in program_orders(s, program)] == ["refused", "signed"]


# -- permissions --------------------------------------------------------------------------------

@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_only_the_right_people_act(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    other_curator, other_head = other_department(s)
    task = demo.task("volkov", "stage_work", iid)
    with pytest.raises(PermissionDenied):  # the mentee cannot do the mentor's task
        instances.complete_task(s, demo.actor("novikova"), iid, task.task_id,
                                {"events_done": stage_events(program), "report": "x"}, clock=demo.clock)
    demo.complete("volkov", "stage_work", {"events_done": stage_events(program), "report": "справка"}, iid)
    with pytest.raises(PermissionDenied):
        complete_as(demo, other_curator, "review_stage_report", program, {"approved": True, "comment": ""})
    with pytest.raises(PermissionDenied):  # the mentor cannot approve his own report
        complete_as(demo, demo.actor("volkov"), "review_stage_report", program, {"approved": True, "comment": ""})
    demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
    lifecycle.petition(s, demo.actor("novikova"), program.id, "early_completion",
                       {"ground": "participants_initiative", "reason": "x"}, clock=demo.clock)
    s.commit()
    demo.complete("curator", "decide_petition", {"approved": True, "comment": "ок"}, iid)
    for stranger in (other_head, demo.actor("curator")):
        with pytest.raises(PermissionDenied):
            complete_as(demo, stranger, "sign_order", program, {"signed": True})
    s.expire_all()
    assert [o.status for o in program_orders(s, program)] == ["awaiting_signature"]
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert program.status == "completed_early"


# -- the state lives in the database -----------------------------------------------------------

@SQLITE
def test_every_step_restores_from_the_stored_row(demo, db_session_factory):
    reader = db_session_factory()
    checked = []

    def check(_line: str) -> None:
        for instance in reader.scalars(select(WorkflowInstance)):
            reader.refresh(instance)
            snap = instances.snapshot(reader, instance.id)
            assert snap.status == instance.status and snap.version == instance.version
            rows = reader.scalars(select(OpenTask.task_id).where(OpenTask.instance_id == instance.id))
            assert sorted(t.task_id for t in snap.ready_tasks) == sorted(rows)
            if instance.definition.process_id == "program_lifecycle":
                assert instance.state.startswith('{"spec_sha256": ')  # stored without the spec
                checked.append(snap.data.get("stage_index"))
        reader.rollback()

    demo.say = check
    program = pair(demo)
    for _ in range(4):
        demo.stage(program, "volkov")
        demo.session.refresh(program)
    demo.finish(program)
    demo.session.refresh(program)
    assert program.status == "completed"
    assert len(checked) > 10
    reader.close()


@SQLITE
def test_a_program_continues_in_a_new_python_process(db_url, tmp_path):
    def phase(*args: str) -> dict:
        done = subprocess.run([sys.executable, str(RESTART), db_url, *args], capture_output=True, text=True,
                              timeout=120, cwd=Path(__file__).parents[4])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    half = phase("start")
    assert (half["status"], half["stage"]) == ("active", "activity")
    done = phase("finish", half["clock"])
    assert done["program_id"] == half["program_id"] and done["status"] == "completed"
    from engine.db import make_engine, make_session_factory

    engine = make_engine(db_url)
    with make_session_factory(engine)() as s:
        program = s.get(Program, done["program_id"])
        assert program.status == "completed" and all(e.status == "done" for e in program.events)
        reports = s.scalars(select(StageReport).where(StageReport.program_id == program.id))
        assert sorted(r.stage_id for r in reports) == sorted({e.stage_id for e in program.events})
        assert [o.type for o in s.scalars(select(Order).where(Order.status == "signed").order_by(Order.id))] == [
            "appointment_of_mentors", "pair_formation", "completion"]
        assert s.scalar(select(OpenTask.id)) is None
    engine.dispose()
