"""«Новая задача для вас»: every task a step gives someone becomes a notification in that step's transaction.

    teller = TaskTelling(told_elsewhere={...}, links=(...,))   # built by engine.bootstrap
    teller.tell(step)                                       # an EVERY_STEP hook
    recipients(session, instance, view) -> list[int]        # who a ready task is for
    task_due_on(instance, view) -> date | None              # its due date, the organization's day

A task is told when it appears (ready after the step, not before it), never again (``key``: the instance and the
task's id). It goes to its assignee, or — a task for a role — to every holder of that role in the organization.
The rooms above tell some tasks in their own words and kinds (a stage's reminder and escalation, a consent, the
head's signature): they name those tasks (effects or form ids, ``TOLD_TASKS`` of a domain module; or a test of
the step, ``TASK_SKIPS``: the stage given back with the returned report) and the generic notice skips them. The page a task is done on: the first of the rooms' ``TASK_LINKS`` that knows it, else
the curator's step page, the head's decision page or the participant's «Мои программы».
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import OpenTask, Role, RoleAssignment, WorkflowInstance
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.forms import FormId
from engine.services.notifications.kinds import TASK_ASSIGNED
from engine.services.notifications.outbox import notify_many
from engine.services.process.hooks import Step
from engine.workflow import UserTaskView

TaskLink = Callable[[WorkflowInstance, UserTaskView], str | None]  # the page to do the task on, or None: not mine
TaskSkip = Callable[[Step, UserTaskView], bool]  # True: the step already told of this task in other words


def role_holders(session: Session, organization_id: int, role: str) -> list[int]:
    """The people holding ``role`` in the organization now, by id."""
    return list(session.scalars(select(RoleAssignment.person_id).where(
        RoleAssignment.organization_id == organization_id, RoleAssignment.role == role,
        RoleAssignment.active.is_(True)).order_by(RoleAssignment.person_id)))


def open_row(instance: WorkflowInstance, view: UserTaskView) -> OpenTask | None:
    return next((row for row in instance.open_tasks if row.task_id == view.task_id), None)


def recipients(session: Session, instance: WorkflowInstance, view: UserTaskView) -> list[int]:
    """Who the ready task ``view`` is for: its assignee, else the holders of its role in the organization."""
    row = open_row(instance, view)
    if row is None:
        return []
    if row.assignee_id is not None:
        return [row.assignee_id]
    return role_holders(session, row.organization_id, row.role)


def task_due_on(instance: WorkflowInstance, view: UserTaskView) -> date | None:
    """The day the task is due by, in the organization's time zone (none when it has no due date)."""
    row = open_row(instance, view)
    if row is None or row.due_at is None:
        return None
    return local_day(row.due_at, zone_of(instance.organization))


def default_link(instance: WorkflowInstance, view: UserTaskView) -> str:
    row = open_row(instance, view)
    role = row.role if row is not None else view.role
    if role == Role.CURATOR:
        return f"/tasks/{instance.id}/{view.task_id}"
    if role == Role.HEAD and view.form == FormId.DECIDE_PETITION:
        return f"/decisions/{instance.id}/{view.task_id}"
    if role in (Role.MENTOR, Role.MENTEE):
        return "/my"
    return "/"


def task_key(instance: WorkflowInstance, view: UserTaskView) -> str:
    return f"task:{instance.id}:{view.task_id}"


def process_label(instance: WorkflowInstance) -> str:
    definition = instance.definition
    name = (definition.name or definition.process_id) if definition is not None else ""
    return f"процесс «{name}» № {instance.id}" if name else f"процесс № {instance.id}"


class TaskTelling:
    """The generic «new task» notice, skipping the tasks the rooms above tell themselves."""

    def __init__(self, told_elsewhere: Iterable[str] = (), links: Iterable[TaskLink] = (),
                 skips: Iterable[TaskSkip] = ()) -> None:
        self.told_elsewhere = frozenset(told_elsewhere)
        self.links = tuple(links)
        self.skips = tuple(skips)

    def is_told_elsewhere(self, step: Step, view: UserTaskView) -> bool:
        return (any(effect in self.told_elsewhere for effect in view.effects) or (view.form or "") in self.told_elsewhere
                or any(skip(step, view) for skip in self.skips))

    def link(self, instance: WorkflowInstance, view: UserTaskView) -> str:
        for link in self.links:
            found = link(instance, view)
            if found:
                return found
        return default_link(instance, view)

    def tell(self, step: Step) -> None:
        for view in step.opened:
            if self.is_told_elsewhere(step, view):
                continue
            people = recipients(step.session, step.instance, view)
            if not people:
                continue
            name = view.element_name or view.element_id
            due = task_due_on(step.instance, view)
            body = f"Задача «{name}»: {process_label(step.instance)}."
            if due is not None:
                body += f" Срок — {due:%d.%m.%Y}."
            notify_many(step.session, people, TASK_ASSIGNED, f"Новая задача: «{name}»", body=body,
                        link=self.link(step.instance, view), organization_id=step.instance.organization_id,
                        instance_id=step.instance.id, due_on=due, key=task_key(step.instance, view))
