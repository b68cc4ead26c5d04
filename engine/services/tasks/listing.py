"""One page of a person's open tasks (the JSON API's ``/tasks``): counted and cut by the database, each task
with its instance's kind and its process's id, never the instance's state or the process's BPMN."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session, contains_eager, joinedload

from engine.db import paging
from engine.db.models import InstanceStatus, OpenTask, ProcessDefinition, WorkflowInstance
from engine.db.paging import count_up_to
from engine.services.people.actor import Actor
from engine.services.process.instance_views import task_branches


@dataclass(frozen=True)
class TaskSlice:
    total: int  # exact unless ``more`` (counted up to ``offset + LIST_BOUND``)
    tasks: list[OpenTask]
    more: bool = False


def tasks_page(session: Session, actor: Actor, offset: int, limit: int) -> TaskSlice:
    """The actor's open tasks (``process.instances.list_tasks``), oldest first, ``limit`` from ``offset``: each of
    the actor's branches (assigned to them; each role's unassigned) read in its index's order up to the page's end
    and merged, so a curator with 20 000 open steps costs what one with 20 does; counted up to the page's offset +
    ``LIST_BOUND``."""
    branches = task_branches(actor)
    if not branches:
        return TaskSlice(0, [])
    running = WorkflowInstance.status == InstanceStatus.RUNNING.value
    counts = [count_up_to(session, select(OpenTask.id).join(WorkflowInstance).where(branch, running),
                          offset + paging.LIST_BOUND) for branch in branches]
    total = sum(c.value for c in counts)
    oldest = (OpenTask.created_at, OpenTask.id)
    window = [select(select(OpenTask.id, OpenTask.created_at).join(WorkflowInstance).where(branch, running)
                     .order_by(*oldest).limit(offset + limit).subquery()) for branch in branches]
    merged = union_all(*window).subquery() if len(window) > 1 else window[0].subquery()
    ids = list(session.scalars(select(merged.c.id).order_by(merged.c.created_at, merged.c.id)
                               .offset(offset).limit(limit)))
    page = (select(OpenTask).join(WorkflowInstance).where(OpenTask.id.in_(ids)).order_by(*oldest)
            .options(contains_eager(OpenTask.instance).load_only(
                WorkflowInstance.id, WorkflowInstance.kind, WorkflowInstance.definition_id, WorkflowInstance.status),
                joinedload(OpenTask.instance, WorkflowInstance.definition).load_only(
                    ProcessDefinition.id, ProcessDefinition.process_id))) if ids else None
    tasks = list(session.scalars(page)) if page is not None else []
    return TaskSlice(total, tasks, any(c.more for c in counts))
