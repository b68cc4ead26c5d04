"""The mentors' periodic reports by the dates of the regulation's report calendar (003 п. 3 of the order: «отчёты
руководителей, осуществляющих функции наставника, ежегодно до 10 июня, 10 декабря»; the pack's ``report_calendar``
entries with ``report_by: mentor``).

    SWEEPS: sweep_mentor_reports(session, now)   each tick: the job of the (UTC) day, once (key ``mentor_reports:<day>``)
    JOBS:   open_due_reports(session, now)        for every date whose task opens (``LEAD_DAYS`` before it) by the
                                                  organization's today: one ``mentor_period_report`` process per
                                                  mentor appointed on the opening day who has none for that date
    period_overview(session, actor, organization_id, *, due_on=None) -> PeriodOverview   the curator's and head's view
    report_link(instance, view)                   the mentor's page of the task (``TASK_LINKS``; the page and the
                                                  filing through the common completion: ``engine.services.tasks.mentor_report_page``)

The dates are the organization's when its administrator set them, else the pack's (``report_dates``). Exactly one per
mentor and date: the row ``MentorPeriodReport`` (unique: organization, date, year, mentor) is written
with the process, so a worker that runs twice, or a day's job retried, opens nothing more. Who is asked is decided on
the opening day: a mentor appointed after it files nothing for that date. A worker down through a whole date opens
nothing late for it (the next date's period covers the time). A date the administrator moves after its reports opened
opens none again: a report counts for the calendar date nearest to its own (``covering_window``). The report is prefilled with the mentor's programs and
the roadmap events done in the period; ``record_mentor_period_report`` keeps what he filed, the events recounted on
the step's day. The process reminds him ``REMINDER_DAYS`` before the date and asks the curator to act from the date on
(«до» a date, engine/domain_time.py): ``record_escalation`` notes the day on the row.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine import regulations
from engine.db.models import (
    EventStatus,
    GroupMember,
    Job,
    MentoringGroup,
    MentorPeriodReport,
    Organization,
    Person,
    Program,
    ProgramStatus,
    RoadmapEventRecord,
    Role,
    StageReport,
    WorkflowInstance,
    appointed_on_stmt,
    record_audit,
)
from engine.db.models.program import ReportStatus
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import RegulationPack
from engine.regulations.pack_parts import ReportDate, ReportIndicator
from engine.regulations.report_dates import covering_window, date_label, report_dates
from engine.services.curation import report_indicators
from engine.services.jobs.queue import enqueue
from engine.services.orders.in_workflows import OrderKind, step_day
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process import instances
from engine.services.process.definitions import elements_with
from engine.services.process.domain import organization_today
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
STATES = {"filed": "представлен", "overdue": "не представлен в срок", "open": "ожидается"}


# -- the period ---------------------------------------------------------------------------------

def period_from(dates: tuple[ReportDate, ...], due: date) -> date:
    """The first day a report due ``due`` covers: the day after the latest earlier date of the calendar."""
    earlier = [found for d in dates if (found := d.last_before(due)) is not None]
    return max(earlier) + timedelta(days=1) if earlier else due - timedelta(days=182)


def mentor_programs(session: Session, organization_id: int, mentor_id: int, since: date, until: date) -> list[dict]:
    """The mentor's programs that ran in the period, each with the roadmap events done in it (the form's prefill)."""
    programs = list(session.scalars(
        select(Program).join(MentoringGroup, Program.group_id == MentoringGroup.id)
        .where(MentoringGroup.organization_id == organization_id, MentoringGroup.mentor_id == mentor_id,
               Program.status != ProgramStatus.FORMING.value, Program.started_on <= until,
               (Program.completed_on.is_(None)) | (Program.completed_on >= since))
        .options(selectinload(Program.group).selectinload(MentoringGroup.members).joinedload(GroupMember.person))
        .order_by(Program.id)))
    done: Iterable[RoadmapEventRecord] = session.scalars(select(RoadmapEventRecord).where(
        RoadmapEventRecord.program_id.in_([p.id for p in programs]), RoadmapEventRecord.status == EventStatus.DONE.value,
        RoadmapEventRecord.done_on >= since, RoadmapEventRecord.done_on <= until)
        .order_by(RoadmapEventRecord.program_id, RoadmapEventRecord.seq, RoadmapEventRecord.id)) if programs else []
    held: dict[int, list[dict]] = {}
    for event in done:
        held.setdefault(event.program_id, []).append(
            {"number": event.number, "name": event.name, "done_on": event.done_on.isoformat() if event.done_on else None})
    approved = _stages_approved(session, [p.id for p in programs], since, until)
    return [{"program_id": p.id, "roadmap": p.roadmap_id, "status": p.status,
             "mentees": [m.person.full_name for m in p.group.members if m.person is not None],
             "events_held": held.get(p.id, []), "stages_approved": approved.get(p.id, [])} for p in programs]


def _stages_approved(session: Session, program_ids: list[int], since: date, until: date) -> dict[int, list[dict]]:
    """The stage reports the curator approved in the period, per program (the stage's title from its roadmap)."""
    if not program_ids:
        return {}
    rows = session.execute(select(StageReport.program_id, StageReport.stage_id, StageReport.reviewed_at,
                                  Program.roadmap_id).join(Program, Program.id == StageReport.program_id).where(
        StageReport.program_id.in_(program_ids), StageReport.status == ReportStatus.APPROVED.value,
        StageReport.reviewed_at >= datetime.combine(since, time(), UTC),
        StageReport.reviewed_at < datetime.combine(until + timedelta(days=1), time(), UTC))
        .order_by(StageReport.program_id, StageReport.reviewed_at, StageReport.id)).all()
    approved: dict[int, list[dict]] = {}
    for program_id, stage_id, reviewed_at, roadmap_id in rows:
        try:
            title = regulations.roadmap(roadmap_id).stage(stage_id).title
        except NastavnikError:  # a roadmap or stage no pack has any more: its id
            title = stage_id
        approved.setdefault(program_id, []).append(
            {"stage_id": stage_id, "title": title,
             "approved_on": to_utc(reviewed_at).date().isoformat() if reviewed_at else None})
    return approved


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


def _entries(data: dict, known: dict[int, dict], indicators: tuple[ReportIndicator, ...] = ()) -> list[dict]:
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
            raise NastavnikError(f"программа № {program_id}: напишите результаты за период (003 п. 3)",
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
    programs = _entries(step.task.data, known, regulations.pack_of(row.organization).report_indicators)
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


# -- the curator's view ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportRow:
    mentor: str
    state: str  # filed | overdue | open
    opened_on: date
    filed_on: date | None
    escalated_on: date | None
    report_id: int
    body: dict | None = None  # what he filed: per program the events held, results, indicators (002 §5)

    @property
    def state_label(self) -> str:
        return STATES[self.state]


@dataclass(frozen=True)
class PeriodOverview:
    due_on: date | None
    label: str
    rows: list[ReportRow]
    periods: tuple[date, ...] = ()  # every date the organization has reports for, newest first (the page's choice)
    indicators: tuple[ReportIndicator, ...] = ()  # the indicators its regulation asks for (their labels)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


def period_overview(session: Session, actor: Actor, organization_id: int, *, due_on: date | None = None,
                    today: date | None = None) -> PeriodOverview:
    """The reports of one date (default: the latest opened) and their state, for the organization's curator and
    head."""
    if not actor.has_role(organization_id, Role.HEAD):
        actor.require(organization_id, Role.CURATOR, action="отчёты наставников")
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NastavnikError(f"нет организации №{organization_id}")
    today = today or organization_today(session, organization)
    periods = tuple(session.scalars(select(MentorPeriodReport.due_on).where(
        MentorPeriodReport.organization_id == organization_id).group_by(MentorPeriodReport.due_on)
        .order_by(MentorPeriodReport.due_on.desc())))
    if due_on not in periods:
        due_on = periods[0] if periods else None
    if due_on is None:
        return PeriodOverview(None, "", [])
    rows = session.execute(select(MentorPeriodReport, Person.full_name).join(
        Person, Person.id == MentorPeriodReport.mentor_id).where(
        MentorPeriodReport.organization_id == organization_id, MentorPeriodReport.due_on == due_on)
        .order_by(Person.full_name, MentorPeriodReport.id)).all()
    label = date_label(organization, rows[0][0].calendar_id, due_on) if rows else ""
    return PeriodOverview(due_on, label, periods=periods, indicators=regulations.pack_of(organization).report_indicators,
                          rows=[ReportRow(name, "filed" if r.filed_on else "overdue" if today >= r.due_on else "open",
                                          r.opened_on, r.filed_on, r.escalated_on, r.id, r.body) for r, name in rows])


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
