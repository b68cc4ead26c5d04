"""The regulation's report calendar as yearly tasks for the curator, on the domain clock: monitoring by 20
December and by 20 May (001 §2.4) and the review of the base of mentors and mentees (001 §4.2, yearly: the
school's choice). One ``mentorship_calendar`` process per date of the pack's report_calendar that names a task;
the task opens ``LEAD_DAYS`` before its date and is due on it; when filed, the date moves a year on. The days are
the organization's where its administrator moved them (``calendar_days``).

A moved day is followed without losing or doubling a task: a process still waiting for its task to open is
cancelled and replaced by one due on the new day (``follow_calendar_days``, called when the day changes); an open
task keeps its date, and once it is filed the process — moved a year on with the old day — is replaced likewise
(``_follow_after_filing``). The replacement is due on the new day nearest the replaced date (the same period:
20.12 → 25.12 stays in this December), never before today.

    start_calendar(session, actor, organization_id, *, clock=None) -> list[WorkflowInstance]
    calendar_slots(session, organization) -> list[CalendarSlot]
    follow_calendar_days(session, actor, organization) -> list[WorkflowInstance]   the replacements started
    file_monitoring_report(session, actor, instance_id, task_id, conclusions, *, expected_version=None)
    file_base_review(session, actor, instance_id, task_id, entries, comment, *, expected_version=None)

The hooks ``record_monitoring_report`` and ``record_base_review`` keep what was filed (``CalendarReport``):
the summary is the engine's on the step's day, never what a client sent.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from engine.db.models import (
    CalendarReport,
    InstanceStatus,
    OpenTask,
    Organization,
    Role,
    WorkflowInstance,
    record_audit,
)
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import pack_of
from engine.regulations.calendar_days import calendar_entries, day_key
from engine.regulations.pack_parts import ReportDate
from engine.services.curation import base_review, monitoring
from engine.services.orders.in_workflows import OrderKind, step_day
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process import instances
from engine.services.process.domain import organization_today
from engine.services.process.hooks import Step, StepHook
from engine.vocabulary import CalendarTask
from engine.workflow import Clock

KIND = "calendar"
LEAD_DAYS = 14  # the task opens two weeks before its date («до 20 декабря»: from 6 December)
FORMS = {CalendarTask.MONITORING: FormId.MONITORING_REPORT, CalendarTask.BASE_REVIEW: FormId.BASE_REVIEW}


@dataclass
class CalendarSlot:
    """A date of the calendar, its running process (None: not started) and the curator's open task."""

    day: ReportDate
    instance: WorkflowInstance | None
    due_on: date | None
    task: OpenTask | None


def _organization(session: Session, organization_id: int) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации №{organization_id}")
    return organization


def _running(session: Session, organization_id: int) -> dict[str, WorkflowInstance]:
    rows = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.organization_id == organization_id, WorkflowInstance.kind == KIND,
        WorkflowInstance.status == InstanceStatus.RUNNING.value).order_by(WorkflowInstance.id)
        .options(defer(WorkflowInstance.state)))  # a slot's due date is read from its snapshot, when running
    return {str((row.subject or {}).get("calendar_id")): row for row in rows}


def calendar_slots(session: Session, organization: Organization) -> list[CalendarSlot]:
    running = _running(session, organization.id)
    slots = []
    for day in calendar_entries(organization):
        instance = running.get(day.id)
        if instance is None:
            slots.append(CalendarSlot(day, None, None, None))
            continue
        due = _due_of(session, instance)
        slots.append(CalendarSlot(day, instance, due, next(iter(instance.open_tasks), None)))
    return slots


def start_calendar(session: Session, actor: Actor, organization_id: int, *,
                   clock: Clock | None = None) -> list[WorkflowInstance]:
    """The curator starts the organization's calendar: one process per date with a task that has none running
    (so a second call starts nothing). The first due date is the next such day from today (the domain clock)."""
    actor.require(organization_id, Role.CURATOR, action="запуск календаря мониторинга")
    organization = _organization(session, organization_id)
    regulation = pack_of(organization)
    days = calendar_entries(organization, regulation)
    if not days:
        raise NastavnikError(f"положение «{regulation.title}» не задаёт сроков мониторинга и сверки базы",
                             where=f"{regulation.id}/pack.yaml: report_calendar")
    today = organization_today(session, organization, clock)
    running = _running(session, organization_id)
    started = []
    for day in days:
        if day.id in running:
            continue
        due = day.next_on_or_after(today)
        assert due is not None  # a calendar task always has a day (the loader's rule)
        started.append(_start(session, actor, organization, day, due, clock))
    return started


def _start(session: Session, actor: Actor, organization: Organization, day: ReportDate, due: date,
           clock: Clock | None) -> WorkflowInstance:
    regulation = pack_of(organization)
    return instances.start_instance(
        session, actor, regulation.process("calendar"), KIND, organization.id,
        subject={"calendar_id": day.id, "task": day.task, "due_on": due.isoformat()},
        data={**regulation.process_data(), "calendar_id": day.id,
              "task": day.task, "label": day.label, "clause": day.clause, "due_at": due.isoformat(),
              "lead_days": LEAD_DAYS, "cycle": 0},
        clock=clock)


def _due_of(session: Session, instance: WorkflowInstance) -> date:
    return date.fromisoformat(str(instances.snapshot(session, instance.id).data.get("due_at"))[:10])


def moved_due(day: ReportDate, replaced: date, not_before: date) -> date:
    """The date of ``day`` for the period ``replaced`` stood for: the nearest such day to it (20.12.2026 → 25.12:
    25.12.2026; → 05.01: 05.01.2027), a year on while it is before ``not_before``."""
    assert day.month is not None and day.day is not None
    month, day_of_month = day.month, day.day
    nearest = min((date(replaced.year + shift, month, day_of_month) for shift in (-1, 0, 1)),
                  key=lambda candidate: (abs((candidate - replaced).days), candidate))
    while nearest < not_before:
        nearest = date(nearest.year + 1, month, day_of_month)
    return nearest


def _replace(session: Session, actor: Actor, organization: Organization, instance: WorkflowInstance,
             day: ReportDate, due: date) -> WorkflowInstance | None:
    """The process of ``day``'s entry, due ``due`` on an old day, cancelled and started again due on the new day
    (None: it is due on the day already)."""
    if day_key(day) == f"{due.month:02d}-{due.day:02d}":
        return None
    today = organization_today(session, organization)
    new_due = moved_due(day, due, today)
    instances.cancel_instance(session, actor, instance.id,
                              reason=f"срок «{day.label}» изменён: {due:%d.%m.%Y} → {new_due:%d.%m.%Y}")
    started = _start(session, SYSTEM, organization, day, new_due, None)
    record_audit(session, "calendar.rescheduled", actor=actor.person_id, object_type="workflow_instance",
                 object_id=started.id, organization=organization.id,
                 details={"calendar_id": day.id, "replaced_instance_id": instance.id, "old_due_on": due.isoformat(),
                          "due_on": new_due.isoformat()})
    return started


def follow_calendar_days(session: Session, actor: Actor, organization: Organization) -> list[WorkflowInstance]:
    """After the administrator moved a day: each running process still waiting for its task to open is replaced
    by one due on the new day; a process whose task is open keeps its date (replaced once the task is filed)."""
    running = _running(session, organization.id)
    started = []
    for day in calendar_entries(organization):
        instance = running.get(day.id)
        if instance is None or instance.open_tasks:
            continue
        replacement = _replace(session, actor, organization, instance, day, _due_of(session, instance))
        if replacement is not None:
            started.append(replacement)
    return started


def _follow_after_filing(session: Session, actor: Actor, instance: WorkflowInstance) -> None:
    """The task just filed: if the process moved its date a year on with a day the administrator has since
    changed, it is replaced by one due on the new day."""
    if instance.status != InstanceStatus.RUNNING.value or instance.open_tasks:
        return
    organization = _organization(session, instance.organization_id)
    calendar_id = str((instance.subject or {}).get("calendar_id"))
    day = next((entry for entry in calendar_entries(organization) if entry.id == calendar_id), None)
    if day is not None:
        _replace(session, actor, organization, instance, day, _due_of(session, instance))


# -- filing from the pages ----------------------------------------------------------------------

def open_task(session: Session, actor: Actor, instance_id: int, task_id: str) -> OpenTask:
    """The calendar task the curator opens: of a calendar process, the actor curator of its organization."""
    row = session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id, OpenTask.task_id == str(task_id)))
    if row is None:
        if session.get(WorkflowInstance, instance_id) is not None:
            raise ConflictError("эта задача уже выполнена; ничего не сохранено")
        raise NotFound("задача не найдена или уже выполнена", where=str(task_id))
    if row.role != Role.CURATOR or not actor.has_role(row.organization_id, Role.CURATOR):
        raise PermissionDenied(f"{actor.full_name or actor.login}: задачу «{row.name}» выполняет куратор организации")
    if row.form_id not in FORMS.values():
        raise NotFound(f"шаг «{row.name}» — не задача календаря положения", where=str(task_id))
    return row


def file_monitoring_report(session: Session, actor: Actor, instance_id: int, task_id: str, conclusions: str, *,
                           expected_version: int | None = None) -> WorkflowInstance:
    row = open_task(session, actor, instance_id, task_id)
    today = organization_today(session, row.organization)
    instance = instances.complete_task(session, actor, instance_id, row.task_id, {
        "summary": monitoring.school_summary(session, row.organization_id, today),
        "conclusions": conclusions}, expected_version=expected_version)
    _follow_after_filing(session, actor, instance)
    return instance


def file_base_review(session: Session, actor: Actor, instance_id: int, task_id: str, entries: list[dict],
                     comment: str = "", *, expected_version: int | None = None) -> WorkflowInstance:
    row = open_task(session, actor, instance_id, task_id)
    instance = instances.complete_task(session, actor, instance_id, row.task_id,
                                       {"entries": entries, "comment": comment}, expected_version=expected_version)
    _follow_after_filing(session, actor, instance)
    return instance


# -- hooks ---------------------------------------------------------------------------------------

def _report(step: Step, kind: CalendarTask, body: dict, conclusions: str | None) -> CalendarReport:
    data = step.task.data
    report = CalendarReport(
        organization_id=step.instance.organization_id, kind=kind.value, calendar_id=str(data.get("calendar_id")),
        clause=str(data.get("clause") or ""), due_on=date.fromisoformat(str(data.get("due_at"))[:10]),
        filed_on=step_day(step.instance), filed_by_id=step.actor.person_id, workflow_instance_id=step.instance.id,
        body=body, conclusions=conclusions)
    step.session.add(report)
    step.session.flush()
    record_audit(step.session, f"calendar.{kind.value}_filed", actor=step.actor.person_id, obj=report,
                 organization=step.instance.organization_id,
                 details={"calendar_id": report.calendar_id, "due_on": report.due_on.isoformat()})
    return report


def _record_monitoring_report(step: Step) -> None:
    """The monitoring report: the engine's summary of the school's pairs on the step's day, and the conclusions."""
    conclusions = str(step.task.data.get("conclusions") or "").strip()
    if not conclusions:
        raise NastavnikError("напишите выводы мониторинга и оценки результатов (001 §2.4)", where="conclusions")
    summary = monitoring.school_summary(step.session, step.instance.organization_id, step_day(step.instance))
    _report(step, CalendarTask.MONITORING, summary, conclusions)


def _record_base_review(step: Step) -> None:
    """Every entry of the base confirmed or updated (001 §4.2), each audited; the review kept."""
    entries: Any = step.task.data.get("entries")
    if not isinstance(entries, list):
        raise NastavnikError("ожидается список записей базы", where="entries")
    organization = _organization(step.session, step.instance.organization_id)
    body = base_review.apply_review(step.session, step.actor, organization.id, pack_of(organization), entries,
                                    step_day(step.instance))
    _report(step, CalendarTask.BASE_REVIEW, body, str(step.task.data.get("comment") or "").strip() or None)


HOOKS: dict[str, StepHook] = {  # the ``hook`` a user task names -> what its completion also does
    "record_monitoring_report": _record_monitoring_report,  # mentorship_calendar: the monitoring report (001 §2.4)
    "record_base_review": _record_base_review,  # mentorship_calendar: the base reviewed entry by entry (001 §4.2)
}
ORDER_KINDS: dict[str, OrderKind] = {}
