"""Restored workflows kept between steps (engine.services.process.workflow_cache): the next step of an instance in
this process runs on the workflow it left, without reading the state back — and only while that is exactly the
stored row: a rolled-back step is not kept, a row changed elsewhere (a higher version) or behind the ORM (the same
version, another text) is read from the database, and the cache stays within its size."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from engine.db.models import WorkflowInstance
from engine.services.people.actor import SYSTEM
from engine.services.process import definitions, instances, workflow_cache
from engine.workflow import WorkflowRuntime
from engine.workflow.spiff.spec_pool import shape_of
from tests.engine.services.conftest import START_DATA, plan_bytes


@pytest.fixture
def cache(monkeypatch) -> workflow_cache.WorkflowCache:
    fresh = workflow_cache.WorkflowCache(8)
    monkeypatch.setattr(workflow_cache, "_cache", fresh)
    return fresh


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """One entry per state read back into a workflow (``WorkflowRuntime.deserialize``)."""
    counted: list[int] = []
    original = WorkflowRuntime.deserialize

    def counting(self, text, spec=None):
        counted.append(1)
        return original(self, text, spec)
    monkeypatch.setattr(WorkflowRuntime, "deserialize", counting)
    return counted


def _start(session, world, clock) -> WorkflowInstance:
    definitions.deploy(session, SYSTEM, plan_bytes(), "plan_review.bpmn")
    instance = instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {"group_id": 1},
                                        START_DATA, clock=clock)
    session.commit()
    return instance


def _task(session, instance_id: int, element_id: str) -> str:
    row = session.get(WorkflowInstance, instance_id)
    return next(t.task_id for t in row.open_tasks if t.element_id == element_id)


def _run_plan(session, world, clock) -> int:
    instance = _start(session, world, clock)
    instances.complete_task(session, world.mentor, instance.id, _task(session, instance.id, "draft_plan"),
                            {"plan": "Диагностика"}, clock=clock)
    session.commit()
    instances.complete_task(session, world.curator, instance.id, _task(session, instance.id, "approve_plan"),
                            {"approved": False}, clock=clock)
    session.commit()
    return instance.id


def _seen(session, instance_id: int) -> tuple:
    snap = instances.snapshot(session, instance_id)
    return (snap.version, snap.status, snap.data, sorted(t.element_id for t in snap.ready_tasks),
            sorted(snap.completed_element_ids))


def test_the_next_step_runs_on_the_kept_workflow_and_stores_what_a_read_back_one_would(
        db_session, world, clock, cache, reads, monkeypatch):
    warm = _run_plan(db_session, world, clock)
    assert len(reads) == 0  # started here, then each step found the workflow its predecessor left
    assert cache.hits == 2 and len(cache) == 1
    monkeypatch.setattr(workflow_cache, "_cache", workflow_cache.WorkflowCache(0))  # off: every step reads back
    cold = _run_plan(db_session, world, clock)
    assert len(reads) == 2
    assert {**dict(enumerate(_seen(db_session, warm)))} == {**dict(enumerate(_seen(db_session, cold)))}


def test_a_rolled_back_step_is_not_kept(db_session, world, clock, cache, reads):
    instance = _start(db_session, world, clock)
    instances.complete_task(db_session, world.mentor, instance.id, _task(db_session, instance.id, "draft_plan"),
                            {"plan": "не сохранится"}, clock=clock)
    db_session.rollback()
    db_session.commit()  # a later commit of the same session keeps nothing of the rolled-back step
    assert len(cache) == 0 and _seen(db_session, instance.id)[3] == ["draft_plan"]
    assert len(reads) == 1  # the stored state, read back (the started workflow was kept; the step's was dropped)
    instances.complete_task(db_session, world.mentor, instance.id, _task(db_session, instance.id, "draft_plan"),
                            {"plan": "Диагностика"}, clock=clock)
    db_session.commit()
    assert _seen(db_session, instance.id)[2]["plan"] == "Диагностика"


def test_a_row_changed_elsewhere_or_behind_the_orm_is_read_from_the_database(
        db_session, db_session_factory, world, clock, cache, reads, monkeypatch):
    instance = _start(db_session, world, clock)
    first_state = db_session.get(WorkflowInstance, instance.id).state
    instances.complete_task(db_session, world.mentor, instance.id, _task(db_session, instance.id, "draft_plan"),
                            {"plan": "Диагностика"}, clock=clock)
    db_session.commit()
    assert len(cache) == 1  # kept at version 2

    with db_session_factory() as elsewhere:  # «another process»: its step does not go through this cache
        monkeypatch.setattr(cache, "size", 0)
        instances.complete_task(elsewhere, world.curator, instance.id, _task(elsewhere, instance.id, "approve_plan"),
                                {"approved": False}, clock=clock)
        elsewhere.commit()
        monkeypatch.setattr(cache, "size", 8)
    misses = cache.misses
    assert _seen(db_session, instance.id)[:2] == (3, "running")  # version 3 read from the row, not the kept 2
    assert cache.misses == misses + 1

    db_session.execute(update(WorkflowInstance).where(WorkflowInstance.id == instance.id)
                       .values(state=first_state))  # the same version, another text (a restore, a hand edit)
    db_session.commit()
    db_session.expire_all()
    assert _seen(db_session, instance.id)[3] == ["draft_plan"]  # what the row says now
    assert cache.misses == misses + 2


def test_the_cache_stays_within_its_size(db_session, world, clock, monkeypatch):
    small = workflow_cache.WorkflowCache(2)
    monkeypatch.setattr(workflow_cache, "_cache", small)
    started = [_start(db_session, world, clock) for _ in range(4)]
    for instance in started:
        instances.complete_task(db_session, world.mentor, instance.id, _task(db_session, instance.id, "draft_plan"),
                                {}, clock=clock)
        db_session.commit()
    assert len(small) == 2
    assert [instances.snapshot(db_session, i.id).version for i in started] == [2, 2, 2, 2]


def test_a_spec_a_kept_workflow_changed_never_goes_back_to_the_pool(db_session, world, clock, monkeypatch):
    small = workflow_cache.WorkflowCache(1)
    monkeypatch.setattr(workflow_cache, "_cache", small)
    first = _start(db_session, world, clock)
    definition = first.definition
    pristine = shape_of(definitions.fresh_spec(definition))
    instances.send_message(db_session, world.mentor, first.id, "petition", {"reason": "замена"}, clock=clock)
    db_session.commit()  # SpiffWorkflow wired the petition's event subprocess into the spec the kept workflow runs on
    second = _start(db_session, world, clock)  # kept instead: the first is evicted and its spec given back
    assert len(small) == 1
    pool = definitions.spec_pool()
    key = (definition.id, definition.bpmn_sha256)
    lent = [definitions.lease_spec(definition) for _ in range(pool.idle_count(key) + 1)]
    assert all(shape_of(lease.spec) == pristine for lease in lent)  # the rewired one was dropped
    for lease in lent:
        definitions.give_back_spec(lease)
    instances.complete_task(db_session, world.mentor, second.id, _task(db_session, second.id, "draft_plan"), {},
                            clock=clock)
    db_session.commit()
    assert [t.element_id for t in db_session.get(WorkflowInstance, second.id).open_tasks] == ["approve_plan"]


def test_a_savepoint_released_within_a_step_is_no_commit(db_session, world, clock, cache, monkeypatch):
    """SQLAlchemy tells ``after_commit`` of a savepoint too (a hook numbering an order releases one): the workflow
    an earlier step of the transaction left is not kept then as the row's state, so a later step or page of the same
    transaction sees what the steps did."""
    original = instances.run_hooks

    def with_savepoint(session, *args, **kwargs):
        with session.begin_nested():
            pass
        return original(session, *args, **kwargs)
    monkeypatch.setattr(instances, "run_hooks", with_savepoint)
    instance = _start(db_session, world, clock)
    instances.complete_task(db_session, world.mentor, instance.id, _task(db_session, instance.id, "draft_plan"),
                            {"plan": "Диагностика"}, clock=clock)
    instances.complete_task(db_session, world.curator, instance.id, _task(db_session, instance.id, "approve_plan"),
                            {"approved": False}, clock=clock)
    during = _seen(db_session, instance.id)
    assert during[2]["approved"] is False
    db_session.commit()
    cache.clear()
    assert _seen(db_session, instance.id) == during
