"""What each figure of the dashboard counts, once: the statement of its rows (programs, people, mentors,
appointments, reports) and the column it is broken down by. The dashboard counts them in the database (GROUP BY,
COUNT) and the list behind a figure is the same statement filtered by one value, so a figure and its list always
agree.

The rules, where the regulation leaves the counting open:
- involved (004 прил. 1 преамбула, the 70 % target): the active people of the registry who work in the shown
  organizations (``Person.organization_id``: teachers, students, heads — the denominator) and who were, some day of
  the period, the mentor or a member of a pair or group approved by order whose program ran then (wherever the
  pair is run: a school's teacher mentored in the department's program counts for the school);
- overdue stage: the program runs, its current stage's latest event date has passed and the stage report is not
  approved (as the school's monitoring counts it, ``engine.services.curation.monitoring``);
- a mentor's load: the current members of the running programs she leads now; the mentors are those appointed on
  the day and those leading a running program;
- an extension: a program whose extension order (003 §7.2) was signed and dated within the period.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, and_, case, exists, func, literal, or_, select, union

from engine.db.models import (
    GroupMember,
    MentorAppointment,
    MentoringGroup,
    MentorPeriodReport,
    Order,
    OrderStatus,
    Person,
    Program,
    ReportStatus,
    RoadmapEventRecord,
    StageReport,
)
from engine.db.models.mentorship import AppointmentStatus
from engine.errors import NotFound
from engine.services.monitoring.labels import FIGURES, TERM_ENDING_DAYS
from engine.services.monitoring.scope import FORMED, RUNNING, Scope, in_period, in_scope, ran_in_period

INT_KEYED = ("organization", "involved", "staff", "load")
NONE = "none"  # the value of a row whose key is empty (a running program before its first stage)


@dataclass(frozen=True)
class Definition:
    figure: str
    entity: Any  # the mapped class the list shows: Program, Person, MentorAppointment, MentorPeriodReport, StageReport
    rows: Select  # select(entity) with its joins and conditions
    key: Any  # the breakdown (a column or an expression); None: one number

    def counted(self) -> Select:
        """(key, count) per value, or (count,) — in the database (each row is one entity: its joins are to one row,
        so a plain COUNT, no DISTINCT to sort)."""
        count = func.count(self.entity.id)
        if self.key is None:
            return self.rows.with_only_columns(count, maintain_column_froms=True)
        return self.rows.with_only_columns(self.key, count, maintain_column_froms=True).group_by(self.key)

    def narrowed(self, value: str | None) -> Select:
        """The rows of one value of the breakdown (``None``: all of the figure's rows)."""
        if value is None or self.key is None:
            return self.rows
        if value == NONE:
            return self.rows.where(self.key.is_(None))
        if self.figure in INT_KEYED:
            if not value.isdigit() or len(value) > 10:
                raise NotFound(f"у показателя «{FIGURES[self.figure][0]}» нет значения «{value[:40]}»")
            return self.rows.where(self.key == int(value))
        return self.rows.where(self.key == value)


def programs(scope: Scope) -> Select:
    return select(Program).join(MentoringGroup, Program.group_id == MentoringGroup.id).where(in_scope(scope))


def running(scope: Scope) -> Select:
    return programs(scope).where(Program.status.in_(RUNNING))


def current_stage_due():
    """The current stage's due date of the program in the outer statement: its latest event date."""
    return (select(func.max(RoadmapEventRecord.due_on))
            .where(RoadmapEventRecord.program_id == Program.id, RoadmapEventRecord.stage_id == Program.current_stage_id)
            .correlate(Program).scalar_subquery())


def overdue_condition(scope: Scope) -> ColumnElement[bool]:
    approved = exists().where(StageReport.program_id == Program.id, StageReport.stage_id == Program.current_stage_id,
                              StageReport.status == ReportStatus.APPROVED.value)
    return and_(current_stage_due() < scope.today, ~approved)


def involved_ids(scope: Scope) -> CompoundSelect:
    """The people who took part in a formed pair or group whose program ran in the period (mentor or member)."""
    ran = and_(MentoringGroup.status.in_(FORMED), ran_in_period(scope))
    members = (select(GroupMember.person_id.label("person_id"))
               .join(MentoringGroup, GroupMember.group_id == MentoringGroup.id)
               .join(Program, Program.group_id == MentoringGroup.id)
               .where(ran, or_(GroupMember.left_on.is_(None), GroupMember.left_on >= scope.period_from)))
    mentors = (select(MentoringGroup.mentor_id.label("person_id"))
               .join(Program, Program.group_id == MentoringGroup.id)
               .where(ran, or_(MentoringGroup.mentor_released_on.is_(None),
                               MentoringGroup.mentor_released_on >= scope.period_from)))
    return union(members, mentors)


def staff(scope: Scope) -> Select:
    return select(Person).where(Person.is_active.is_(True), Person.organization_id.in_(scope.shown_ids))


def mentor_loads(scope: Scope):
    """(person_id, mentees) of every mentor in scope: appointed today or leading a running program, 0 if none."""
    appointed = select(MentorAppointment.person_id.label("person_id")).where(
        MentorAppointment.organization_id.in_(scope.shown_ids),
        MentorAppointment.status.in_([AppointmentStatus.ACTIVE.value, AppointmentStatus.RELEASED.value]),
        MentorAppointment.starts_on <= scope.today, MentorAppointment.ends_on >= scope.today,
        or_(MentorAppointment.released_on.is_(None), MentorAppointment.released_on > scope.today))
    leading = (select(MentoringGroup.mentor_id.label("person_id"))
               .join(Program, Program.group_id == MentoringGroup.id)
               .where(in_scope(scope), Program.status.in_(RUNNING), MentoringGroup.mentor_released_on.is_(None)))
    mentors = union(appointed, leading).subquery("mentors")
    led = (select(MentoringGroup.mentor_id.label("person_id"),
                  func.count(GroupMember.person_id.distinct()).label("mentees"))
           .join(Program, Program.group_id == MentoringGroup.id)
           .join(GroupMember, GroupMember.group_id == MentoringGroup.id)
           .where(in_scope(scope), Program.status.in_(RUNNING), MentoringGroup.mentor_released_on.is_(None),
                  GroupMember.left_on.is_(None))
           .group_by(MentoringGroup.mentor_id).subquery("led"))
    load = func.coalesce(led.c.mentees, 0)
    return select(mentors.c.person_id, load.label("mentees")).select_from(
        mentors.outerjoin(led, led.c.person_id == mentors.c.person_id)).subquery("loads")


def report_state(scope: Scope) -> ColumnElement[str]:
    """A mentor's period report: filed, overdue (not filed by its date), open (its date is ahead)."""
    return case((MentorPeriodReport.filed_on.is_not(None), literal("filed")),
                (MentorPeriodReport.due_on <= scope.today, literal("overdue")), else_=literal("open"))


def utc_day(day, *, after: bool = False) -> datetime:
    return datetime.combine(day + timedelta(days=1) if after else day, time(), tzinfo=UTC)


def definition(scope: Scope, figure: str) -> Definition:  # noqa: C901 - one branch per figure, read as a table
    """The rows and the breakdown of ``figure`` (``NotFound`` for a figure the dashboard does not have)."""
    if figure not in FIGURES:
        raise NotFound(f"на панели мониторинга нет показателя «{figure[:40]}»")
    if figure == "staff":
        return Definition(figure, Person, staff(scope), Person.organization_id)
    if figure == "involved":
        return Definition(figure, Person, staff(scope).where(Person.id.in_(involved_ids(scope))), Person.organization_id)
    if figure == "status":
        return Definition(figure, Program, programs(scope), Program.status)
    if figure in ("stage", "form", "model", "organization"):
        key = {"stage": Program.current_stage_id, "form": MentoringGroup.form, "model": Program.roadmap_id,
               "organization": MentoringGroup.organization_id}[figure]
        return Definition(figure, Program, running(scope), key)
    if figure == "overdue":
        return Definition(figure, Program, running(scope).where(overdue_condition(scope)), None)
    if figure == "ground":
        return Definition(figure, Program, programs(scope).where(
            Program.completion_ground.is_not(None), in_period(Program.completed_on, scope)), Program.completion_ground)
    if figure == "extended":
        signed = exists().where(Order.workflow_instance_id == Program.workflow_instance_id, Order.type == "extension",
                                Order.extends_term.is_not(False),  # a content-only order (003 §7.2) is no extension
                                Order.status == OrderStatus.SIGNED.value, in_period(Order.issued_on, scope))
        return Definition(figure, Program, programs(scope).where(Program.workflow_instance_id.is_not(None), signed),
                          None)
    if figure == "load":
        loads = mentor_loads(scope)
        return Definition(figure, Person, select(Person).join(loads, loads.c.person_id == Person.id), loads.c.mentees)
    if figure == "terms_ending":
        return Definition(figure, MentorAppointment, select(MentorAppointment).where(
            MentorAppointment.organization_id.in_(scope.shown_ids),
            MentorAppointment.status == AppointmentStatus.ACTIVE.value, MentorAppointment.released_on.is_(None),
            MentorAppointment.ends_on >= scope.today,
            MentorAppointment.ends_on <= scope.today + timedelta(days=TERM_ENDING_DAYS)), None)
    if figure == "mentor_reports":
        return Definition(figure, MentorPeriodReport, select(MentorPeriodReport).where(
            MentorPeriodReport.organization_id.in_(scope.shown_ids), in_period(MentorPeriodReport.due_on, scope)),
            report_state(scope))
    if figure == "overdue_reports":
        return Definition(figure, MentorPeriodReport, select(MentorPeriodReport).where(
            MentorPeriodReport.organization_id.in_(scope.shown_ids), MentorPeriodReport.filed_on.is_(None),
            MentorPeriodReport.due_on <= scope.today), None)
    return Definition(figure, StageReport, select(StageReport)  # stage_reports
                      .join(Program, StageReport.program_id == Program.id)
                      .join(MentoringGroup, Program.group_id == MentoringGroup.id)
                      .where(in_scope(scope), StageReport.submitted_at >= utc_day(scope.period_from),
                             StageReport.submitted_at < utc_day(scope.period_to, after=True)), StageReport.status)
