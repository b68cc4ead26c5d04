"""What is read of running instances: the open tasks a person may complete (as SQL for the lists that page and
join them, and as rows) and everything a page shows about one instance (``snapshot``, read only).

    task_branches(actor) -> list[condition]       the actor's open tasks as disjoint, index-ordered conditions
    tasks_of(actor) -> Select                     SQL: the open tasks the actor may complete, oldest first
    list_tasks(session, actor) -> list[OpenTask]
    snapshot(session, instance_id, *, clock=None) -> InstanceSnapshot
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from engine.db.models import InstanceStatus, OpenTask, WorkflowInstance
from engine.services.people.actor import Actor
from engine.services.process.instance_loading import load_for_step
from engine.services.process.instance_state import restored
from engine.workflow import Clock, SystemClock, UserTaskView, WorkflowRuntime


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
