"""The mentor's page of his periodic report (003 п. 3: «отчёты руководителей, осуществляющих функции наставника,
ежегодно до 10 июня, 10 декабря»; the process and its rows: ``mentor_reports``).

    report_task(session, actor, instance_id, task_id) -> ReportTask   the open report task of the actor, prefilled
    file_report(session, actor, instance_id, task_id, programs, comment, *, expected_version=None)
        completes it through ``engine.services.tasks.completion.complete_step`` — the same entry the API and the
        CLI use: the form's contract checks the values, the process's hook (``record_mentor_period_report``) what
        it records; the reminder of the report, if still open, is acknowledged with it (it has done its work)
    acknowledge_reminder(session, actor, instance_id, task_id)   the mentor dismisses the reminder on the page
    my_reports(session, actor) -> [ReportDue, …]   the actor's open report tasks, soonest first (his /my page)

The reminder (three days before the date) is a task of the mentor's: the report's page shows it with a button that
dismisses it, and filing the report dismisses it too — it never stays open after the report.

Only the mentor the task is assigned to opens it: anyone else — another mentor, the curator — is refused (403).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import MentorPeriodReport, OpenTask, WorkflowInstance
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.forms.designed import designed_key
from engine.regulations.pack_parts import ReportIndicator
from engine.regulations.report_dates import date_label
from engine.services.curation.mentor_report_period import mentor_programs
from engine.services.curation.mentor_reports import KIND
from engine.services.mentorship import participant_work
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today
from engine.services.process.task_lookup import open_task
from engine.services.tasks.completion import complete_step


@dataclass(frozen=True)
class ReportTask:
    task: OpenTask
    report: MentorPeriodReport
    label: str  # the date of the calendar, as the pack names it («до 10 июня»)
    programs: list[dict]  # the mentor's programs of the period with the events held (recounted today)
    version: int
    indicators: tuple[ReportIndicator, ...] = ()  # what the regulation asks per program (002 §5); () — nothing
    reminder: OpenTask | None = None  # the reminder of the date, while it is open
    steps: tuple[OpenTask, ...] = ()  # the mentor's steps of a form the methodologist designed (their own page)

    @property
    def due_on(self) -> date:
        return self.report.due_on


@dataclass(frozen=True)
class ReportDue:
    task: OpenTask
    due_on: date
    label: str
    reminded: bool  # the reminder is open: the date is three days away or less
    overdue: bool  # the date has come («до» a date: engine/domain_time.py) and the report is not filed


def _reminder(task: OpenTask, actor: Actor) -> OpenTask | None:
    return next((t for t in task.instance.open_tasks if t.form_id == FormId.ACKNOWLEDGE_REMINDER
                 and t.assignee_id == actor.person_id), None)


def _designed_steps(task: OpenTask, actor: Actor) -> tuple[OpenTask, ...]:
    """The actor's open steps of the report's process whose form a methodologist designed (``designed:<key>``, a
    reminder redrawn with a form of its own, say): the report's page links each to its page."""
    return tuple(t for t in task.instance.open_tasks if designed_key(t.form_id) is not None
                 and t.assignee_id == actor.person_id)


def report_task(session: Session, actor: Actor, instance_id: int, task_id: str) -> ReportTask:
    """The actor's open report task (404/409 when it is not open, 403 when it is another mentor's)."""
    task = open_task(session, instance_id, task_id)
    if task.form_id != FormId.MENTOR_PERIOD_REPORT or task.instance.kind != KIND:
        raise NotFound(f"задача «{task.name}» — не отчёт наставника за период")
    if task.assignee_id is None or task.assignee_id != actor.person_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: отчёт за период представляет наставник, "
                               "которому он назначен")
    report = session.scalar(select(MentorPeriodReport).where(MentorPeriodReport.workflow_instance_id == instance_id))
    if report is None:
        raise NastavnikError(f"процесс №{instance_id}: нет записи об отчёте наставника", where=KIND)
    label = date_label(report.organization, report.calendar_id, report.due_on)
    programs = mentor_programs(session, report.organization_id, report.mentor_id, report.period_from, report.due_on)
    return ReportTask(task, report, label, programs, task.instance.version,
                      regulations.pack_of(report.organization).report_indicators, _reminder(task, actor),
                      _designed_steps(task, actor))


def file_report(session: Session, actor: Actor, instance_id: int, task_id: str, programs: list[dict], comment: str,
                *, expected_version: int | None = None) -> MentorPeriodReport:
    """The mentor files his report: per program the results (required), difficulties, the mentee's progress."""
    found = report_task(session, actor, instance_id, task_id)
    complete_step(session, actor, instance_id, task_id, {"programs": programs, "comment": comment},
                  expected_version=expected_version)
    if found.reminder is not None:
        participant_work.acknowledge_reminder(session, actor, instance_id, found.reminder.task_id, "Отчёт представлен")
    return found.report


def acknowledge_reminder(session: Session, actor: Actor, instance_id: int, task_id: str) -> None:
    """The mentor dismisses the reminder of his report (a reminder of another process: 404)."""
    task = open_task(session, instance_id, task_id)
    if task.assignee_id is None or task.assignee_id != actor.person_id:
        raise PermissionDenied(f"{actor.full_name or actor.login}: напоминание — наставнику, которому назначен отчёт")
    if task.instance.kind != KIND or task.form_id != FormId.ACKNOWLEDGE_REMINDER:
        raise NotFound(f"задача «{task.name}» — не напоминание об отчёте наставника")
    participant_work.acknowledge_reminder(session, actor, instance_id, task_id, "Напоминание получено")


def open_report_task(session: Session, actor: Actor, instance_id: int) -> OpenTask | None:
    """The actor's report task of the process, while it is open."""
    return session.scalar(select(OpenTask).where(OpenTask.instance_id == instance_id,
                                                 OpenTask.form_id == FormId.MENTOR_PERIOD_REPORT,
                                                 OpenTask.assignee_id == actor.person_id))


def my_reports(session: Session, actor: Actor) -> list[ReportDue]:
    """The actor's open period report tasks, the soonest date first."""
    if actor.person_id is None:
        return []
    rows = session.execute(select(OpenTask, MentorPeriodReport).join(
        WorkflowInstance, WorkflowInstance.id == OpenTask.instance_id).join(
        MentorPeriodReport, MentorPeriodReport.workflow_instance_id == OpenTask.instance_id).where(
        WorkflowInstance.kind == KIND, OpenTask.assignee_id == actor.person_id,
        OpenTask.form_id == FormId.MENTOR_PERIOD_REPORT).order_by(MentorPeriodReport.due_on, OpenTask.id)).all()
    return [ReportDue(task, report.due_on, date_label(report.organization, report.calendar_id, report.due_on),
                      _reminder(task, actor) is not None, organization_today(session, report.organization) >= report.due_on)
            for task, report in rows]

