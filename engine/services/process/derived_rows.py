"""The rows derived from a workflow's state after each step, for quick queries: one ``OpenTask`` per ready
user task (role from the lane, organization of the instance) and one ``WorkflowTimer`` with the earliest
due timer. Never the source of truth: rebuilt by ``engine.services.process.instances`` on every step.

Roles: a task's role is its lane's; a task deciding a petition (property ``petition``) goes to whoever the
organization's regulation pack names (``petitions[].decided_by``: 001 §6.2 — the head, 003 §5.1 — the
curator), the lane being the role where the pack names no person's role.

Assignees: a new ``OpenTask`` gets ``assignee_id`` from ``instance.subject["assignees"]`` looked up by
the effects the task carries (``mentor_consent``, ``new_mentor_consent``, …), its element id (instances started
before the effects were declared), then form id, then role: a person id, or ``"data:<field>"`` for the id in the task's own data
(one task per mentee in a multi-instance); else none (anyone with the role).
"""
from __future__ import annotations

import logging
from datetime import datetime

from engine import regulations
from engine.db.models import OpenTask, Role, WorkflowInstance, WorkflowTimer
from engine.errors import NastavnikError, NotFound
from engine.forms import FormId
from engine.workflow import UserTaskView
from engine.workflow.clock import to_utc

log = logging.getLogger(__name__)

TIMER_ELEMENT = "next_timer"  # the runtime reports only the earliest due time, not the element
_ROLES = {r.value for r in Role}


def _assignee(instance: WorkflowInstance, view: UserTaskView) -> int | None:
    assignees = (instance.subject or {}).get("assignees") if isinstance(instance.subject, dict) else None
    if not isinstance(assignees, dict):
        return None
    for key in (*view.effects, view.element_id, view.form, view.role):
        value = assignees.get(key) if key else None
        if isinstance(value, str) and value.startswith("data:"):  # the person id is in the task's data
            value = view.data.get(value[len("data:"):])
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def role_of(instance: WorkflowInstance, view: UserTaskView) -> str | None:
    """The role that does the task: the decider the organization's pack names for the petition the task
    decides, else the lane's role."""
    if view.petition and instance.organization is not None:
        try:
            petition = regulations.pack_of(instance.organization).petition(view.petition)
        except NotFound:
            petition = None
        if petition is not None and petition.decided_by in _ROLES:
            return petition.decided_by
    return view.role


# form id -> task data keys (tried in order) holding the date the step is due by; the stage's tasks
# are due by the stage's due date (the timer that escalates to the curator), a term reminder by the term end
DUE_DATA_KEYS: dict[str, tuple[str, ...]] = {
    FormId.STAGE_WORK: ("stage_due_at",),
    FormId.REVIEW_STAGE_REPORT: ("stage_due_at",),
    FormId.HANDLE_ESCALATION: ("stage_due_at",),
    FormId.ACKNOWLEDGE_REMINDER: ("stage_due_at", "term_end_at", "report_due_at"),
    FormId.MONITORING_REPORT: ("due_at",),  # 001 §2.4: до 20 декабря, до 20 мая
    FormId.BASE_REVIEW: ("due_at",),
    FormId.MENTOR_PERIOD_REPORT: ("report_due_at",),  # 003 п. 3: до 10 июня, до 10 декабря
    FormId.MENTOR_REPORT_OVERDUE: ("report_due_at",),
    # school_roadmap: the pre-scripts put the event's (or step's) due date in due_on
    FormId.ROADMAP_EVENT_DONE: ("due_on",),
    FormId.ROADMAP_OVERDUE: ("due_on",),
    FormId.ROADMAP_INTERIM_ANALYSIS: ("due_on",),
    FormId.ROADMAP_COMPLETION: ("due_on",),
    FormId.TRAINEE_REVIEW: ("review_due_at",),  # 004 IV.1: the review at the end of the academic year
}


def _due_at(view: UserTaskView) -> datetime | None:
    for key in DUE_DATA_KEYS.get(view.form or "", ()):
        value = view.data.get(key)
        if isinstance(value, str) and value.strip():
            try:
                return to_utc(value)
            except ValueError:
                log.warning("task %s: %s=%r is not a date", view.element_id, key, value)
    return None


def sync_open_tasks(instance: WorkflowInstance, views: list[UserTaskView], now: datetime | None = None) -> None:
    """Rebuild the derived task rows: a new row is dated by the step's clock (``now``); its due date
    comes from the task data (``DUE_DATA_KEYS``) and follows it when the data changes."""
    wanted = {v.task_id: v for v in views}
    for row in list(instance.open_tasks):
        if row.task_id not in wanted:
            instance.open_tasks.remove(row)  # delete-orphan
    have = {row.task_id: row for row in instance.open_tasks}
    for view in views:
        if view.task_id in have:
            row = have[view.task_id]
            due = _due_at(view)
            if (to_utc(row.due_at) if row.due_at else None) != due:
                row.due_at = due
            _follow_element(instance, row, view)
            continue
        role = role_of(instance, view)
        if role not in _ROLES:
            raise NastavnikError(f"у задачи нет роли (дорожка «{view.lane}»)",
                                 where=f"{view.element_id} «{view.element_name}»")
        row = OpenTask(
            task_id=view.task_id, element_id=view.element_id, name=(view.element_name or view.element_id)[:500],
            role=role, organization_id=instance.organization_id, assignee_id=_assignee(instance, view),
            form_id=view.form, due_at=_due_at(view))
        if now is not None:
            row.created_at = now
        instance.open_tasks.append(row)


def _follow_element(instance: WorkflowInstance, row: OpenTask, view: UserTaskView) -> None:
    """An open task keeps its row across steps; its element's name, form and role follow the version the instance
    runs (they change only when the instance moves to a new version of its process: ``instance_migration``)."""
    name = (view.element_name or view.element_id)[:500]
    if row.name != name:
        row.name = name
    if row.form_id != view.form:
        row.form_id = view.form
    role = role_of(instance, view)
    if role in _ROLES and row.role != role:
        row.role = role


def sync_timer(instance: WorkflowInstance, due: datetime | None) -> None:
    rows = list(instance.timers)
    if due is None:
        for row in rows:
            instance.timers.remove(row)
        return
    if rows:
        if rows[0].fires_at is None or to_utc(rows[0].fires_at) != due:
            rows[0].fires_at = due
        for row in rows[1:]:
            instance.timers.remove(row)
    else:
        instance.timers.append(WorkflowTimer(element_id=TIMER_ELEMENT, fires_at=due))
