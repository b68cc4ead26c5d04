"""Due timers as jobs of the worker (issue 13): one job per instance and moment, fired exactly once.

    SWEEPS: sweep_due_timers(session, now)   each tick: every due timer row not yet enqueued for its moment
                                             becomes a job «fire_timers» keyed ``timers:<instance>:<moment>``
    JOBS:   fire_timers(session, job, now)   fires the instance's due timers (``instance_timers.fire_instance_timers``)

The job's effect (the instance's new state, its hooks' rows, its notifications) and its ``done`` are one
transaction (``engine.services.jobs.runner``); the instance's optimistic lock decides against a person's step at
the same moment. A timer that the engine does not find due although its row says so fails the try (so it is
retried and, in the end, shown as an incident) rather than being dropped. Its effect is the database's only, so a
worker may run several of these jobs in one transaction (``runner.run_jobs``; BATCHED).
"""
from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from engine.db.models import InstanceStatus, Job, WorkflowInstance, WorkflowTimer
from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue_many
from engine.services.process.instance_loading import preload_instances
from engine.services.process.instance_timers import fire_instance_timers
from engine.workflow.clock import to_utc

FIRE_TIMERS = "fire_timers"
SWEEP_BATCH = 1000


def timer_key(instance_id: int, fires_at: datetime) -> str:
    return f"timers:{instance_id}:{to_utc(fires_at).isoformat()}"


def sweep_due_timers(session: Session, now: datetime) -> None:
    """Enqueue a job for each due timer row of a running instance not yet enqueued for its moment: per batch one
    SELECT, one multi-row INSERT of jobs (a key already there skipped) and one UPDATE marking the rows — guarded
    by the moment read, so a row a step has meanwhile moved stays due for its new moment."""
    while True:
        rows = session.execute(
            select(WorkflowTimer.id, WorkflowTimer.instance_id, WorkflowTimer.element_id, WorkflowTimer.fires_at,
                   WorkflowInstance.organization_id).join(WorkflowInstance)
            .where(WorkflowTimer.fires_at <= now, WorkflowInstance.status == InstanceStatus.RUNNING.value,
                   or_(WorkflowTimer.enqueued_for.is_(None), WorkflowTimer.enqueued_for != WorkflowTimer.fires_at))
            .order_by(WorkflowTimer.fires_at, WorkflowTimer.id).limit(SWEEP_BATCH)).all()
        enqueue_many(session, FIRE_TIMERS, [
            {"key": timer_key(instance_id, fires_at), "payload": {"fires_at": to_utc(fires_at).isoformat()},
             "organization_id": organization_id, "instance_id": instance_id, "element_id": element_id,
             "run_after": to_utc(fires_at)}
            for _, instance_id, element_id, fires_at, organization_id in rows])
        if rows:
            table = cast(Table, WorkflowTimer.__table__)
            timers = table.c
            session.execute(  # Core, executemany: no ORM objects loaded, one round of statements
                update(table)
                .where(timers.id == bindparam("timer_id"), timers.fires_at == bindparam("moment"))
                .values(enqueued_for=bindparam("moment")),
                [{"timer_id": timer_id, "moment": fires_at} for timer_id, _, _, fires_at, _ in rows])
        if len(rows) < SWEEP_BATCH:
            return


def fire_timers(session: Session, job: Job, now: datetime) -> None:
    if job.instance_id is None:
        raise NastavnikError("задание таймера без процесса", where=f"задание №{job.id}")
    fired = fire_instance_timers(session, job.instance_id, now=now)
    if fired:
        return
    instance = session.get(WorkflowInstance, job.instance_id)
    still_due = [t for t in (instance.timers if instance is not None else []) if to_utc(t.fires_at) <= to_utc(now)]
    if instance is not None and instance.status == InstanceStatus.RUNNING.value and still_due:
        raise NastavnikError(f"таймер процесса №{job.instance_id} не сработал, хотя срок наступил "
                             f"({to_utc(still_due[0].fires_at):%d.%m.%Y %H:%M} UTC)", where=still_due[0].element_id)


def prepare_fire_timers(session: Session, jobs: list[Job]) -> None:
    """A batch's timer jobs: their instances loaded in one go."""
    preload_instances(session, [job.instance_id for job in jobs if job.instance_id is not None])


JOBS = {FIRE_TIMERS: fire_timers}
PREPARE = {FIRE_TIMERS: prepare_fire_timers}
SWEEPS = (sweep_due_timers,)
BATCHED = (FIRE_TIMERS,)  # the effect is the database's only: several may share one transaction
