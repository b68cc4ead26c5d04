"""Loading an instance for a step: the row, the definition's columns a step reads, the derived rows (open tasks,
timer) and the organization — one statement; in a batch of steps (``engine.db.batching``) the batch's instances are
preloaded together (``preload_instances``) and each step takes its own (``load_for_step``)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.util import identity_key

from engine.db.batching import flush_deferred, preloaded, take_preloaded
from engine.db.models import ProcessDefinition, WorkflowInstance
from engine.errors import NotFound


def step_options(*, organization: bool, collections: Any = joinedload) -> list:
    """What a step reads with its instance: the definition's columns a step needs (its name too: the «new task»
    notice names the process), the derived rows and, with ``organization``, the organization."""
    options = [joinedload(WorkflowInstance.definition).load_only(
                   ProcessDefinition.id, ProcessDefinition.process_id, ProcessDefinition.version,
                   ProcessDefinition.name, ProcessDefinition.bpmn_sha256, ProcessDefinition.source_path),
               collections(WorkflowInstance.open_tasks), collections(WorkflowInstance.timers)]
    if organization:
        options.append(joinedload(WorkflowInstance.organization))
    return options


def load_for_step(session: Session, instance_id: int, *, organization: bool = False) -> WorkflowInstance:
    """The instance, its definition (the columns a step reads), its derived rows and, with ``organization``, its
    organization — one statement, from one snapshot (READ COMMITTED); in a batch, as the batch preloaded it."""
    instance = take_preloaded(session, WorkflowInstance, instance_id)
    if instance is not None:
        return instance
    stmt = (select(WorkflowInstance).where(WorkflowInstance.id == instance_id)
            .options(*step_options(organization=organization)).execution_options(populate_existing=True))
    if flush_deferred(session) and session.identity_map.get(identity_key(WorkflowInstance, instance_id)) is None:
        with session.no_autoflush:  # the batch's earlier steps are other instances': written at the batch's end
            instance = session.scalars(stmt).unique().first()
    else:
        instance = session.scalars(stmt).unique().first()
    if instance is None:
        raise NotFound(f"нет процесса №{instance_id}")
    return instance


def preload_instances(session: Session, instance_ids: list[int]) -> None:
    """Load the instances a batch of steps will take (``engine.db.batching``) with what each step reads — three
    statements for the batch instead of one per step."""
    if not flush_deferred(session) or not instance_ids:
        return
    stmt = (select(WorkflowInstance).where(WorkflowInstance.id.in_(instance_ids))
            .options(*step_options(organization=True, collections=selectinload))
            .execution_options(populate_existing=True))
    with session.no_autoflush:
        preloaded(session, session.scalars(stmt).all())
