"""The mentor's page of his periodic report (003 п. 3: «отчёты руководителей, осуществляющих функции наставника,
ежегодно до 10 июня, 10 декабря»; the process and its rows: ``mentor_reports``).

    report_task(session, actor, instance_id, task_id) -> ReportTask   the open report task of the actor, prefilled
    file_report(session, actor, instance_id, task_id, programs, comment, *, expected_version=None)
        completes it through ``engine.services.tasks.completion.complete_step`` — the same entry the API and the
        CLI use: the form's contract checks the values, the process's hook (``record_mentor_period_report``) what
        it records

Only the mentor the task is assigned to opens it: anyone else — another mentor, the curator — is refused (403).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import MentorPeriodReport, OpenTask
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.curation.mentor_reports import KIND, mentor_programs
from engine.services.curation.report_dates import date_label
from engine.services.people.actor import Actor
from engine.services.process.task_lookup import open_task
from engine.services.tasks.completion import complete_step


@dataclass(frozen=True)
class ReportTask:
    task: OpenTask
    report: MentorPeriodReport
    label: str  # the date of the calendar, as the pack names it («до 10 июня»)
    programs: list[dict]  # the mentor's programs of the period with the events held (recounted today)
    version: int

    @property
    def due_on(self) -> date:
        return self.report.due_on


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
    return ReportTask(task, report, label, programs, task.instance.version)


def file_report(session: Session, actor: Actor, instance_id: int, task_id: str, programs: list[dict], comment: str,
                *, expected_version: int | None = None) -> MentorPeriodReport:
    """The mentor files his report: per program the results (required), difficulties, the mentee's progress."""
    found = report_task(session, actor, instance_id, task_id)
    complete_step(session, actor, instance_id, task_id, {"programs": programs, "comment": comment},
                  expected_version=expected_version)
    return found.report

