"""Due timers as jobs of the worker (issue 13): one job per instance and moment, fired exactly once.

    SWEEPS: sweep_due_timers(session, now)   each tick: every due timer row not yet enqueued for its moment
                                             becomes a job «fire_timers» keyed ``timers:<instance>:<moment>``
    JOBS:   fire_timers(session, job, now)   fires the instance's due timers (``instances.fire_instance_timers``)

The job's effect (the instance's new state, its hooks' rows, its notifications) and its ``done`` are one
transaction (``engine.services.jobs.runner``); the instance's optimistic lock decides against a person's step at
the same moment. A timer that the engine does not find due although its row says so fails the try (so it is
retried and, in the end, shown as an incident) rather than being dropped.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.db.models import InstanceStatus, Job, WorkflowInstance, WorkflowTimer
from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue
from engine.services.process.instances import fire_instance_timers
from engine.workflow.clock import to_utc

FIRE_TIMERS = "fire_timers"
SWEEP_BATCH = 1000


def timer_key(instance_id: int, fires_at: datetime) -> str:
    return f"timers:{instance_id}:{to_utc(fires_at).isoformat()}"


def sweep_due_timers(session: Session, now: datetime) -> None:
    """Enqueue a job for each due timer row of a running instance not yet enqueued for its moment."""
    while True:
        rows = session.execute(
            select(WorkflowTimer, WorkflowInstance.organization_id).join(WorkflowInstance)
            .where(WorkflowTimer.fires_at <= now, WorkflowInstance.status == InstanceStatus.RUNNING.value,
                   or_(WorkflowTimer.enqueued_for.is_(None), WorkflowTimer.enqueued_for != WorkflowTimer.fires_at))
            .order_by(WorkflowTimer.fires_at, WorkflowTimer.id).limit(SWEEP_BATCH)).all()
        for timer, organization_id in rows:
            enqueue(session, FIRE_TIMERS, timer_key(timer.instance_id, timer.fires_at),
                    {"fires_at": to_utc(timer.fires_at).isoformat()}, organization_id=organization_id,
                    instance_id=timer.instance_id, element_id=timer.element_id)
            timer.enqueued_for = timer.fires_at
        session.flush()
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


JOBS = {FIRE_TIMERS: fire_timers}
SWEEPS = (sweep_due_timers,)
