"""The curator's and the head's view of the mentors' reports of one date (003 п. 3 of the order; 003 §3.3: the
curator monitors): each mentor asked, the report's state (filed, overdue, expected), when it was opened, filed and
passed to the curator, and what he filed. The reports themselves are asked for by ``mentor_reports``.

    period_overview(session, actor, organization_id, *, due_on=None, today=None) -> PeriodOverview
    STATES                                          the states' Russian names (the monitoring's lists use them too)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import MentorPeriodReport, Organization, Person, Role
from engine.errors import NastavnikError
from engine.regulations.pack_parts import ReportIndicator
from engine.regulations.report_dates import date_label
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today

STATES = {"filed": "представлен", "overdue": "не представлен в срок", "open": "ожидается"}


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
