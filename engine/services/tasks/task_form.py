"""An open task's form as a client of the JSON API reads it (``GET /api/v1/tasks/<instance>/<task>``): the fields to
send when completing the task, from the very contract the engine checks them with — a designed form's version the
process pinned (``designed_steps.pinned_form``), a shipped form's contract without the fields the engine fills from
the registers (``completion.sendable``), a diagram's own form from the task's ``fields`` declaration.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.db.models import OpenTask
from engine.errors import PermissionDenied
from engine.forms import SHIPPED, contract_for
from engine.forms.designed import designed_key, parse_schema
from engine.forms.field_list import FormField, from_contract, from_designed
from engine.services.people.actor import Actor
from engine.services.process import designed_steps, instances
from engine.services.process.instance_loading import load_for_step
from engine.services.process.task_lookup import open_task
from engine.services.tasks.completion import sendable


@dataclass(frozen=True)
class TaskForm:
    task: OpenTask
    title: str  # the form's title (a designed form: its title; a diagram's own form: its id)
    fields: list[FormField]


def my_open_task(session: Session, actor: Actor, instance_id: int, task_id: str) -> OpenTask:
    """The open task (``NotFound``, ``ConflictError`` when done already), if it is among the actor's tasks
    (``PermissionDenied``: another role, organization or assignee)."""
    row = open_task(session, instance_id, task_id)
    if not any(t.id == row.id for t in instances.list_tasks(session, actor)):
        raise PermissionDenied(f"{actor.full_name or actor.login}: задача «{row.name}» не из ваших задач "
                               "(другая роль, организация или исполнитель)")
    return row


def task_form(session: Session, actor: Actor, instance_id: int, task_id: str) -> TaskForm:
    """The task and its form's fields."""
    row = my_open_task(session, actor, instance_id, task_id)
    form_id = row.form_id or ""
    if designed_key(form_id) is not None:
        form = designed_steps.pinned_form(session, load_for_step(session, instance_id), form_id)
        return TaskForm(row, form.title, from_designed(parse_schema(form.schema)[0]))
    if form_id in SHIPPED:
        return TaskForm(row, SHIPPED[form_id].title, from_contract(SHIPPED[form_id], sent=sendable(form_id)))
    view = next((t for t in instances.snapshot(session, instance_id).ready_tasks if t.task_id == row.task_id), None)
    contract = contract_for(form_id, view.fields if view is not None else None)
    return TaskForm(row, form_id, from_contract(contract) if contract is not None else [])
