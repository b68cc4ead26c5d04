"""What the curator files on the dates of the regulation's report calendar: a monitoring report (001 §2.4:
до 20 декабря и до 20 мая) with the summary of the school's pairs as it stood, or a review of the base of
mentors and mentees (001 §4.2) with what was confirmed and what updated, entry by entry; and the curator's
conclusions of the semi-annual and final analytic reports (003 §3.3)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.types import UTCDateTime, utcnow
from engine.vocabulary import CalendarTask

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person


class CalendarReport(Base):
    """One filed calendar task: ``kind`` (monitoring | base_review), the calendar date it was due by
    (``calendar_id`` of the pack's report_calendar, ``due_on``), who filed it and when (the step's day),
    ``body`` (the monitoring summary, or the reviewed entries) and the curator's ``conclusions``."""

    __tablename__ = "calendar_reports"
    __table_args__ = (
        check_in("kind", CalendarTask, "kind"),
        Index("ix_calendar_reports_org_kind_due", "organization_id", "kind", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    calendar_id: Mapped[str] = mapped_column(String(64))
    clause: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    conclusions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    filed_by: Mapped[Person] = relationship()


class MentorPeriodReport(Base):
    """A mentor's periodic report (003 п. 3 of the order: «отчёты руководителей, осуществляющих функции наставника,
    ежегодно до 10 июня, 10 декабря»): one per mentor, calendar date and year — the unique key is what keeps a worker
    that runs twice from opening a second task. ``opened_on`` is the day the task opened (the mentors appointed on that
    day get one); ``body`` (the programs: events held, results, difficulties, the mentee's progress) and
    ``filed_on`` once the mentor filed it."""

    __tablename__ = "mentor_period_reports"
    __table_args__ = (
        UniqueConstraint("organization_id", "calendar_id", "due_on", "mentor_id", name="uq_mentor_period_reports_one"),
        Index("ix_mentor_period_reports_org_due", "organization_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    calendar_id: Mapped[str] = mapped_column(String(64))
    clause: Mapped[str] = mapped_column(String(64))
    period_from: Mapped[date] = mapped_column(Date)  # the day after the previous date of the calendar
    due_on: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    filed_on: Mapped[date | None] = mapped_column(Date)
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    escalated_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    mentor: Mapped[Person] = relationship()


class AnalyticReport(Base):
    """The curator's conclusions of an analytic report (003 §3.3: «формирует итоговый аналитический отчет о
    реализации системы наставничества»): one text per organization, ``kind`` (semiannual | final) and ``period``
    (``2026-1``, ``2026-2`` for the half-years, ``2026`` for the year). The report's figures are counted anew each
    time it is opened (engine.services.monitoring.analytic_report); only the text the curator writes is kept."""

    __tablename__ = "analytic_reports"
    __table_args__ = (
        UniqueConstraint("organization_id", "kind", "period", name="uq_analytic_reports_one"),
        check_in("kind", ("semiannual", "final"), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))
    conclusions: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    author: Mapped[Person | None] = relationship()


class MonitoringSnapshot(Base):
    """The figures of a monitoring view (the dashboard of a scope and period, an analytic report of an organization
    and period) as counted at ``computed_at``: served instead of counting anew while younger than the refresh
    period (engine.services.monitoring.snapshots). ``key`` names the view (its organizations, period and day);
    ``payload`` holds only counts and the names of organizations and figures — no person's data."""

    __tablename__ = "monitoring_snapshots"
    __table_args__ = (
        UniqueConstraint("key", name="uq_monitoring_snapshots_key"),
        check_in("kind", ("dashboard", "analytic"), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    compute_ms: Mapped[int] = mapped_column(Integer, default=0)
