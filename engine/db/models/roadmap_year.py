"""An organization's roadmap year: the calendar roadmap of its regulation pack (004 прил. 2 for schools) run for
one academic year (004 п. 4.3), one row per event occurrence and per explicit step (the interim analysis,
004 прил. 2 п. 7.2, and the monitoring and completion, п. 8.1) with its due date, who marks it and the evidence."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person
    from engine.db.models.workflow import WorkflowInstance


class RoadmapYearStatus(enum.StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"


ROADMAP_YEAR_LIFECYCLE = Lifecycle(
    statuses=RoadmapYearStatus, table="roadmap_years", entity="учебный год по дорожной карте (№ {id})",
    labels={RoadmapYearStatus.RUNNING: "выполняется", RoadmapYearStatus.COMPLETED: "завершён"},
    transitions={RoadmapYearStatus.RUNNING: frozenset({RoadmapYearStatus.COMPLETED}),
                 RoadmapYearStatus.COMPLETED: frozenset()},
    doc="""The head or the curator starts the year (``school_roadmap.start_year``: 004 п. 4.3); it is completed
    when the curator submits the monitoring and completion (004 прил. 2 п. 8.1; ``school_roadmap`` hook
    record_roadmap_completion). A completed year never runs again: the next academic year is a new row.""",
)


class RoadmapItemKind(enum.StrEnum):
    EVENT = "event"  # an event of the roadmap (one row per occurrence: «Ноябрь 2021, март 2022» — two)
    INTERIM_ANALYSIS = "interim_analysis"  # 004 прил. 2 п. 7.2
    COMPLETION = "completion"  # 004 прил. 2 п. 8.1


class RoadmapItemStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    NOT_DONE = "not_done"  # the year was completed without it


ROADMAP_ITEM_LIFECYCLE = Lifecycle(
    statuses=RoadmapItemStatus, table="roadmap_year_items", entity="мероприятие дорожной карты года (№ {id})",
    labels={RoadmapItemStatus.PLANNED: "запланировано", RoadmapItemStatus.DONE: "выполнено",
            RoadmapItemStatus.NOT_DONE: "не выполнено"},
    transitions={RoadmapItemStatus.PLANNED: frozenset({RoadmapItemStatus.DONE, RoadmapItemStatus.NOT_DONE}),
                 RoadmapItemStatus.DONE: frozenset(), RoadmapItemStatus.NOT_DONE: frozenset()},
    doc="""An event of 004 прил. 2 is planned until the curator (the head for the director's events) marks it done with its
    evidence (hook record_roadmap_event); the two explicit steps are done by their reports (record_roadmap_interim,
    record_roadmap_completion). What is still planned when the year is completed becomes «не выполнено». An
    overdue event stays planned: its escalation (``escalated_on``, the head's ``measures``) is recorded beside.""",
)


class RoadmapYear(Base):
    __tablename__ = "roadmap_years"
    __table_args__ = (
        UniqueConstraint("organization_id", "roadmap_id", "academic_year"),
        check_in("status", RoadmapYearStatus, "status"),
        CheckConstraint("status <> 'completed' OR completed_on IS NOT NULL", name="completed_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    roadmap_id: Mapped[str] = mapped_column(String(64))
    academic_year: Mapped[int] = mapped_column(Integer)  # its first calendar year: 2025 for 2025/2026
    status: Mapped[str] = mapped_column(String(16), default=RoadmapYearStatus.RUNNING.value)
    started_on: Mapped[date] = mapped_column(Date)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    completed_on: Mapped[date | None] = mapped_column(Date)
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    started_by: Mapped[Person | None] = relationship()
    workflow_instance: Mapped[WorkflowInstance | None] = relationship()
    items: Mapped[list[RoadmapYearItem]] = relationship(
        back_populates="year", cascade="all, delete-orphan", order_by="(RoadmapYearItem.seq, RoadmapYearItem.id)")

    _check_status = status_validator(ROADMAP_YEAR_LIFECYCLE)

    @property
    def label(self) -> str:
        return f"{self.academic_year}/{self.academic_year + 1}"


class RoadmapYearItem(Base):
    """One event occurrence or explicit step of a roadmap year (``key``: «5.1», «5.1#2» for its second date)."""

    __tablename__ = "roadmap_year_items"
    __table_args__ = (
        UniqueConstraint("year_id", "key"),
        check_in("status", RoadmapItemStatus, "status"),
        check_in("kind", RoadmapItemKind, "kind"),
        check_in("role", ("curator", "head"), "role"),
        CheckConstraint("status <> 'done' OR (done_on IS NOT NULL AND done_by_id IS NOT NULL)", name="done_has_who"),
        CheckConstraint("measures IS NULL OR escalated_on IS NOT NULL", name="measures_after_escalation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("roadmap_years.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16), default=RoadmapItemKind.EVENT.value)
    number: Mapped[str] = mapped_column(String(16))
    stage_title: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    due_as_printed: Mapped[str | None] = mapped_column(String(200))
    responsible: Mapped[str | None] = mapped_column(String(300))  # «Исполнители» as printed
    role: Mapped[str] = mapped_column(String(16))  # who marks it done: curator | head
    opens_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)  # None: no due date of its own («По мере реализации»)
    status: Mapped[str] = mapped_column(String(16), default=RoadmapItemStatus.PLANNED.value)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    evidence: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the interim analysis or the completion form
    escalated_on: Mapped[date | None] = mapped_column(Date)
    measures: Mapped[str | None] = mapped_column(Text)
    measures_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    year: Mapped[RoadmapYear] = relationship(back_populates="items")
    done_by: Mapped[Person | None] = relationship(foreign_keys=[done_by_id])
    measures_by: Mapped[Person | None] = relationship(foreign_keys=[measures_by_id])

    _check_status = status_validator(ROADMAP_ITEM_LIFECYCLE)
