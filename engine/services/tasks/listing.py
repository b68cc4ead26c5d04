"""One page of a person's open tasks (the JSON API's ``/tasks``): counted and cut by the database, each task
with its instance's kind and its process's id, never the instance's state or the process's BPMN."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, contains_eager, joinedload

from engine.db import paging
from engine.db.models import OpenTask, ProcessDefinition, WorkflowInstance
from engine.db.paging import count_up_to
from engine.services.people.actor import Actor
from engine.services.process.instances import tasks_of


@dataclass(frozen=True)
class TaskSlice:
    total: int  # exact unless ``more`` (counted up to ``offset + LIST_BOUND``)
    tasks: list[OpenTask]
    more: bool = False


def tasks_page(session: Session, actor: Actor, offset: int, limit: int) -> TaskSlice:
    """The actor's open tasks (``process.instances.list_tasks``), oldest first, ``limit`` from ``offset``."""
    mine = tasks_of(actor)
    total = count_up_to(session, mine.with_only_columns(OpenTask.id), offset + paging.LIST_BOUND)
    page = mine.options(contains_eager(OpenTask.instance).load_only(
        WorkflowInstance.id, WorkflowInstance.kind, WorkflowInstance.definition_id, WorkflowInstance.status),
        joinedload(OpenTask.instance, WorkflowInstance.definition).load_only(ProcessDefinition.id,
                                                                              ProcessDefinition.process_id))
    return TaskSlice(total.value, list(session.scalars(page.offset(offset).limit(limit))), total.more)
