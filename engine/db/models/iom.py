"""The individual educational route of a teacher (ИОМ, индивидуальный образовательный маршрут: «долгосрочная (4-5
лет) образовательная программа профессионального самосовершенствования педагогического работника», 002 §1.2), built
in the seven positions of 002 §4.2.2's algorithm and reviewed yearly; a personalized program (3 months to 1 year)
may be attached to it.

    IomRoute    one route per teacher and start: its term (4 or 5 years), the tutor who accompanies it (002 §4.2.2:
                тьютор), the step it is at (1–7; 8 — all seven done)
    IomStep     what one of the seven positions recorded (its sections as JSON), who and when
    IomReview   the yearly review (opened by the worker on each anniversary of the route's start): its conclusion
                and the corrections of the route's roadmap it made (002 §4.2.2 (6): корректировка параллельно с
                реализацией)
    IomProgram  a personalized program attached to the route (one route per program)
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person
    from engine.db.models.program import Program

IOM_STEP_COUNT = 7  # 002 §4.2.2: «1) самоопределение … 7) рефлексивный анализ»
IOM_DONE = IOM_STEP_COUNT + 1  # the route's step once all seven are recorded


class IomRoute(Base):
    __tablename__ = "iom_routes"
    __table_args__ = (
        CheckConstraint("years IN (4, 5)", name="years"),
        CheckConstraint(f"step BETWEEN 1 AND {IOM_DONE}", name="step"),
        CheckConstraint("ends_on > starts_on", name="term_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    years: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    step: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    teacher: Mapped[Person] = relationship(foreign_keys=[teacher_id])
    tutor: Mapped[Person | None] = relationship(foreign_keys=[tutor_id])
    steps: Mapped[list[IomStep]] = relationship(back_populates="route", order_by="IomStep.step",
                                                cascade="all, delete-orphan")
    reviews: Mapped[list[IomReview]] = relationship(back_populates="route", order_by="IomReview.year",
                                                    cascade="all, delete-orphan")
    programs: Mapped[list[IomProgram]] = relationship(back_populates="route", order_by="IomProgram.id",
                                                      cascade="all, delete-orphan")

    @property
    def finished(self) -> bool:
        return self.step >= IOM_DONE


class IomStep(Base):
    __tablename__ = "iom_steps"
    __table_args__ = (
        UniqueConstraint("route_id", "step", name="uq_iom_steps_route_step"),
        CheckConstraint(f"step BETWEEN 1 AND {IOM_STEP_COUNT}", name="step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("iom_routes.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    done_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    route: Mapped[IomRoute] = relationship(back_populates="steps")
    done_by: Mapped[Person | None] = relationship()


class IomReview(Base):
    __tablename__ = "iom_reviews"
    __table_args__ = (
        UniqueConstraint("route_id", "year", name="uq_iom_reviews_route_year"),
        CheckConstraint("year BETWEEN 1 AND 5", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("iom_routes.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the review closing the route's year N
    due_on: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    conclusion: Mapped[str | None] = mapped_column(Text)
    corrections: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    route: Mapped[IomRoute] = relationship(back_populates="reviews")
    done_by: Mapped[Person | None] = relationship()


class IomProgram(Base):
    __tablename__ = "iom_programs"
    __table_args__ = (UniqueConstraint("program_id", name="uq_iom_programs_program"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("iom_routes.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"))
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    attached_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))

    route: Mapped[IomRoute] = relationship(back_populates="programs")
    program: Mapped[Program] = relationship()
