"""The individual plan of a teacher's professional development (ИППР, индивидуальный план профессионального развития
педагога, 000 §2.2: «развития кадрового потенциала средствами ИППР … включающих разделы»), one per teacher and
academic year (1 September – 31 August), guided by a mentor of the management team (000 §2.2: «наставника – члена
управленческой команды»).

    DevelopmentPlan      the plan: its teacher, mentor, academic year and state (draft → agreed → approved → closed),
                         who agreed and approved it, when; the year's conclusion when it is closed
    DevelopmentPlanItem  one item of a section of the plan (the section's id from the pack's ``individual_plans``):
                         what, the planned term, the expected result; at the year's end done or not and the result
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person

PLAN_STATES = ("draft", "agreed", "approved", "closed")
ITEM_OUTCOMES = ("done", "not_done")


class DevelopmentPlan(Base):
    __tablename__ = "development_plans"
    __table_args__ = (
        UniqueConstraint("teacher_id", "academic_year", name="uq_development_plans_teacher_year"),
        CheckConstraint("state IN ('draft', 'agreed', 'approved', 'closed')", name="state"),
        CheckConstraint("ends_on > starts_on", name="term_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    academic_year: Mapped[int] = mapped_column(Integer)  # its first calendar year: 2025 — the year 2025/2026
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    agreed_on: Mapped[date | None] = mapped_column(Date)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    returned_note: Mapped[str | None] = mapped_column(Text)  # why the plan went back to draft, the last time
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    conclusion: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    teacher: Mapped[Person] = relationship(foreign_keys=[teacher_id])
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    agreed_by: Mapped[Person | None] = relationship(foreign_keys=[agreed_by_id])
    approved_by: Mapped[Person | None] = relationship(foreign_keys=[approved_by_id])
    items: Mapped[list[DevelopmentPlanItem]] = relationship(
        back_populates="plan", order_by="(DevelopmentPlanItem.due_on, DevelopmentPlanItem.id)",
        cascade="all, delete-orphan")

    @property
    def year_label(self) -> str:
        return f"{self.academic_year}/{self.academic_year + 1}"


class DevelopmentPlanItem(Base):
    __tablename__ = "development_plan_items"
    __table_args__ = (CheckConstraint("outcome IS NULL OR outcome IN ('done', 'not_done')", name="outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    section: Mapped[str] = mapped_column(String(64))  # the id of a section of the pack's individual_plans
    what: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    expected_result: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(16))
    result: Mapped[str | None] = mapped_column(Text)
    marked_on: Mapped[date | None] = mapped_column(Date)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")
