"""A step whose user task names a designed form (``designed:<key>``): its page for the person it waits for
(the form's fields from the version the process pinned), completing it (the engine checks the answers again,
``engine.services.process.instances.complete_task``) and the answers a program's steps gave, for its page.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import DesignedFormAnswer, OpenTask, WorkflowInstance
from engine.errors import NotFound, PermissionDenied
from engine.forms.designed import DesignedField, designed_key, parse_schema, shown_value
from engine.services.people.actor import Actor
from engine.services.process import designed_steps, instances
from engine.services.process.instance_loading import load_for_step


@dataclass(frozen=True)
class DesignedStep:
    instance: WorkflowInstance
    task: OpenTask
    title: str
    fields: list[DesignedField]


def _task(session: Session, actor: Actor, instance_id: int, task_id: str) -> tuple[WorkflowInstance, OpenTask]:
    instance = load_for_step(session, instance_id, organization=True)
    row = next((t for t in instance.open_tasks if t.task_id == task_id), None)
    if row is None or designed_key(row.form_id) is None:
        raise NotFound("задача не найдена или уже выполнена", where=task_id[:36])
    if row.assignee_id is not None and row.assignee_id != actor.person_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: задача «{row.name}» назначена другому участнику")
    actor.require(row.organization_id, row.role, action=row.name)
    return instance, row


def step(session: Session, actor: Actor, instance_id: int, task_id: str) -> DesignedStep:
    """The step's page (``NotFound`` when it is not an open designed-form step, ``PermissionDenied`` for anyone
    it does not wait for)."""
    instance, row = _task(session, actor, instance_id, task_id)
    form = designed_steps.pinned_form(session, instance, str(row.form_id))
    return DesignedStep(instance, row, form.title, parse_schema(form.schema)[0])


def complete(session: Session, actor: Actor, instance_id: int, task_id: str, data: dict[str, Any], *,
             expected_version: int | None = None) -> WorkflowInstance:
    _task(session, actor, instance_id, task_id)
    return instances.complete_task(session, actor, instance_id, task_id, data, expected_version=expected_version)


@dataclass(frozen=True)
class AnsweredForm:
    title: str
    step_name: str
    answered_by: str
    answered_at: datetime
    rows: list[tuple[str, str]]  # (label, answer)


def answered(session: Session, instance_id: int | None) -> list[AnsweredForm]:
    """The designed forms a process's steps answered, oldest first, labelled as the form version showed them.
    Who may see them is the caller's (the program page's) check."""
    if instance_id is None:
        return []
    result = []
    for answer in session.scalars(select(DesignedFormAnswer).where(DesignedFormAnswer.instance_id == instance_id)
                                  .order_by(DesignedFormAnswer.answered_at, DesignedFormAnswer.id)):
        fields = parse_schema(answer.form.schema)[0]
        rows = [(item.label, shown_value(item, answer.answers[item.key])) for item in fields if item.key in answer.answers]
        who = answer.answered_by.full_name if answer.answered_by else "—"
        result.append(AnsweredForm(answer.form.title, answer.step_name, who, answer.answered_at, rows))
    return result
