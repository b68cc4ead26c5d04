"""Network mentoring of the Coordination Centre (004 I–IV): the trainees' self-diagnosis or the school's
monitoring (004 III.3), groups of trainees by direction handed to a network mentor (004 III.4) with the mentor's
individual work plan (004 III.5), each trainee's individual professional development plan and the mentor's
review at the end of the academic year (004 IV.1, IV.3), and the work the mentor records in the regulation's
forms (004 III.6).

No row here has a status: where a trainee or a group is follows from dates and facts (a plan submitted,
accepted; a review written), and the step waiting is the process's (``network_grouping``, ``network_program``).
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engine.db.base import Base, check_in, identifier
from engine.db.types import UTCDateTime, utcnow
from engine.vocabulary import Readiness

if TYPE_CHECKING:
    from engine.db.models.mentorship import Mentee, MentorAppointment
    from engine.db.models.org import Organization, Person


class DiagnosisKind(enum.StrEnum):
    """How the list of a direction's trainees is determined (004 III.3)."""

    SELF = "self"  # самодиагностика профессиональных компетенций стажёра
    MONITORING = "monitoring"  # мониторинг деятельности стажёра администрацией образовательной организации


DIAGNOSIS_KIND_LABELS = {
    DiagnosisKind.SELF: "самодиагностика профессиональных компетенций",
    DiagnosisKind.MONITORING: "мониторинг деятельности администрацией образовательной организации",
}
SELF_RATING_RANGE = (1, 5)


class CompetenceDiagnosis(Base):
    """A trainee's self-diagnosis of professional competencies, or the school administration's monitoring of
    the trainee's work, recorded by the department's specialist (004 III.3)."""

    __tablename__ = "competence_diagnoses"
    __table_args__ = (
        check_in("kind", DiagnosisKind, "kind"),
        CheckConstraint(f"self_rating IS NULL OR (self_rating >= {SELF_RATING_RANGE[0]} "
                        f"AND self_rating <= {SELF_RATING_RANGE[1]})", name="self_rating_range"),
        CheckConstraint("kind <> 'monitoring' OR conducted_by IS NOT NULL", name="monitoring_names_who"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentees.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    difficulties: Mapped[str] = mapped_column(Text)  # competencies of the direction that cause difficulty
    help_needed: Mapped[str] = mapped_column(Text)  # the methodical help the trainee needs
    self_rating: Mapped[int | None] = mapped_column(Integer)  # 1 (serious difficulty) … 5 (confident)
    conducted_by: Mapped[str | None] = mapped_column(String(300))  # monitoring: who in the school's administration
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentee: Mapped[Mentee] = relationship()
    recorded_by: Mapped[Person] = relationship()


class NetworkGroup(Base):
    """A group of trainees of one direction formed by the department's specialists and handed to the network
    mentor appointed for that direction (004 III.4), for the academic year (004 III.2)."""

    __tablename__ = "network_groups"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="term_order"),
        CheckConstraint("review_opens_on <= review_due_on", name="review_window"),
        Index("ix_network_groups_org_year", "organization_id", "academic_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    appointment_id: Mapped[int] = mapped_column(ForeignKey("mentor_appointments.id"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    direction: Mapped[str] = mapped_column(String(200))
    academic_year: Mapped[int] = mapped_column(Integer)  # its first calendar year: 2025 = 2025/2026
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    review_opens_on: Mapped[date] = mapped_column(Date)
    review_due_on: Mapped[date] = mapped_column(Date)
    formed_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    work_plan: Mapped[str | None] = mapped_column(Text)  # the mentor's individual work plan (004 III.5)
    work_plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    appointment: Mapped[MentorAppointment] = relationship()
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    formed_by: Mapped[Person] = relationship(foreign_keys=[formed_by_id])
    members: Mapped[list[NetworkMember]] = relationship(back_populates="group", order_by="NetworkMember.id")
    records: Mapped[list[NetworkWorkRecord]] = relationship(
        back_populates="group", order_by="(NetworkWorkRecord.held_on, NetworkWorkRecord.id)")


class NetworkMember(Base):
    """One trainee in a group for the academic year: the individual professional development plan (004 IV.1,
    IV.3) and, at the end of the year, the mentor's review of it (004 IV.1)."""

    __tablename__ = "network_members"
    __table_args__ = (
        UniqueConstraint("group_id", "mentee_id"),
        check_in("readiness", Readiness, "readiness"),
        CheckConstraint("plan_accepted_at IS NULL OR plan_submitted_at IS NOT NULL", name="accepted_was_submitted"),
        CheckConstraint("reviewed_at IS NULL OR (plan_fulfilled IS NOT NULL AND readiness IS NOT NULL "
                        "AND reviewed_by_id IS NOT NULL)", name="review_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("network_groups.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("mentees.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    plan_goals: Mapped[str | None] = mapped_column(Text)
    plan_actions: Mapped[str | None] = mapped_column(Text)
    plan_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    plan_comment: Mapped[str | None] = mapped_column(Text)  # the mentor's last comment on the plan
    plan_fulfilled: Mapped[bool | None] = mapped_column(Boolean)
    fulfilment: Mapped[str | None] = mapped_column(Text)  # the review: how the plan was carried out
    business_qualities: Mapped[str | None] = mapped_column(Text)
    readiness: Mapped[str | None] = mapped_column(String(16))
    activity_results: Mapped[str | None] = mapped_column(Text)  # results of the trainee's main work (004 III.8)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))

    group: Mapped[NetworkGroup] = relationship(back_populates="members")
    mentee: Mapped[Mentee] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    reviewed_by: Mapped[Person | None] = relationship(foreign_keys=[reviewed_by_id])


class NetworkWorkRecord(Base):
    """Work the network mentor carried out with trainees of the group in one of the regulation's forms (004
    III.6; the pack's ``work_forms``), as the mentor records it."""

    __tablename__ = "network_work_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("network_groups.id"), index=True)
    form: Mapped[str] = mapped_column(String(48))
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    trainee_ids: Mapped[list[int]] = mapped_column(JSON)  # persons of the group who took part
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[NetworkGroup] = relationship(back_populates="records")
    recorded_by: Mapped[Person] = relationship()

    @validates("form")
    def _check_form(self, _key: str, value):
        return identifier(value, field="network_work_records.form")  # one of the pack's work forms: the service
