"""The mentors' periodic reports by the dates of the regulation's report calendar (003 п. 3 of the order: «отчёты
руководителей, осуществляющих функции наставника, ежегодно до 10 июня, 10 декабря»; the pack's ``report_calendar``
entries with ``report_by: mentor``).

    SWEEPS: sweep_mentor_reports(session, now)   each tick: the job of the (UTC) day, once (key ``mentor_reports:<day>``)
    JOBS:   open_due_reports(session, now)        for every date whose task opens (``LEAD_DAYS`` before it) by the
                                                  organization's today: one ``mentor_period_report`` process per
                                                  mentor appointed on the opening day who has none for that date
    report_link(instance, view)                   the mentor's page of the task (``TASK_LINKS``; the page and the
                                                  filing through the common completion: ``engine.services.tasks.mentor_report_page``)

The dates are the organization's when its administrator set them, else the pack's (``report_dates``). Exactly one per
mentor and date: the row ``MentorPeriodReport`` (unique: organization, date, year, mentor) is written
with the process, so a worker that runs twice, or a day's job retried, opens nothing more. Who is asked is decided on
the opening day: a mentor appointed after it files nothing for that date. A worker down through a whole date opens
nothing late for it (the next date's period covers the time). A date the administrator moves after its reports opened
opens none again: a report counts for the calendar date nearest to its own (``covering_window``). The report is
prefilled with the mentor's programs and the roadmap events done in the period (``mentor_report_period``);
``record_mentor_period_report`` keeps what he filed, the events recounted on the step's day. The process reminds him
``REMINDER_DAYS`` before the date and asks the curator to act from the date on («до» a date, engine/domain_time.py):
``record_escalation`` notes the day on the row. The curator's and the head's view of a date's reports:
``mentor_report_overview``.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import (
    Job,
    MentorPeriodReport,
    Organization,
    Person,
    Role,
    WorkflowInstance,
    appointed_on_stmt,
    record_audit,
)
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import RegulationPack
from engine.regulations.pack_parts import ReportDate, ReportIndicator
from engine.regulations.report_dates import covering_window, report_dates
from engine.services.curation import report_indicators
from engine.services.curation.mentor_report_period import mentor_programs, period_from
from engine.services.jobs.queue import enqueue
from engine.services.orders.in_workflows import OrderKind, step_day
from engine.services.people.actor import SYSTEM
from engine.services.process import instances
from engine.services.process.definitions import elements_with
from engine.services.process.hooks import Step, StepHook
from engine.workflow import FixedClock, UserTaskView
from engine.workflow.clock import to_utc

KIND = "mentor_report"
PURPOSE = "mentor_report"  # the pack's processes entry
LEAD_DAYS = 14  # the task opens two weeks before its date, as the curator's calendar tasks do
REMINDER_DAYS = 3  # the mentor is reminded three days before the date
JOB = "mentor_reports"
REPORT, OVERDUE = "mentor_report", "mentor_report_overdue"  # the effects its tasks carry (engine.workflow.effects)
TEXT_FIELDS = {"results": "результаты", "difficulties": "трудности", "mentee_progress": "продвижение наставляемого"}


# -- the worker ---------------------------------------------------------------------------------

def sweep_mentor_reports(session: Session, now: datetime) -> None:
    day = to_utc(now).date()
    enqueue(session, JOB, f"{JOB}:{day.isoformat()}", {"day": day.isoformat()}, run_after=now)


def _organizations(session: Session) -> list[tuple[Organization, RegulationPack, tuple[ReportDate, ...]]]:
    found = []
    for organization in session.scalars(select(Organization).order_by(Organization.id)):
        try:
            regulation = regulations.pack_of(organization)
        except NastavnikError:  # an organization bound to no pack that loads: nothing to open
            continue
        dates = report_dates(organization, regulation)  # its administrator's, else the pack's
        if dates:
            found.append((organization, regulation, dates))
    return found


def open_due_reports(session: Session, now: datetime) -> int:
    """Open the report tasks due to open by each organization's today; returns how many were opened now."""
    opened = 0
    for organization, regulation, dates in _organizations(session):
        today = local_day(now, zone_of(organization))
        for day in dates:
            due = day.next_on_or_after(today)
            if due is None or today < due - timedelta(days=LEAD_DAYS):
                continue
            opened += _open(session, organization, regulation, day, dates, due, today, now)
    return opened


def _open(session: Session, organization: Organization, regulation: RegulationPack, day: ReportDate,
          dates: tuple[ReportDate, ...], due: date, today: date, now: datetime) -> int:
    opens_on, since = due - timedelta(days=LEAD_DAYS), period_from(dates, due)
    mentors = list(dict.fromkeys(a.person_id for a in session.scalars(appointed_on_stmt(
        opens_on, organization_id=organization.id))))
    after, until = covering_window(dates, due)  # a report opened for a date since moved counts for the nearest
    have = set(session.scalars(select(MentorPeriodReport.mentor_id).where(
        MentorPeriodReport.organization_id == organization.id, MentorPeriodReport.due_on > after,
        MentorPeriodReport.due_on <= until)))
    names = {row[0]: row[1] for row in session.execute(select(Person.id, Person.full_name).where(Person.id.in_(mentors)))}
    opened = 0
    for mentor_id in (m for m in mentors if m not in have):
        instance = instances.start_instance(
            session, SYSTEM, regulation.process(PURPOSE, organization.kind), KIND, organization.id,
            subject={"calendar_id": day.id, "due_on": due.isoformat(), "mentor_id": mentor_id,
                     "assignees": {Role.MENTOR.value: mentor_id}},
            data={**regulation.process_data(), "calendar_id": day.id, "label": day.label, "clause": day.clause,
                  "mentor_id": mentor_id, "mentor_name": names.get(mentor_id, ""),
                  "period_from": since.isoformat(), "report_due_at": due.isoformat(),
                  "remind_at": (due - timedelta(days=REMINDER_DAYS)).isoformat(),
                  "programs": mentor_programs(session, organization.id, mentor_id, since, due)},
            clock=FixedClock(now))
        session.add(MentorPeriodReport(
            organization_id=organization.id, calendar_id=day.id, clause=day.clause, period_from=since, due_on=due,
            opened_on=today, mentor_id=mentor_id, workflow_instance_id=instance.id))
        session.flush()
        opened += 1
    return opened


def _job(session: Session, job: Job, now: datetime) -> None:
    open_due_reports(session, now)


# -- hooks ----------------------------------------------------------------------------------------

def _row(step: Step) -> MentorPeriodReport:
    row = step.session.scalar(select(MentorPeriodReport).where(
        MentorPeriodReport.workflow_instance_id == step.instance.id))
    if row is None:
        raise NastavnikError(f"процесс №{step.instance.id}: нет записи об отчёте наставника", where=KIND)
    return row


def _entries(data: dict, known: dict[int, dict], indicators: tuple[ReportIndicator, ...] = (),
             clause: str = "") -> list[dict]:
    entries: Any = data.get("programs") or []
    by_program: dict[int, dict] = {}
    for entry in entries if isinstance(entries, list) else []:
        program_id = entry.get("program_id") if isinstance(entry, dict) else None
        program_id = int(program_id) if isinstance(program_id, (int, str)) and str(program_id).isdigit() else None
        if program_id not in known:
            raise NastavnikError(f"программа «{entry.get('program_id') if isinstance(entry, dict) else entry}» — не "
                                 "программа наставника за этот период", where="programs")
        by_program[program_id] = entry
    filed = []
    for program_id, program in known.items():
        entry = by_program.get(program_id) or {}
        if not str(entry.get("results") or "").strip():
            cited = f" ({clause})" if clause else ""  # the report date's clause: 003 п. 3, 002 §5, 000 §3.4
            raise NastavnikError(f"программа № {program_id}: напишите результаты за период{cited}",
                                 where="programs")
        filed.append({**program, **{key: str(entry.get(key) or "").strip() for key in TEXT_FIELDS},
                      **({"indicators": report_indicators.checked(indicators, entry.get("indicators"), program_id)}
                         if indicators or entry.get("indicators") else {})})
    return filed


def record_mentor_period_report(step: Step) -> None:
    """The report as filed: per program the events held (recounted on the step's day), results, difficulties and
    the mentee's progress; every program of the period reported."""
    row = _row(step)
    known = {p["program_id"]: p for p in mentor_programs(step.session, row.organization_id, row.mentor_id,
                                                          row.period_from, row.due_on)}
    comment = str(step.task.data.get("comment") or "").strip()
    programs = _entries(step.task.data, known, regulations.pack_of(row.organization).report_indicators, row.clause)
    if not programs and not comment:
        raise NastavnikError("программ за период нет: напишите, что сделано за период", where="comment")
    row.body, row.filed_on = {"programs": programs, "comment": comment}, step_day(step.instance)
    record_audit(step.session, "mentor_report.filed", actor=step.actor.person_id, obj=row,
                 organization=row.organization_id, details={"calendar_id": row.calendar_id,
                                                           "due_on": row.due_on.isoformat()})


def record_escalation(step: Step) -> None:
    """After every step: the curator's task for a report not filed by its date has just opened — its day noted."""
    if step.instance.kind != KIND or not any(OVERDUE in v.effects for v in step.opened):
        return
    row = _row(step)
    row.escalated_on = row.escalated_on or step_day(step.instance)


# -- the mentor's page ----------------------------------------------------------------------------

PAGE = "/my/reports/{instance_id}/{task_id}"


def report_link(instance: WorkflowInstance, view: UserTaskView) -> str | None:
    """The mentor's report task — and its reminder, while the report is still to file — on the report's page."""
    if instance.kind != KIND:
        return None
    if view.form == FormId.MENTOR_PERIOD_REPORT:
        return PAGE.format(instance_id=instance.id, task_id=view.task_id)
    if view.form == FormId.ACKNOWLEDGE_REMINDER:
        reports = elements_with(instance.definition, REPORT)
        report = next((t for t in instance.open_tasks if t.element_id in reports), None)
        return PAGE.format(instance_id=instance.id, task_id=report.task_id) if report is not None else "/my"
    return None


HOOKS: dict[str, StepHook] = {"record_mentor_period_report": record_mentor_period_report}
ORDER_KINDS: dict[str, OrderKind] = {}
EVERY_STEP: tuple[StepHook, ...] = (record_escalation,)
JOBS = {JOB: _job}
SWEEPS = (sweep_mentor_reports,)
TASK_LINKS = (report_link,)
