"""Due timers as jobs (engine.services.process.timer_jobs): the sweep makes one job per instance and moment, the
runner fires them, and a batch of them (PostgreSQL) is written by one flush (engine.db.batching) — each instance's
timer still fires exactly once, also when one batch holds two jobs of the same instance."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, func, select, text

from bench import timer_world
from engine.bootstrap import bootstrap
from engine.db.models import AuditEntry, Job, JobStatus, OpenTask
from engine.db.types import utcnow
from engine.services.jobs import queue, runner, scheduler
from engine.services.process.timer_jobs import FIRE_TIMERS, timer_key

REMINDER = "Task_stage_reminder"


def _due_jobs(db_session_factory, db_engine, count: int) -> tuple[list[int], list[int]]:
    instances = timer_world.due_world(db_session_factory, count)
    timer_world.make_due(db_engine, utcnow() - timedelta(minutes=1))
    with db_session_factory() as session:
        handed_out = scheduler.tick(session, bootstrap().jobs, runner="test", mode="test")
        jobs = list(session.scalars(select(Job.id).where(Job.id.in_(handed_out), Job.kind == FIRE_TIMERS)
                                    .order_by(Job.id)))
    return instances, jobs


def _reminders(session, instance_id: int) -> int:
    return session.scalar(select(func.count()).select_from(OpenTask).where(
        OpenTask.instance_id == instance_id, OpenTask.element_id == REMINDER))


def test_a_batch_of_due_timers_fires_each_once_and_writes_each_table_together(db_session_factory, db_engine):
    instances, jobs = _due_jobs(db_session_factory, db_engine, 6)
    assert len(jobs) == 6
    statements: list[str] = []
    listener = lambda conn, cursor, statement, *rest: statements.append(" ".join(statement.split()))  # noqa: E731
    event.listen(db_engine, "before_cursor_execute", listener)
    try:
        with db_session_factory() as session:
            outcomes = runner.run_jobs(session, bootstrap().jobs, jobs)
    finally:
        event.remove(db_engine, "before_cursor_execute", listener)
    assert set(outcomes.values()) == {runner.Outcome.DONE}
    with db_session_factory() as session:
        assert [_reminders(session, i) for i in instances] == [1] * 6
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "workflow.timers_fired")) == 6
    task_inserts = [s for s in statements if s.startswith("INSERT INTO open_tasks")]
    instance_loads = [s for s in statements if s.startswith("SELECT workflow_instances.")]
    if db_engine.dialect.name == "postgresql":  # one transaction, one flush: one multi-row INSERT for six tasks
        assert len(task_inserts) == 1, task_inserts
        assert len(instance_loads) == 1, instance_loads  # the batch's instances loaded together
    else:  # SQLite runs jobs one by one
        assert len(task_inserts) == 6 and len(instance_loads) == 6


def test_two_jobs_of_one_instance_in_one_batch_fire_its_timer_once(db_session_factory, db_engine):
    instances, jobs = _due_jobs(db_session_factory, db_engine, 3)
    with db_session_factory() as session:  # the same instance due at another moment too (a second sweep's key)
        again = queue.enqueue(session, FIRE_TIMERS, timer_key(instances[0], utcnow() - timedelta(seconds=30)),
                              instance_id=instances[0])
        session.commit()
    with db_session_factory() as session:
        outcomes = runner.run_jobs(session, bootstrap().jobs, [jobs[0], again, *jobs[1:]])
    assert set(outcomes.values()) == {runner.Outcome.DONE}
    with db_session_factory() as session:
        assert [_reminders(session, i) for i in instances] == [1, 1, 1]
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "workflow.timers_fired")) == 3
        assert session.scalar(select(Job.status).where(Job.id == again)) == JobStatus.DONE.value
        if db_engine.dialect.name == "postgresql":  # as one batch, not rolled back and run one by one
            writers = session.scalars(text("SELECT DISTINCT xmin::text FROM jobs WHERE id = ANY(:ids)"),
                                      {"ids": [*jobs, again]}).all()
            assert len(writers) == 1
