"""The instance service: steps end to end on both backends, permission in the engine, atomicity,
timers, messages, hooks, the stripped state, and a restart across processes."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Organization, WorkflowInstance, WorkflowTimer, record_audit
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import definitions, instance_state, instance_steps, instances
from engine.services.process.domain import domain_of
from tests import factories as f
from tests.engine.services.conftest import START_DATA, hooked_plan_bytes, plan_bytes

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def started(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    instance = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id,
                                        {"group_id": 1}, START_DATA, clock=clock)
    db_session.commit()
    return instance


@pytest.fixture
def approve_hooks(db_session) -> list:
    """What plan_review's «approve_plan» task also does in a test: the session's domain runs these for
    the hook «approve_plan», which the version of the diagram ``started_with_hooks`` runs on names."""
    added: list = []
    domain_of(db_session).hooks.on_task("approve_plan", lambda step: [hook(step) for hook in list(added)])
    return added


@pytest.fixture
def started_with_hooks(db_session, world, clock, approve_hooks):
    definitions.deploy(db_session, SYSTEM, hooked_plan_bytes(), "plan_review.bpmn")
    instance = instances.start_instance(db_session, SYSTEM, "plan_review", "program", world.org_id,
                                        {"group_id": 1}, START_DATA, clock=clock)
    db_session.commit()
    return instance


def _stored(session_factory, instance_id) -> tuple:
    """Everything a step may change, read in a fresh session."""
    with session_factory() as s:
        row = s.get(WorkflowInstance, instance_id)
        tasks = sorted((t.task_id, t.element_id, t.role, t.assignee_id) for t in row.open_tasks)
        timers = [t.fires_at for t in row.timers]
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
        return row.state, row.version, row.status, tasks, timers, audits


def _task(instance, element_id) -> str:
    return next(t.task_id for t in instance.open_tasks if t.element_id == element_id)


def test_complete_tasks_end_to_end(db_session, db_session_factory, world, started, clock):
    assert (started.version, started.status, started.started_by_id) == (1, "running", None)
    [draft] = started.open_tasks
    assert (draft.element_id, draft.role, draft.organization_id, draft.form_id, draft.name) == \
        ("draft_plan", "mentor", world.org_id, "draft_plan", "Составить план")
    assert [t.task_id for t in instances.list_tasks(db_session, world.mentor)] == [draft.task_id]
    assert instances.list_tasks(db_session, world.curator) == []
    assert instances.list_tasks(db_session, world.other_curator) == []
    assert instances.list_tasks(db_session, SYSTEM) == []

    instances.complete_task(db_session, world.mentor, started.id, draft.task_id, {"plan": "Диагностика"},
                            expected_version=1, clock=clock)
    db_session.commit()
    state, version, status, tasks, timers, _ = _stored(db_session_factory, started.id)
    assert (version, status) == (2, "running")
    assert [(e, r) for _, e, r, _ in tasks] == [("approve_plan", "curator")]
    assert [t.isoformat() for t in timers] == ["2025-01-24T09:00:00+00:00"]  # P14D from the fixed clock
    [approve] = instances.list_tasks(db_session, world.curator)

    clock.advance(timedelta(days=2))
    instances.complete_task(db_session, world.curator, started.id, approve.task_id, {"approved": True}, clock=clock)
    db_session.commit()
    state, version, status, tasks, timers, audits = _stored(db_session_factory, started.id)
    assert (version, status, tasks, timers) == (3, "completed", [], [])
    snap = instances.snapshot(db_session, started.id)
    assert snap.data["plan"] == "Диагностика" and snap.data["score"] == 100 and snap.data["rounds"] == 1
    assert {"draft_plan", "approve_plan", "record", "end_done"} <= snap.completed_element_ids
    actions = db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["workflow.started", "workflow.task_completed", "workflow.task_completed"]
    with pytest.raises(ConflictError):
        instances.complete_task(db_session, world.curator, started.id, approve.task_id, {})


def test_returned_plan_gets_a_new_task(db_session, world, started, clock):
    instances.complete_task(db_session, world.mentor, started.id, _task(started, "draft_plan"), {}, clock=clock)
    instances.complete_task(db_session, world.curator, started.id, _task(started, "approve_plan"),
                            {"approved": False}, clock=clock)
    db_session.commit()
    assert [t.element_id for t in started.open_tasks] == ["draft_plan"]
    assert started.timers == []
    assert instances.snapshot(db_session, started.id).data["rounds"] == 1


def test_permission_in_the_engine(db_session, db_session_factory, world, started, clock):
    draft = _task(started, "draft_plan")
    before = _stored(db_session_factory, started.id)
    for actor in (world.curator, world.other_curator, world.outsider, world.methodologist, SYSTEM):
        with pytest.raises(PermissionDenied):
            instances.complete_task(db_session, actor, started.id, draft, {"plan": "чужой"}, clock=clock)
        assert _stored(db_session_factory, started.id) == before

    instances.complete_task(db_session, world.mentor, started.id, draft, {}, clock=clock)
    db_session.commit()
    with pytest.raises(PermissionDenied):  # the curator of another organization
        instances.complete_task(db_session, world.other_curator, started.id, _task(started, "approve_plan"), {})
    with pytest.raises(NotFound):
        instances.complete_task(db_session, world.mentor, started.id, "no-such-task", {})
    with pytest.raises(NotFound):
        instances.complete_task(db_session, world.mentor, 10**6, draft, {})


def test_assigned_task_only_for_the_assignee(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    organization = db_session.get(Organization, world.org_id)
    other_mentor = f.make_person(db_session)
    f.make_role(db_session, other_mentor, organization, "mentor")
    instance = instances.start_instance(db_session, world.curator, "plan_review", "program", world.org_id,
                                        {"assignees": {"mentor": other_mentor.id}}, START_DATA, clock=clock)
    db_session.commit()
    assert instance.started_by_id == world.curator.person_id
    [task] = instance.open_tasks
    assert task.assignee_id == other_mentor.id
    assert instances.list_tasks(db_session, world.mentor) == []
    with pytest.raises(PermissionDenied):
        instances.complete_task(db_session, world.mentor, instance.id, task.task_id, {})
    assignee = load_actor(db_session, other_mentor.login)
    assert [t.task_id for t in instances.list_tasks(db_session, assignee)] == [task.task_id]
    instances.complete_task(db_session, assignee, instance.id, task.task_id, {}, clock=clock)
    db_session.commit()
    assert [t.element_id for t in instance.open_tasks] == ["approve_plan"]


def test_who_may_start(db_session, world, clock):
    definitions.deploy(db_session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    db_session.commit()
    for actor in (world.mentor, world.other_curator, world.outsider):
        with pytest.raises(PermissionDenied):
            instances.start_instance(db_session, actor, "plan_review", "program", world.org_id, {}, START_DATA)
    with pytest.raises(NotFound):
        instances.start_instance(db_session, SYSTEM, "no_such_process", "program", world.org_id, {}, {})
    assert db_session.scalar(select(func.count()).select_from(WorkflowInstance)) == 0


def test_an_error_in_the_middle_changes_nothing(db_session, db_session_factory, world, started_with_hooks, clock,
                                                approve_hooks):
    started = started_with_hooks
    instances.complete_task(db_session, world.mentor, started.id, _task(started, "draft_plan"), {}, clock=clock)
    db_session.commit()
    approve = _task(started, "approve_plan")
    before = _stored(db_session_factory, started.id)

    with pytest.raises(NastavnikError) as caught:  # the script after the task divides by zero
        instances.complete_task(db_session, world.curator, started.id, approve, {"approved": True, "divisor": 0},
                                clock=clock)
    assert "record" in str(caught.value)
    db_session.commit()  # even a careless commit afterwards saves nothing
    assert _stored(db_session_factory, started.id) == before

    def failing_hook(step):
        session = step.session
        record_audit(session, "domain.effect", object_type="test")
        raise NastavnikError("приказ не сформирован")
    approve_hooks.append(failing_hook)
    with pytest.raises(NastavnikError, match="приказ"):
        instances.complete_task(db_session, world.curator, started.id, approve, {"approved": True}, clock=clock)
    db_session.commit()
    assert _stored(db_session_factory, started.id) == before

    approve_hooks.clear()  # the same session goes on working after the errors
    instances.complete_task(db_session, world.curator, started.id, approve, {"approved": True}, clock=clock)
    db_session.commit()
    assert _stored(db_session_factory, started.id)[2] == "completed"


def test_hooks_see_the_data_and_commit_with_the_step(db_session, world, started_with_hooks, clock, approve_hooks):
    started = started_with_hooks
    seen = []

    def effect(step):
        session, instance, data, task = step.session, step.instance, step.data, step.completed
        seen.append((instance.id, task.element_id, task.role, task.data["approved"], data["approved"], data["score"]))
        record_audit(session, "order.drafted", object_type="order", object_id=instance.id)
    approve_hooks.append(effect)  # run by the hook the approve_plan task names

    instances.complete_task(db_session, world.mentor, started.id, _task(started, "draft_plan"), {}, clock=clock)
    assert seen == []
    instances.complete_task(db_session, world.curator, started.id, _task(started, "approve_plan"),
                            {"approved": True}, clock=clock)
    db_session.commit()
    assert seen == [(started.id, "approve_plan", "curator", True, True, 100)]  # task data includes the form
    assert db_session.scalar(select(func.count()).where(AuditEntry.action == "order.drafted")) == 1


def test_timers_fire_with_a_moved_clock_once(db_session, db_session_factory, world, started, clock):
    instances.complete_task(db_session, world.mentor, started.id, _task(started, "draft_plan"), {}, clock=clock)
    db_session.commit()
    assert instances.fire_timers(db_session, "2025-01-20T00:00:00+00:00") == 0
    assert _stored(db_session_factory, started.id)[1] == 2  # nothing due: untouched
    assert instances.fire_timers(db_session, "2025-01-25T00:00:00Z") == 1
    assert instances.fire_timers(db_session, "2025-01-25T00:00:00Z") == 0
    assert instances.fire_timers(db_session, "2026-01-01T00:00:00Z") == 0
    state, version, status, tasks, timers, _ = _stored(db_session_factory, started.id)
    assert (version, status, tasks, timers) == (3, "completed", [], [])
    snap = instances.snapshot(db_session, started.id)
    assert snap.data["escalated"] is True and snap.data["escalated_at"] == "2025-01-25T00:00:00+00:00"
    assert "end_overdue" in snap.completed_element_ids
    assert db_session.scalar(select(func.count()).select_from(WorkflowTimer)) == 0


def test_messages(db_session, db_session_factory, world, started, clock):
    assert instances.snapshot(db_session, started.id).waiting_messages == ["petition"]
    with pytest.raises(PermissionDenied):
        instances.send_message(db_session, world.other_curator, started.id, "petition", {"reason": "x"})
    before = _stored(db_session_factory, started.id)
    with pytest.raises(NotFound):
        instances.send_message(db_session, world.mentor, started.id, "no_such_message", {})
    assert _stored(db_session_factory, started.id) == before
    assert "spec_sha256" in json.loads(started.state)
    instances.send_message(db_session, world.mentor, started.id, "petition", {"reason": "замена"}, clock=clock)
    db_session.commit()
    # SpiffWorkflow has rewired this instance's spec for the event subprocess: it is kept whole
    assert "spec_sha256" not in json.loads(started.state) and "spec" in json.loads(started.state)["spiff"]
    assert sorted((t.element_id, t.role) for t in started.open_tasks) == \
        [("draft_plan", "mentor"), ("review_petition", "curator")]
    review = _task(started, "review_petition")
    instances.complete_task(db_session, world.curator, started.id, review, {"decision": "отказать"}, clock=clock)
    db_session.commit()
    assert [t.element_id for t in started.open_tasks] == ["draft_plan"]
    instances.complete_task(db_session, world.mentor, started.id, _task(started, "draft_plan"), {}, clock=clock)
    instances.complete_task(db_session, world.curator, started.id, _task(started, "approve_plan"),
                            {"approved": True}, clock=clock)
    db_session.commit()
    snap = instances.snapshot(db_session, started.id)
    assert snap.status == "completed"


def test_stored_state_omits_the_spec_and_round_trips(db_session, world, started, clock):
    runtime = instance_steps.make_runtime(clock)
    stored = started.state
    doc = json.loads(stored)  # still JSON
    assert "spec" not in doc["spiff"] and "subprocess_specs" not in doc["spiff"]
    assert doc["spec_sha256"] == started.definition.bpmn_sha256
    full = instances.unpack_state(stored, started.definition)
    workflow = runtime.deserialize(full)
    assert runtime.serialize(workflow) == full  # restored byte for byte
    assert instances.pack_state(full, started.definition) == stored
    assert json.loads(full)["spiff"]["spec"]["name"] == "plan_review"
    assert len(stored.encode()) * 2 < len(full.encode())
    definitions.clear_cache()  # restoring from the database row alone
    instance_state._spec_texts.clear()
    definition = db_session.get(type(started.definition), started.definition_id)
    assert instances.unpack_state(stored, definition) == full
    other = type(started.definition)(bpmn_sha256="0" * 64, process_id="plan_review", version=9)
    with pytest.raises(NastavnikError):  # a state never goes with another definition
        instances.unpack_state(stored, other)
    assert instances.unpack_state('{"format": "x"}', definition) == '{"format": "x"}'


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_restart_continues_in_another_process(db_url, tmp_path):
    common = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {str(ROOT)!r})
        from engine.bootstrap import bootstrap
        from engine.db import make_engine
        from engine.services.process import instances
        from engine.services.people.actor import load_actor
        session = bootstrap().session_factory(make_engine({db_url!r}))()
    """)
    first = common + textwrap.dedent(f"""
        from engine.db import Base
        from engine.db.migrate import upgrade
        from engine.services.process import definitions
        from engine.services.people.actor import SYSTEM
        from tests import factories as f
        upgrade({db_url!r})
        org = f.make_department(session)
        for login, role in (("mentor1", "mentor"), ("curator1", "curator")):
            f.make_role(session, f.make_person(session, login=login), org, role)
        definitions.deploy(session, SYSTEM, open({str(ROOT / 'tests/engine/services/fixtures/plan_review.bpmn')!r}, "rb").read(), "plan_review.bpmn")
        instance = instances.start_instance(session, SYSTEM, "plan_review", "program", org.id, {{}},
                                            {{"started_on": "2025-01-10", "divisor": 4}})
        session.commit()
        instances.complete_task(session, load_actor(session, "mentor1"), instance.id,
                                instance.open_tasks[0].task_id, {{"plan": "из первого процесса"}})
        session.commit()
        print(json.dumps({{"id": instance.id}}))
    """)
    second = common + textwrap.dedent("""
        curator = load_actor(session, "curator1")
        [task] = instances.list_tasks(session, curator)
        instance = instances.complete_task(session, curator, task.instance_id, task.task_id, {"approved": True})
        session.commit()
        snap = instances.snapshot(session, instance.id)
        print(json.dumps({"status": instance.status, "version": instance.version, "plan": snap.data["plan"],
                          "score": snap.data["score"]}, ensure_ascii=False))
    """)
    out1 = subprocess.run([sys.executable, "-c", first], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out1.returncode == 0, out1.stderr
    out2 = subprocess.run([sys.executable, "-c", second], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out2.returncode == 0, out2.stderr
    assert json.loads(out2.stdout.strip().splitlines()[-1]) == \
        {"status": "completed", "version": 3, "plan": "из первого процесса", "score": 25}
