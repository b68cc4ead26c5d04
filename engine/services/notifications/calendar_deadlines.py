"""What a person's calendar feed holds (``calendar_feed``): the deadlines that are theirs, read from the tables
directly (the notifications room stands below the rooms that own them).

    deadlines(session, person_id, *, now=None) -> list[Deadline]

* the open workflow tasks with a due date assigned to the person, or unassigned and of a role they hold in the
  task's organization (the inbox's rule, ``process.instances.list_tasks``);
* the stages of running programs they take part in — as the mentor, a mentee, or a curator of the program's
  organization — each stage not yet accepted, due on its events' date (003 прил. 1–4);
* the dates of the regulation's report calendar that drive the curator's task (001 §2.4, §4.2): the next one not
  yet filed, for the curators of the organization;
* orders awaiting their signature (the heads of the order's organization), on today's date until signed;
* the end of their mentor term (003 §3.4).

A deadline that is a day (a stage, a report date, a term) is on that day; a task due at a moment is at that moment
in the organization's time zone — a task due at midnight UTC was given a day and stays that day. Each has a stable
``uid`` so that a subscribed calendar updates the event instead of adding another. What an event says about other
people is only what the person sees on the page it links to (the names of their pair).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, load_only, selectinload

from engine import regulations
from engine.db.models import (
    AppointmentStatus,
    CalendarReport,
    GroupMember,
    InstanceStatus,
    MentorAppointment,
    MentoringGroup,
    OpenTask,
    Order,
    OrderStatus,
    Organization,
    Program,
    ProgramStatus,
    ReportStatus,
    Role,
    RoleAssignment,
    StageReport,
    WorkflowInstance,
)
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.errors import NastavnikError
from engine.regulations.calendar_days import calendar_entries

UID_DOMAIN = "nastavnik"
RUNNING_PROGRAMS = (ProgramStatus.ACTIVE.value, ProgramStatus.EXTENDED.value)
HALF_YEAR = timedelta(days=182)  # a report filed this near a date is the date's (its day may have moved since)
CALENDAR_KIND = "calendar"  # the report calendar's processes: their tasks are the report dates below


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable: «task-12-…@nastavnik»
    kind: str  # task | stage | report_date | order | mentor_term
    summary: str  # one line, Russian
    description: str
    link: str  # the page to act on, a path
    zone: ZoneInfo  # the organization's time zone
    day: date | None = None  # an all-day deadline (the organization's day)
    moment: datetime | None = None  # or a moment (UTC)

    @property
    def local_day(self) -> date:
        return self.day if self.day is not None else local_day(self.moment or utcnow(), self.zone)


def _uid(*parts: object) -> str:
    return "-".join(str(part) for part in parts) + f"@{UID_DOMAIN}"


class _Zones:
    """The time zone of each organization met, looked up once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[int, ZoneInfo] = {}

    def preload(self, organization_ids: set[int]) -> None:
        """The zones of the organizations not met yet, their rows read in one statement (a feed has a row per
        program and per task)."""
        missing = sorted(organization_ids - set(self.known))
        found = {o.id: o for o in self.session.scalars(select(Organization).where(Organization.id.in_(missing)))
                 } if missing else {}
        for organization_id in missing:
            self._remember(organization_id, found.get(organization_id))

    def _remember(self, organization_id: int, organization: Organization | None) -> None:
        try:
            self.known[organization_id] = zone_of(organization) if organization else ZoneInfo("UTC")
        except NastavnikError:  # an organization whose settings do not read: its pack's default is lost too
            self.known[organization_id] = ZoneInfo("UTC")

    def of(self, organization_id: int) -> ZoneInfo:
        if organization_id not in self.known:
            self._remember(organization_id, self.session.get(Organization, organization_id))
        return self.known[organization_id]

    def today(self, organization_id: int, now: datetime) -> date:
        return local_day(now, self.of(organization_id))


def held_roles(session: Session, person_id: int) -> set[tuple[int, str]]:
    rows = session.execute(select(RoleAssignment.organization_id, RoleAssignment.role).where(
        RoleAssignment.person_id == person_id, RoleAssignment.active.is_(True)))
    return {(organization_id, role) for organization_id, role in rows}


# -- programs ---------------------------------------------------------------------------------------------

def _programs(session: Session, person_id: int, roles: set[tuple[int, str]]) -> list[tuple[Program, str]]:
    """Running programs the person takes part in, with the part (mentor, mentee, curator: the first that fits)."""
    curated = sorted(org for org, role in roles if role == Role.CURATOR)
    member = select(GroupMember.group_id).where(GroupMember.person_id == person_id, GroupMember.left_on.is_(None))
    stmt = (select(Program).join(MentoringGroup, Program.group_id == MentoringGroup.id)
            .where(Program.status.in_(RUNNING_PROGRAMS),
                   or_(and_(MentoringGroup.mentor_id == person_id, MentoringGroup.mentor_released_on.is_(None)),
                       MentoringGroup.id.in_(member), MentoringGroup.organization_id.in_(curated)))
            .order_by(Program.id)
            .options(selectinload(Program.events), selectinload(Program.group).options(
                selectinload(MentoringGroup.members).selectinload(GroupMember.person),
                selectinload(MentoringGroup.mentor))))
    found = []
    for program in session.scalars(stmt):
        group = program.group
        part = (Role.MENTOR if group.current_mentor_id == person_id
                else Role.MENTEE if person_id in group.participant_ids() else Role.CURATOR)
        found.append((program, part.value))
    return found


def _stage_titles(roadmap_id: str) -> dict[str, str]:
    try:
        return {stage.id: stage.title for stage in regulations.roadmap(roadmap_id).stages}
    except NastavnikError:
        return {}


def _who(program: Program, part: str) -> str:
    group = program.group
    mentees = ", ".join(m.person.full_name for m in group.members if m.left_on is None)
    if part == Role.MENTEE:
        return f"Наставник: {group.mentor.full_name}." if group.current_mentor_id else ""
    return f"Наставляемые: {mentees}." if mentees else ""


def _stage_deadlines(session: Session, person_id: int, roles: set[tuple[int, str]],
                     zones: _Zones) -> list[Deadline]:
    found = []
    taken_part = _programs(session, person_id, roles)
    accepted_stages: dict[int, set[str]] = {}
    for program_id, stage_id in session.execute(select(StageReport.program_id, StageReport.stage_id).where(
            StageReport.program_id.in_([program.id for program, _part in taken_part]),
            StageReport.status == ReportStatus.APPROVED.value)):
        accepted_stages.setdefault(program_id, set()).add(stage_id)
    zones.preload({program.group.organization_id for program, _part in taken_part})
    for program, part in taken_part:
        accepted = accepted_stages.get(program.id, set())
        dues: dict[str, date] = {}
        for event in program.events:
            if event.due_on is not None and event.stage_id not in accepted:
                dues[event.stage_id] = max(event.due_on, dues.get(event.stage_id, event.due_on))
        titles = _stage_titles(program.roadmap_id)
        link = f"/programs/{program.id}" if part == Role.CURATOR else f"/my/programs/{program.id}"
        for stage_id, due in sorted(dues.items(), key=lambda item: item[1]):
            title = titles.get(stage_id, stage_id)
            current = " Этап идёт сейчас." if program.current_stage_id == stage_id else ""
            found.append(Deadline(
                uid=_uid("stage", program.id, stage_id), kind="stage",
                summary=f"Срок этапа «{title}» — программа № {program.id}",
                description=(f"Программа наставничества № {program.id}: этап «{title}» и отчёт о нём — до "
                             f"{due:%d.%m.%Y}.{current} {_who(program, part)}").strip(),
                link=link, zone=zones.of(program.group.organization_id), day=due))
    return found


# -- tasks ------------------------------------------------------------------------------------------------

def _task_link(task: OpenTask, programs: dict[int, int]) -> str:
    program_id = programs.get(task.instance_id)
    if program_id is not None:
        return f"/my/programs/{program_id}" if task.role in (Role.MENTOR, Role.MENTEE) else f"/programs/{program_id}"
    return {Role.CURATOR: "/inbox", Role.HEAD: "/orders", Role.METHODOLOGIST: "/methodology",
            Role.MENTOR: "/my", Role.MENTEE: "/my"}.get(Role(task.role), "/")


def _task_deadlines(session: Session, person_id: int, roles: set[tuple[int, str]], zones: _Zones,
                    stage_days: set[tuple[int, date]]) -> list[Deadline]:
    by_role = [and_(OpenTask.organization_id == org, OpenTask.role == role) for org, role in sorted(roles)]
    mine = OpenTask.assignee_id == person_id
    whose = or_(mine, and_(OpenTask.assignee_id.is_(None), or_(*by_role))) if by_role else mine
    rows = session.scalars(select(OpenTask).join(WorkflowInstance).where(
        whose, OpenTask.due_at.is_not(None), WorkflowInstance.status == InstanceStatus.RUNNING.value,
        WorkflowInstance.kind != CALENDAR_KIND).order_by(OpenTask.due_at, OpenTask.id))
    tasks = list(rows)
    instance_ids = {task.instance_id for task in tasks}
    programs: dict[int, int] = {
        int(instance_id): program_id for instance_id, program_id in session.execute(
            select(Program.workflow_instance_id, Program.id).where(Program.workflow_instance_id.in_(instance_ids)))
        if instance_id is not None} if instance_ids else {}
    found = []
    zones.preload({task.organization_id for task in tasks})
    for task in tasks:
        assert task.due_at is not None
        moment = task.due_at if task.due_at.tzinfo else task.due_at.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        zone = zones.of(task.organization_id)
        is_day = moment.time() == time(0, 0)  # given as a day (a stage's date, «до 20 декабря»): stays that day
        day = moment.date() if is_day else local_day(moment, zone)
        program_id = programs.get(task.instance_id)
        if program_id is not None and (program_id, day) in stage_days:
            continue  # the stage's own deadline says it
        where = f" (программа № {program_id})" if program_id is not None else ""
        found.append(Deadline(
            uid=_uid("task", task.instance_id, task.task_id), kind="task", summary=f"{task.name}{where}",
            description=f"Задача ждёт вас: «{task.name}»{where}. Срок — "
                        + (f"{day:%d.%m.%Y}." if is_day else f"{moment.astimezone(zone):%d.%m.%Y %H:%M}."),
            link=_task_link(task, programs), zone=zone, day=day if is_day else None,
            moment=None if is_day else moment))
    return found


# -- the organization's calendar, orders, the mentor's term ------------------------------------------------

def _report_dates(session: Session, roles: set[tuple[int, str]], zones: _Zones, now: datetime) -> list[Deadline]:
    found = []
    for organization_id in sorted(org for org, role in roles if role == Role.CURATOR):
        organization = session.get(Organization, organization_id)
        if organization is None:
            continue
        try:
            days = calendar_entries(organization)  # on its administrator's days
        except NastavnikError:
            continue
        today = zones.today(organization_id, now)
        for report in days:
            due = report.next_on_or_after(today)
            if due is None:
                continue
            filed = session.scalar(select(CalendarReport.id).where(  # filed for this period, maybe on a day since moved
                CalendarReport.organization_id == organization_id, CalendarReport.calendar_id == report.id,
                CalendarReport.due_on.between(due - HALF_YEAR, due + HALF_YEAR)).limit(1))
            if filed is not None:
                due = report.next_on_or_after(date(due.year + 1, 1, 1)) or due
            name = organization.short_name or organization.name
            found.append(Deadline(
                uid=_uid("report", organization_id, report.id, due.isoformat()), kind="report_date",
                summary=f"{report.label} — {name}",
                description=f"{report.label}. {name}: срок — {due:%d.%m.%Y} ({report.clause}).",
                link="/monitoring", zone=zones.of(organization_id), day=due))
    return found


def _orders(session: Session, roles: set[tuple[int, str]], zones: _Zones, now: datetime) -> list[Deadline]:
    headed = sorted(org for org, role in roles if role == Role.HEAD)
    if not headed:
        return []
    rows = session.scalars(select(Order).where(Order.organization_id.in_(headed),
                                               Order.status == OrderStatus.AWAITING_SIGNATURE.value)
                           .order_by(Order.id)
                           .options(load_only(Order.id, Order.organization_id, Order.subject, Order.updated_at)))
    found = []
    for order in rows:
        zone = zones.of(order.organization_id)
        since = local_day(order.updated_at, zone) if order.updated_at else None
        waiting = f" Ждёт с {since:%d.%m.%Y}." if since else ""
        found.append(Deadline(
            uid=_uid("order", order.id), kind="order", summary=f"Подписать приказ: {order.subject}",
            description=f"Приказ «{order.subject}» (запись № {order.id}) ждёт вашей подписи.{waiting}",
            link=f"/orders/{order.id}", zone=zone, day=zones.today(order.organization_id, now)))
    return found


def _mentor_terms(session: Session, person_id: int, zones: _Zones) -> list[Deadline]:
    rows = session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == person_id, MentorAppointment.status == AppointmentStatus.ACTIVE.value,
        MentorAppointment.released_on.is_(None)).order_by(MentorAppointment.ends_on))
    return [Deadline(uid=_uid("mentor-term", row.id), kind="mentor_term",
                     summary="Окончание срока назначения наставником",
                     description=(f"Вы назначены наставником с {row.starts_on:%d.%m.%Y}; последний день срока — "
                                  f"{row.ends_on:%d.%m.%Y}."),
                     link="/my", zone=zones.of(row.organization_id), day=row.ends_on) for row in rows]


def deadlines(session: Session, person_id: int, *, now: datetime | None = None) -> list[Deadline]:
    """Everything in the person's feed, by date."""
    moment = now if now is not None else utcnow()
    zones = _Zones(session)
    roles = held_roles(session, person_id)
    stages = _stage_deadlines(session, person_id, roles, zones)
    stage_days = {(int(item.uid.split("-")[1]), item.local_day) for item in stages}
    found = [*stages, *_task_deadlines(session, person_id, roles, zones, stage_days),
             *_report_dates(session, roles, zones, moment), *_orders(session, roles, zones, moment),
             *_mentor_terms(session, person_id, zones)]
    return sorted(found, key=lambda item: (item.local_day, item.uid))
