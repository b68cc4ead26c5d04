"""Firing the due timers of running instances: one instance (the worker's job, ``timer_jobs``) or every due one
(the CLI, the demo), each as a step of its own (``instance_steps``), the actor being the system; the every-step
hooks run after it as after a person's step (``instances``).

    fire_instance_timers(session, instance_id, *, now, clock=None) -> int   one instance; the caller commits
    fire_timers(session, now=None, *, clock=None) -> int                    every due instance, committed one by one
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import events
from engine.db.models import InstanceStatus, WorkflowInstance, WorkflowTimer
from engine.errors import NastavnikError
from engine.events import emit
from engine.services.people.actor import SYSTEM
from engine.services.process.derived_rows import sync_timer
from engine.services.process.domain import domain_of
from engine.services.process.hooks import run_hooks
from engine.services.process.instance_loading import load_for_step
from engine.services.process.instance_state import restored
from engine.services.process.instance_steps import audit_step, save_step, step_runtime
from engine.services.process.step_guard import run_step
from engine.workflow import Clock, FixedClock
from engine.workflow.clock import to_utc

log = logging.getLogger(__name__)


def fire_instance_timers(session: Session, instance_id: int, *, now: datetime, clock: Clock | None = None) -> int:
    """Fire the timers of one instance due by ``now`` (a job of the worker: ``timer_jobs``); the caller commits.
    Returns how many fired; an instance no longer running only loses its timer row."""
    domain = domain_of(session)
    moment = FixedClock(to_utc(now)) if clock is None else clock
    instance = load_for_step(session, instance_id, organization=True)  # only reads: the step (and its guard) start here

    def work() -> int:
        if instance.status != InstanceStatus.RUNNING.value:
            for row in list(instance.timers):
                instance.timers.remove(row)
            return 0
        runtime = step_runtime(domain, moment)
        with restored(runtime, instance) as running:
            workflow = running.workflow
            open_before = runtime.ready_user_tasks(workflow)
            fired = runtime.fire_due_timers(workflow)
            if fired:
                ready = save_step(instance, runtime, running)
                run_hooks(session, domain.hooks, runtime, workflow, instance, None, SYSTEM, ready, open_before)
                audit_step(session, "workflow.timers_fired", SYSTEM, instance,
                       fired=fired, at=moment.now().isoformat())
                emit(session, events.STEP, process=instance.kind, kind="timer")
                emit(session, events.TIMERS_FIRED, fired, process=instance.kind)
            else:  # nothing due after all: only correct the derived timer row
                sync_timer(instance, runtime.next_timer_at(workflow))
        return fired
    return run_step(session, instance_id, work, actor=SYSTEM, loaded=instance)


def fire_timers(session: Session, now: datetime | str | None = None, *, clock: Clock | None = None) -> int:
    """Fire the timers due by ``now`` (default: the clock) in every running instance; each instance
    is its own transaction and is COMMITTED here. Returns how many timers fired; running it again
    for the same moment fires nothing. An instance that fails is rolled back, logged and skipped
    (tried again on the next run)."""
    domain = domain_of(session)
    moment = to_utc(now) if now is not None else (clock or domain.clock).now()
    ids = list(session.scalars(
        select(WorkflowTimer.instance_id).join(WorkflowInstance)
        .where(WorkflowTimer.fires_at <= moment, WorkflowInstance.status == InstanceStatus.RUNNING.value)
        .distinct().order_by(WorkflowTimer.instance_id)))
    session.commit()
    fired = 0
    for instance_id in ids:
        try:
            fired += fire_instance_timers(session, instance_id, now=moment)
            session.commit()
        except NastavnikError as error:
            log.warning("timers of workflow instance %s not fired: %s", instance_id, error)
    return fired
