"""Running workflow instances, one database transaction per step.

    start_instance(session, actor, process_id, kind, organization_id, subject, data, *, clock=None)
        -> WorkflowInstance                    # pinned to the latest definition of process_id
    complete_task(session, actor, instance_id, task_id, data=None, *, expected_version=None, clock=None)
        -> WorkflowInstance
    send_message(session, actor, instance_id, name, payload=None, *, clock=None) -> WorkflowInstance
    cancel_instance(session, actor, instance_id, *, reason, clock=None) -> WorkflowInstance   # stopped for good
    fire_timers(session, now=None, *, clock=None) -> int   # every due instance, commits per instance (CLI, demo)
    fire_instance_timers(session, instance_id, *, now) -> int   # one instance (the worker's job: timer_jobs)
    list_tasks(session, actor) -> list[OpenTask]
    snapshot(session, instance_id, *, clock=None) -> InstanceSnapshot   # read only

A step: load the instance row, restore the workflow from its state, act, run the engine, write the
state back and rebuild the derived rows (``OpenTask`` per ready user task, role from the lane,
organization of the instance; one ``WorkflowTimer`` with the earliest due timer), add an audit entry,
flush. The caller commits (except ``fire_timers``). On ANY error the session is rolled back and the
error re-raised, so nothing half-done can be committed; a concurrent change of the same instance
(optimistic lock on ``WorkflowInstance.version``) becomes ``ConflictError``; a script stopped at a bound
is recorded as an incident (every step runs through ``engine.services.process.step_guard.run_step``).

Stored state: the runtime's serialized workflow embeds the whole process spec (tens of KB); while it
equals the pinned definition's it is left out (``instance_state``), so an instance stores only its own tasks
and data, and a step runs on a spec of its definition lent by a per-process pool: no spec is parsed, built
or encoded per step. (SpiffWorkflow rewires an instance's spec when an event subprocess starts; from then on
that instance keeps its spec whole, and the rewired spec is never lent to another instance.)

The domain: every step runs with the domain its session carries (``engine.services.process.domain``:
hooks, rules, clock — ``clock=`` overrides the domain's); a session without one is refused. Hooks
(``engine.services.process.hooks``): after a user task declaring ``hook=<name>`` is completed, the
table's hooks of that name; after every step (start, task, message, timers — the actor is SYSTEM for
timers), the table's every-step hooks. Hooks run inside the step's transaction: an exception from a
hook undoes the whole step. ``start_instance`` refuses a definition naming a hook the table lacks.

The derived rows (open tasks with their assignee and due date, the timer row) are built in
``engine.services.process.derived_rows``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from engine import events
from engine.db.models import (
    InstanceStatus,
    OpenTask,
    Organization,
    WorkflowInstance,
    WorkflowTimer,
    latest_definition,
    record_audit,
)
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.events import emit
from engine.forms import validated
from engine.forms.designed import designed_key
from engine.rules import RuleRegistry, default_registry
from engine.services.people.actor import STAFF_ROLES, SYSTEM, Actor
from engine.services.process import designed_steps
from engine.services.process.definitions import require_hooks
from engine.services.process.derived_rows import sync_open_tasks, sync_timer
from engine.services.process.domain import Domain, domain_of
from engine.services.process.hooks import run_hooks
from engine.services.process.instance_loading import load_for_step
from engine.services.process.instance_state import (  # noqa: F401 - pack_state, unpack_state re-exported
    Running,
    pack_state,
    restored,
    started,
    unpack_state,
)
from engine.services.process.step_guard import run_step
from engine.workflow import (
    Clock,
    FixedClock,
    SystemClock,
    UserTaskView,
    WorkflowRuntime,
)
from engine.workflow.clock import to_utc

log = logging.getLogger(__name__)

# ---- plumbing --------------------------------------------------------------------------------

def make_runtime(clock: Clock | None = None, *, rules: RuleRegistry | None = None) -> WorkflowRuntime:
    """A runtime deciding with ``rules`` (default: the process-wide registry) on ``clock``."""
    return WorkflowRuntime(decide=(rules or default_registry()).decide, clock=clock or SystemClock())


def _runtime(domain: Domain, clock: Clock | None) -> WorkflowRuntime:
    return make_runtime(clock or domain.clock, rules=domain.rules)


def _save(instance: WorkflowInstance, runtime: WorkflowRuntime, running: Running) -> list[UserTaskView]:
    """Store the state after a step and the rows derived from it; the user tasks ready now (the step's
    hooks see the same list)."""
    now = runtime.clock.now()
    workflow = running.workflow
    instance.state = running.state(runtime, instance.definition)
    instance.updated_at = now  # always an UPDATE: the optimistic lock is checked on every step
    if runtime.is_completed(workflow):
        instance.status = InstanceStatus.COMPLETED.value
        instance.completed_at = now
    ready = runtime.ready_user_tasks(workflow)
    sync_open_tasks(instance, ready, now)
    sync_timer(instance, runtime.next_timer_at(workflow))
    return ready


def _require_running(instance: WorkflowInstance) -> None:
    if instance.status != InstanceStatus.RUNNING.value:
        raise ConflictError(f"процесс №{instance.id} уже не выполняется (состояние: {instance.status})")


def _audit(session: Session, action: str, actor: Actor, instance: WorkflowInstance, **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id, object_type="workflow_instance",
                 object_id=instance.id, organization=instance.organization_id,
                 details={"process_id": instance.definition.process_id,
                          "definition_version": instance.definition.version, **details})


# ---- use cases -------------------------------------------------------------------------------

def start_instance(session: Session, actor: Actor, process_id: str, kind: str, organization_id: int,
                   subject: dict | None = None, data: dict | None = None, *,
                   clock: Clock | None = None) -> WorkflowInstance:
    """Start ``process_id`` (its latest definition) for an organization; curator, head, methodologist
    of that organization or the system."""
    def work() -> WorkflowInstance:
        domain = domain_of(session)
        if not actor.is_system and not any(actor.has_role(organization_id, r) for r in STAFF_ROLES):
            raise PermissionDenied(f"{actor.full_name or actor.login}: запускать процессы этой организации "
                                   "могут куратор, руководитель или методист")
        if session.get(Organization, organization_id) is None:
            raise NotFound(f"нет организации №{organization_id}")
        definition = latest_definition(session, process_id, organization_id)
        if definition is None:
            raise NotFound(f"процесс «{process_id}» не загружен")
        require_hooks(domain, definition)  # every hook its tasks name is in the table, or nothing starts
        runtime = _runtime(domain, clock)
        instance = WorkflowInstance(definition=definition, kind=kind, organization_id=organization_id,
                                    subject=subject, status=InstanceStatus.RUNNING.value,
                                    started_by_id=actor.person_id)
        with started(runtime, definition, data or {}, instance) as running:
            session.add(instance)
            ready = _save(instance, runtime, running)
            session.flush()
            run_hooks(session, domain.hooks, runtime, running.workflow, instance, None, actor, ready)
        _audit(session, "workflow.started", actor, instance, kind=instance.kind)
        emit(session, events.STEP, process=instance.kind, kind="start")
        return instance
    return run_step(session, "—", work, actor=actor, start=(process_id, organization_id))


def _require_task_permission(actor: Actor, instance: WorkflowInstance, row: OpenTask) -> None:
    who = actor.full_name or actor.login
    if actor.is_system:
        raise PermissionDenied("задачи процесса выполняют люди, а не система", where=row.element_id)
    if row.assignee_id is not None and row.assignee_id != actor.person_id:
        raise PermissionDenied(f"{who}: задача «{row.name}» назначена другому участнику")
    actor.require(instance.organization_id, row.role, action=row.name)


def complete_task(session: Session, actor: Actor, instance_id: int, task_id: str, data: dict | None = None, *,
                  expected_version: int | None = None, clock: Clock | None = None) -> WorkflowInstance:
    """Complete a ready user task with the form's ``data``, checked against the form's contract
    (``engine.forms``: unknown fields, wrong types and limits → ``FormDataError`` naming the field) for
    every channel alike. ``expected_version``: the instance version the person saw (a page); another
    version means someone acted first → ``ConflictError``."""
    instance = load_for_step(session, instance_id, organization=True)  # only reads: the step (and its guard) start here

    def work() -> WorkflowInstance:
        domain = domain_of(session)
        if expected_version is not None and instance.version != expected_version:
            raise ConflictError(f"процесс №{instance_id} уже изменён другим пользователем; обновите страницу")
        _require_running(instance)
        row = next((t for t in instance.open_tasks if t.task_id == str(task_id)), None)
        if row is None:
            raise NotFound("задача не найдена или уже выполнена", where=str(task_id))
        _require_task_permission(actor, instance, row)
        runtime = _runtime(domain, clock)
        with restored(runtime, instance) as running:
            workflow = running.workflow
            open_before = runtime.ready_user_tasks(workflow)
            before = next((v for v in open_before if v.task_id == row.task_id), None)
            designed = designed_key(row.form_id) is not None  # a form designed in the browser: its pinned version
            values = (designed_steps.checked(session, instance, str(row.form_id), data or {}) if designed else
                      validated(row.form_id, data or {}, declared=before.fields if before else None))
            completed = UserTaskView(row.task_id, row.element_id, row.name, before.lane if before else None,
                                     row.role, row.form_id, {**(before.data if before else {}), **values},
                                     fields=before.fields if before else None, hook=before.hook if before else None,
                                     petition=before.petition if before else None)
            runtime.complete_user_task(workflow, row.task_id, values)
            ready = _save(instance, runtime, running)
            run_hooks(session, domain.hooks, runtime, workflow, instance, completed, actor, ready, open_before)
            if designed:
                designed_steps.record(session, instance, completed.task_id, completed.element_name or completed.element_id,
                                      str(completed.form), values, actor)
        _audit(session, "workflow.task_completed", actor, instance, task_id=completed.task_id,
               element_id=completed.element_id, form=completed.form, role=completed.role)
        emit(session, events.STEP, process=instance.kind, kind="task")
        return instance
    return run_step(session, instance_id, work, actor=actor, loaded=instance)


def send_message(session: Session, actor: Actor, instance_id: int, name: str, payload: dict | None = None, *,
                 clock: Clock | None = None) -> WorkflowInstance:
    """Deliver a message (a petition) to a running instance; any participant of the organization or
    the system. Which participant may send which petition is the caller's (domain) check."""
    instance = load_for_step(session, instance_id, organization=True)  # only reads: the step (and its guard) start here

    def work() -> WorkflowInstance:
        domain = domain_of(session)
        _require_running(instance)
        if not actor.is_system and instance.organization_id not in actor.organizations():
            raise PermissionDenied(f"{actor.full_name or actor.login}: нет роли в организации этого процесса")
        runtime = _runtime(domain, clock)
        with restored(runtime, instance) as running:
            workflow = running.workflow
            open_before = runtime.ready_user_tasks(workflow)
            runtime.send_message(workflow, name, payload or {})
            ready = _save(instance, runtime, running)
            run_hooks(session, domain.hooks, runtime, workflow, instance, None, actor, ready, open_before)
        _audit(session, "workflow.message", actor, instance, message=name)
        emit(session, events.STEP, process=instance.kind, kind="message")
        return instance
    return run_step(session, instance_id, work, actor=actor, loaded=instance)


def cancel_instance(session: Session, actor: Actor, instance_id: int, *, reason: str,
                    clock: Clock | None = None) -> WorkflowInstance:
    """Stop a running instance for good (a service replaces it: e.g. a calendar date its administrator moved):
    ``cancelled``, its open tasks and its timer row gone, its state kept as it was; audited with ``reason``.
    Who may is the caller's check; the caller commits."""
    instance = load_for_step(session, instance_id, organization=True)  # only reads: the step (and its guard) start here

    def work() -> WorkflowInstance:
        _require_running(instance)
        now = (clock or domain_of(session).clock).now()
        instance.status = InstanceStatus.CANCELLED.value
        instance.completed_at = instance.updated_at = now
        for row in list(instance.open_tasks):
            instance.open_tasks.remove(row)
        for timer in list(instance.timers):
            instance.timers.remove(timer)
        _audit(session, "workflow.cancelled", actor, instance, reason=reason)
        return instance
    return run_step(session, instance_id, work, actor=actor, loaded=instance)


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
        runtime = _runtime(domain, moment)
        with restored(runtime, instance) as running:
            workflow = running.workflow
            open_before = runtime.ready_user_tasks(workflow)
            fired = runtime.fire_due_timers(workflow)
            if fired:
                ready = _save(instance, runtime, running)
                run_hooks(session, domain.hooks, runtime, workflow, instance, None, SYSTEM, ready, open_before)
                _audit(session, "workflow.timers_fired", SYSTEM, instance,
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


def task_branches(actor: Actor) -> list[ColumnElement[bool]]:
    """The actor's open tasks as disjoint conditions, each read in an index's order (``ix_open_tasks_assignee``,
    ``ix_open_tasks_role_created``): those assigned to the person, and each of their roles' unassigned ones."""
    if actor.is_system:
        return []
    return [OpenTask.assignee_id == actor.person_id,
            *(and_(OpenTask.assignee_id.is_(None), OpenTask.organization_id == org, OpenTask.role == role)
              for org, role in sorted(set(actor.roles)))]


def tasks_of(actor: Actor) -> Select:
    """SQL: the open tasks the actor may complete (``list_tasks``), joined to their instance, oldest first."""
    branches = task_branches(actor)
    return (select(OpenTask).join(WorkflowInstance)
            .where(or_(*branches) if branches else false(), WorkflowInstance.status == InstanceStatus.RUNNING.value)
            .order_by(OpenTask.created_at, OpenTask.id))


def list_tasks(session: Session, actor: Actor) -> list[OpenTask]:
    """Open tasks the actor may complete: of their roles in their organizations (unassigned), or
    assigned to them."""
    if actor.is_system:
        return []
    return list(session.scalars(tasks_of(actor)))


@dataclass(frozen=True)
class InstanceSnapshot:
    instance_id: int
    version: int
    status: str
    process_id: str
    definition_version: int
    data: dict
    ready_tasks: list[UserTaskView]
    completed_element_ids: set[str]
    active_element_ids: set[str]
    waiting_messages: list[str]
    next_timer_at: datetime | None


def snapshot(session: Session, instance_id: int, *, clock: Clock | None = None) -> InstanceSnapshot:
    """Everything a page shows about an instance (read only, so no domain needed; permission is the caller's)."""
    instance = load_for_step(session, instance_id)
    runtime = WorkflowRuntime(clock=clock or SystemClock())
    with restored(runtime, instance, read_only=True) as running:
        workflow = running.workflow
        return InstanceSnapshot(
            instance.id, instance.version, instance.status, instance.definition.process_id,
            instance.definition.version, runtime.workflow_data(workflow), runtime.ready_user_tasks(workflow),
            runtime.completed_element_ids(workflow), runtime.active_element_ids(workflow),
            runtime.waiting_messages(workflow), runtime.next_timer_at(workflow))
