"""Running workflow instances, one database transaction per step.

    start_instance(session, actor, process_id, kind, organization_id, subject, data, *, clock=None)
        -> WorkflowInstance                    # pinned to the latest definition of process_id
    complete_task(session, actor, instance_id, task_id, data=None, *, expected_version=None, clock=None)
        -> WorkflowInstance
    send_message(session, actor, instance_id, name, payload=None, *, clock=None) -> WorkflowInstance
    cancel_instance(session, actor, instance_id, *, reason, clock=None) -> WorkflowInstance   # stopped for good

Elsewhere, and re-exported here for their many callers: ``fire_timers`` (``instance_timers``: the timers' steps, with
``fire_instance_timers``, the worker's job), ``list_tasks`` and ``snapshot`` (``instance_views``: what is read of
instances, with ``tasks_of`` and ``task_branches``). The plumbing the steps share (the runtime, the state written
back, the audit entry): ``instance_steps``.

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

from sqlalchemy.orm import Session

from engine import events
from engine.db.models import InstanceStatus, OpenTask, Organization, WorkflowInstance, latest_definition
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.events import emit
from engine.forms import validated
from engine.forms.designed import designed_key
from engine.services.people.actor import STAFF_ROLES, Actor
from engine.services.process import designed_steps
from engine.services.process.definitions import require_hooks
from engine.services.process.domain import domain_of
from engine.services.process.hooks import run_hooks
from engine.services.process.instance_loading import load_for_step
from engine.services.process.instance_state import (  # noqa: F401 - pack_state, unpack_state re-exported
    pack_state,
    restored,
    started,
    unpack_state,
)
from engine.services.process.instance_steps import audit_step, require_running, save_step, step_runtime
from engine.services.process.instance_timers import fire_timers  # noqa: F401 - re-exported (many callers)
from engine.services.process.instance_views import list_tasks, snapshot  # noqa: F401 - re-exported (many callers)
from engine.services.process.step_guard import run_step
from engine.workflow import Clock, UserTaskView


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
        runtime = step_runtime(domain, clock)
        instance = WorkflowInstance(definition=definition, kind=kind, organization_id=organization_id,
                                    subject=subject, status=InstanceStatus.RUNNING.value,
                                    started_by_id=actor.person_id)
        with started(runtime, definition, data or {}, instance) as running:
            session.add(instance)
            ready = save_step(instance, runtime, running)
            session.flush()
            run_hooks(session, domain.hooks, runtime, running.workflow, instance, None, actor, ready)
        audit_step(session, "workflow.started", actor, instance, kind=instance.kind)
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
        require_running(instance)
        row = next((t for t in instance.open_tasks if t.task_id == str(task_id)), None)
        if row is None:
            raise NotFound("задача не найдена или уже выполнена", where=str(task_id))
        _require_task_permission(actor, instance, row)
        runtime = step_runtime(domain, clock)
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
            ready = save_step(instance, runtime, running)
            run_hooks(session, domain.hooks, runtime, workflow, instance, completed, actor, ready, open_before)
            if designed:
                designed_steps.record(session, instance, completed.task_id, completed.element_name or completed.element_id,
                                      str(completed.form), values, actor)
        audit_step(session, "workflow.task_completed", actor, instance, task_id=completed.task_id,
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
        require_running(instance)
        if not actor.is_system and instance.organization_id not in actor.organizations():
            raise PermissionDenied(f"{actor.full_name or actor.login}: нет роли в организации этого процесса")
        runtime = step_runtime(domain, clock)
        with restored(runtime, instance) as running:
            workflow = running.workflow
            open_before = runtime.ready_user_tasks(workflow)
            runtime.send_message(workflow, name, payload or {})
            ready = save_step(instance, runtime, running)
            run_hooks(session, domain.hooks, runtime, workflow, instance, None, actor, ready, open_before)
        audit_step(session, "workflow.message", actor, instance, message=name)
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
        require_running(instance)
        now = (clock or domain_of(session).clock).now()
        instance.status = InstanceStatus.CANCELLED.value
        instance.completed_at = instance.updated_at = now
        for row in list(instance.open_tasks):
            instance.open_tasks.remove(row)
        for timer in list(instance.timers):
            instance.timers.remove(timer)
        audit_step(session, "workflow.cancelled", actor, instance, reason=reason)
        return instance
    return run_step(session, instance_id, work, actor=actor, loaded=instance)
