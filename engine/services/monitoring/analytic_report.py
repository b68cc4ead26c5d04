"""The semi-annual and the final analytic reports of the mentorship system (003 §3.3: the curator «осуществляет
мониторинг эффективности и результативности реализации системы наставничества …, оценку вовлеченности наставляемых
в различные формы наставничества …, формирует итоговый аналитический отчет»; 001 §2.4: monitoring twice a year; 002 §5:
the indicators of the monitoring's two stages).

    semiannual_report(session, actor, *, organization_id, half=(year, 1|2)) -> AnalyticReport
    final_report(session, actor, *, organization_id, year) -> AnalyticReport
    analytic_report(session, actor, *, organization_id, kind, year, half) -> AnalyticReport   the page's and API's
    save_conclusions(session, actor, *, organization_id, kind, year, half, text) -> ConclusionsRow   the curator's

The figures are counted anew each time (``analytic_figures``, in the database) over the organization and every one
under it; the period and who sees what: ``analytic_period``; the tables the figures are laid out in:
``analytic_tables`` — what the page, the workbook and the PDF show alike (``analytic_exports``), so their figures
are the same. The mentors whose report is overdue are
shown by name: each goes to the access log (152-ФЗ).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import AnalyticReport as ConclusionsRow
from engine.db.models import Organization, Person, log_shown, record_audit
from engine.documents.basics import zone_of
from engine.errors import NastavnikError, PermissionDenied
from engine.services.monitoring import analytic_figures as figures
from engine.services.monitoring import snapshots
from engine.services.monitoring.analytic_period import (
    Period,
    may_write_conclusions,
    organization_in_scope,
    period_of,
)
from engine.services.monitoring.analytic_tables import Table, plain, report_tables
from engine.services.monitoring.scope import without_jit
from engine.services.people.actor import Actor, subtree
from engine.services.process.domain import organization_today

CONCLUSIONS_MAX = 20_000
PURPOSE = "аналитический отчёт (003 §3.3)"


@dataclass
class AnalyticReport:
    organization: Organization
    organizations: int  # how many organizations the figures cover (the organization and those under it)
    period: Period
    formed_on: date  # today in the organization
    at: date  # the figures «at the period's end» are counted on this day
    figures: dict
    tables: list[Table]
    conclusions: str = ""
    conclusions_by: str | None = None
    conclusions_at: datetime | None = None
    may_write: bool = False
    formed_by: str = ""
    counted_at: datetime | None = None  # when the aggregate figures were counted (a snapshot's moment); None: now

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def title(self) -> str:
        return f"{self.period.kind_label.capitalize()} о реализации системы наставничества за {self.period.label}"

    def as_dict(self) -> dict:
        """JSON-ready (the API's): dates as ГГГГ-ММ-ДД."""
        return {"organization_id": self.organization.id, "organization": self.organization.name,
                "organizations_counted": self.organizations, "kind": self.period.kind, "year": self.period.year,
                "half": self.period.half, "period": self.period.key, "period_from": self.period.starts_on,
                "period_to": self.period.ends_on, "at": self.at, "formed_on": self.formed_on,
                "figures": plain(self.figures), "tables": [t.as_dict() for t in self.tables],
                "conclusions": self.conclusions, "conclusions_by": self.conclusions_by,
                "conclusions_at": self.conclusions_at, "may_write_conclusions": self.may_write,
                "counted_at": self.counted_at}


# -- the report -----------------------------------------------------------------------------------

def counted_figures(session: Session, organization: Organization, orgs: list[int], period: Period, at: date, *,
                    fresh: bool = False) -> tuple[dict[str, Any], datetime | None]:
    """The aggregate figures (participants, programs, stage reports, indicators) of the organizations ``orgs`` for
    the period, counted on ``at``: as last counted while young enough (``snapshots``; counts only, no names — the
    mentors' reports and who is overdue are read anew each time), counted anew when ``fresh``."""
    def count() -> dict[str, Any]:
        return {"participants": figures.participants(session, orgs, period.starts_on, at),
                "programs": figures.programs(session, orgs, period.starts_on, at),
                "stage_reports": figures.stage_reports(session, orgs, period.starts_on, at, zone_of(organization)),
                "indicators": figures.indicators(session, orgs, period.starts_on, period.ends_on)}
    parts = {"organizations": orgs, "kind": period.kind, "period": period.key, "at": at,
             "zone": str(zone_of(organization))}
    return snapshots.cached(session, "analytic", parts, count, organization_id=organization.id, fresh=fresh)


def analytic_report(session: Session, actor: Actor, *, organization_id: int | None, kind: str,
                    year: int | None = None, half: int | None = None, today: date | None = None,
                    fresh: bool = False) -> AnalyticReport:
    """The report of ``kind`` (semiannual | final) for the organization (and those under it) and the period;
    ``today``: the organization's today by the domain's clock unless given."""
    organization = organization_in_scope(session, actor, organization_id)
    today = today or organization_today(session, organization)
    period = period_of(kind, year, half, today=today)
    at = period.at(today)
    orgs = sorted(subtree(session, {organization.id}))
    without_jit(session)  # the figures aggregate every program of the tree: compiling them costs more than it saves
    counted, counted_at = counted_figures(session, organization, orgs, period, at, fresh=fresh)
    found: dict[str, Any] = {"today": today, **counted,
             "mentor_reports": figures.mentor_reports(session, orgs, period.starts_on, period.ends_on, today)}
    log_shown(session, (m["mentor_id"] for m in found["mentor_reports"]["overdue_mentors"]), PURPOSE,
              viewer=actor.person_id, fields=["full_name"])
    report = AnalyticReport(organization, len(orgs), period, today, at,
                            {k: v for k, v in found.items() if k != "today"},
                            report_tables(organization, period, at, found), may_write=may_write_conclusions(
                                actor, organization.id), formed_by=actor.full_name or actor.login,
                            counted_at=counted_at)
    row = _conclusions(session, organization.id, period)
    if row is not None:
        report.conclusions, report.conclusions_at = row.conclusions, row.updated_at
        report.conclusions_by = session.scalar(select(Person.full_name).where(Person.id == row.author_id))
    return report


def semiannual_report(session: Session, actor: Actor, *, organization_id: int | None, half: tuple[int, int],
                      today: date | None = None) -> AnalyticReport:
    """The report of a half-year: ``half`` = (year, 1 | 2)."""
    year, number = half
    return analytic_report(session, actor, organization_id=organization_id, kind="semiannual", year=year, half=number,
                           today=today)


def final_report(session: Session, actor: Actor, *, organization_id: int | None, year: int,
                 today: date | None = None) -> AnalyticReport:
    """The final report of the calendar year (analytic_period: why the calendar year)."""
    return analytic_report(session, actor, organization_id=organization_id, kind="final", year=year, today=today)


# -- the conclusions ------------------------------------------------------------------------------

def _conclusions(session: Session, organization_id: int, period: Period) -> ConclusionsRow | None:
    return session.scalar(select(ConclusionsRow).where(
        ConclusionsRow.organization_id == organization_id, ConclusionsRow.kind == period.kind,
        ConclusionsRow.period == period.key))


def save_conclusions(session: Session, actor: Actor, *, organization_id: int, kind: str, year: int | None,
                     half: int | None, text: str, today: date | None = None) -> ConclusionsRow:
    """The curator of the organization writes (or rewrites) the report's conclusions; audited."""
    organization = organization_in_scope(session, actor, organization_id)
    if not may_write_conclusions(actor, organization.id):
        raise PermissionDenied(f"{actor.full_name or actor.login}: выводы аналитического отчёта пишет куратор "
                               "этой организации (003 §3.3)")
    period = period_of(kind, year, half, today=today or organization_today(session, organization))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > CONCLUSIONS_MAX:
        raise NastavnikError(f"выводы — не длиннее {CONCLUSIONS_MAX} знаков", where="conclusions")
    row = _conclusions(session, organization.id, period)
    before = row.conclusions if row is not None else None
    if row is None:
        row = ConclusionsRow(organization_id=organization.id, kind=period.kind, period=period.key)
        session.add(row)
    row.conclusions, row.author_id = text, actor.person_id
    session.flush()
    record_audit(session, "analytic_report.conclusions", actor=actor.person_id, obj=row,
                 organization=organization.id,
                 details={"kind": period.kind, "period": period.key, "before": before, "after": text})
    return row
