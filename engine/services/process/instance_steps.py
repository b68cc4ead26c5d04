"""The plumbing every step of a running instance shares (``instances``: the steps of people; ``instance_timers``:
the timers'): the runtime a step runs on, the state written back with the rows derived from it, the check that the
instance still runs and the step's audit entry.

    make_runtime(clock=None, *, rules=None) -> WorkflowRuntime    a runtime deciding with the rules (any caller)
    step_runtime(domain, clock) -> WorkflowRuntime                 the step's: the domain's rules and clock
    save_step(instance, runtime, running) -> list[UserTaskView]    the state and derived rows after a step
    require_running(instance)                                      ConflictError unless running
    audit_step(session, action, actor, instance, **details)        the step's audit entry
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import InstanceStatus, WorkflowInstance, record_audit
from engine.errors import ConflictError
from engine.rules import RuleRegistry, default_registry
from engine.services.people.actor import Actor
from engine.services.process.derived_rows import sync_open_tasks, sync_timer
from engine.services.process.domain import Domain
from engine.services.process.instance_state import Running
from engine.workflow import Clock, SystemClock, UserTaskView, WorkflowRuntime


def make_runtime(clock: Clock | None = None, *, rules: RuleRegistry | None = None) -> WorkflowRuntime:
    """A runtime deciding with ``rules`` (default: the process-wide registry) on ``clock``."""
    return WorkflowRuntime(decide=(rules or default_registry()).decide, clock=clock or SystemClock())


def step_runtime(domain: Domain, clock: Clock | None) -> WorkflowRuntime:
    """The runtime of a step: the domain's rules on ``clock`` (the domain's unless given)."""
    return make_runtime(clock or domain.clock, rules=domain.rules)


def save_step(instance: WorkflowInstance, runtime: WorkflowRuntime, running: Running) -> list[UserTaskView]:
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


def require_running(instance: WorkflowInstance) -> None:
    """A step acts on a running instance only (``ConflictError`` otherwise)."""
    if instance.status != InstanceStatus.RUNNING.value:
        raise ConflictError(f"процесс №{instance.id} уже не выполняется (состояние: {instance.status})")


def audit_step(session: Session, action: str, actor: Actor, instance: WorkflowInstance, **details: Any) -> None:
    """The audit entry of a step: its action, the instance and its definition's process and version."""
    record_audit(session, action, actor=actor.person_id, object_type="workflow_instance",
                 object_id=instance.id, organization=instance.organization_id,
                 details={"process_id": instance.definition.process_id,
                          "definition_version": instance.definition.version, **details})
