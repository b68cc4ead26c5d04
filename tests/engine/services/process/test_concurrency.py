"""Optimistic locking under real concurrency: many people completing the same task at once → exactly
one succeeds, the others get ConflictError, the stored state stays consistent. PostgreSQL is the
production case; SQLite (WAL, busy timeout) behaves the same and is checked too."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from engine.db.models import AuditEntry, WorkflowInstance
from engine.errors import ConflictError
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import definitions, instances
from engine.services.process.domain import domain_of
from tests.engine.services.conftest import START_DATA, hooked_plan_bytes, make_world, plan_bytes

THREADS = 32
BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def pg(db_url):
    engine = make_engine(db_url, pool_size=THREADS + 4, max_overflow=0)
    Base.metadata.create_all(engine)
    try:
        yield bootstrap().session_factory(engine)
    finally:
        engine.dispose()


def _ready_for_approval(factory, plan: bytes | None = None):
    with factory() as session:
        world = make_world(session)
        definitions.deploy(session, SYSTEM, plan or plan_bytes(), "plan_review.bpmn")
        instance = instances.start_instance(session, SYSTEM, "plan_review", "program", world.org_id, {}, START_DATA)
        instances.complete_task(session, world.mentor, instance.id, instance.open_tasks[0].task_id, {})
        session.commit()
        [task] = instance.open_tasks
        assert (task.element_id, instance.version) == ("approve_plan", 2)
        return world, instance.id, task.task_id


@BOTH
def test_32_threads_complete_the_same_task(pg):
    world, instance_id, task_id = _ready_for_approval(pg)
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def person(n: int) -> None:
        session = pg()
        try:
            actor = load_actor(session, world.curator.login)
            session.commit()
            barrier.wait(timeout=60)
            try:
                instances.complete_task(session, actor, instance_id, task_id, {"approved": True, "by": n},
                                        expected_version=2)
                session.commit()
                outcome = "ok"
            except ConflictError as error:
                assert "уже изменён другим пользователем" in str(error)  # noqa: PT017 - each thread reports its outcome
                outcome = "conflict"
            except Exception as error:  # noqa: BLE001 - reported below
                outcome = f"{type(error).__name__}: {error}"
        finally:
            session.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=person, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(set(outcomes)) == ["conflict", "ok"], outcomes
    assert (outcomes.count("ok"), outcomes.count("conflict")) == (1, THREADS - 1)

    with pg() as check:
        instance = check.get(WorkflowInstance, instance_id)
        assert (instance.version, instance.status, instance.open_tasks, instance.timers) == (3, "completed", [], [])
        done = check.scalars(select(AuditEntry).where(AuditEntry.action == "workflow.task_completed",
                                                      AuditEntry.object_id == str(instance_id))).all()
        assert len(done) == 2
        snap = instances.snapshot(check, instance_id)
        assert snap.data["approved"] is True and snap.data["rounds"] == 1 and 0 <= snap.data["by"] < THREADS


@BOTH
def test_a_change_between_load_and_flush_is_a_conflict(pg):
    """Deterministic interleaving: while one step runs (in its hook), another session completes the
    same task and commits; the first step's flush finds the version moved → ConflictError."""
    first, second = pg(), pg()
    inside = []

    def meanwhile(step):
        session, _instance = step.session, step.instance
        if session is first and not inside:
            inside.append(True)
            instances.complete_task(second, load_actor(second, world.curator.login), instance_id, task_id,
                                    {"approved": True, "by": "second"})
            second.commit()
    domain_of(first).hooks.on_task("approve_plan", meanwhile)  # the domain every session of ``pg`` carries
    world, instance_id, task_id = _ready_for_approval(pg, hooked_plan_bytes())
    try:
        actor = load_actor(first, world.curator.login)
        with pytest.raises(ConflictError):
            instances.complete_task(first, actor, instance_id, task_id, {"approved": True, "by": "first"})
    finally:
        first.close()
        second.close()
    with pg() as check:
        assert check.get(WorkflowInstance, instance_id).version == 3
        assert instances.snapshot(check, instance_id).data["by"] == "second"
        assert check.scalar(select(func.count()).where(AuditEntry.action == "workflow.task_completed")) == 2
