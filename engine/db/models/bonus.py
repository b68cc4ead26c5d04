"""The mentor's bonus (003 §9.3) as one record per mentor and appointment term.

«Увеличение премиального фонда устанавливается на весь срок реализации персонализированной программы
наставничества» and grows with the number of mentees (3/4/5 окладов for 1/2/≥3): the amount belongs to the
head-mentor for the term she mentors, not to one program. So two pairs of one mentor in her term are two
mentees (4 оклада), not 3 + 3. The record is keyed by the mentor's appointment (003 §3.4: the term the
head's order names) and recomputed by ``engine.services.mentorship.bonus`` whenever a program of hers starts
or ends; the head may revoke the increase (the regulation says «может быть отменено»), recorded with who,
when and why.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Person
    from engine.db.models.program import Decision


class MentorBonus(Base):
    __tablename__ = "mentor_bonuses"
    __table_args__ = (
        UniqueConstraint("mentor_id", "organization_id", "term_starts_on"),
        CheckConstraint("mentee_count >= 0", name="mentee_count_not_negative"),
        CheckConstraint("salaries >= 0", name="salaries_not_negative"),
        CheckConstraint("revoked IS NULL OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
                        name="head_decision_has_author"),
        CheckConstraint("revoked IS NOT TRUE OR reason IS NOT NULL", name="revocation_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_appointments.id"))
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date | None] = mapped_column(Date)
    ruleset_id: Mapped[str] = mapped_column(String(128))
    mentee_count: Mapped[int] = mapped_column(Integer, default=0)
    salaries: Mapped[int] = mapped_column(Integer, default=0)  # the rule's output bonus_salaries
    verdict: Mapped[str | None] = mapped_column(String(64))  # the rule's verdict once a program of hers ended
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))  # the latest rule decision
    revoked: Mapped[bool | None] = mapped_column(Boolean)  # the head's decision: None = not decided
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])
    decision: Mapped[Decision | None] = relationship()
