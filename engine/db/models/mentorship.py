"""Mentor appointments, the mentee registry, mentoring groups (a pair is a group of one) and consents."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Select,
    String,
    Text,
    UniqueConstraint,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from engine.db.base import Base, check_in, identifier
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.orders import Order
    from engine.db.models.org import Organization, Person
    from engine.db.models.program import Decision, Program


# --- mentor appointments -----------------------------------------------------------------------


class AppointmentStatus(enum.StrEnum):
    PENDING = "pending"  # proposed; the appointment order is not signed yet
    ACTIVE = "active"  # appointed by a signed order (003 §3.4, 004 III.2)
    RELEASED = "released"  # released early at the mentor's request (003 §4.1); see released_on
    CANCELLED = "cancelled"  # the order was refused / the proposal withdrawn


APPOINTMENT_LIFECYCLE = Lifecycle(
    statuses=AppointmentStatus, table="mentor_appointments", entity="назначение наставника (№ {id})",
    labels={AppointmentStatus.PENDING: "ожидает приказа", AppointmentStatus.ACTIVE: "назначен(а) приказом",
            AppointmentStatus.RELEASED: "освобождён(а)", AppointmentStatus.CANCELLED: "отменено"},
    transitions={
        AppointmentStatus.PENDING: frozenset({AppointmentStatus.ACTIVE, AppointmentStatus.CANCELLED}),
        AppointmentStatus.ACTIVE: frozenset({AppointmentStatus.RELEASED}),
        AppointmentStatus.RELEASED: frozenset(),
        AppointmentStatus.CANCELLED: frozenset(),
    },
    doc="""A mentor is appointed by the head's order for two years (003 §3.4; one academic year for Yakutsk
    network mentors, 004 III.2): a proposal waits for the order, which appoints (active) or is refused
    (cancelled). The appointment workflow creates the row only when the order is signed
    (``mentor_appointment._appoint``, already active), so nothing leaves «ожидает приказа» today. An appointed mentor
    may ask to be released (003 §4.1; ``program_orders._release`` on the signed release order, with
    ``released_on``). The end of the term is a date (``ends_on``), not a status.""",
)


class MentorAppointment(Base):
    """A person appointed mentor by an order, for a term. ``ends_on`` is the last day of the
    planned term (inclusive); ``released_on`` the first day they are no longer a mentor."""

    __tablename__ = "mentor_appointments"
    __table_args__ = (
        check_in("status", AppointmentStatus, "status"),
        CheckConstraint("ends_on >= starts_on", name="term_order"),
        CheckConstraint("status <> 'released' OR released_on IS NOT NULL", name="released_has_date"),
        CheckConstraint("released_on IS NULL OR released_on >= starts_on", name="released_after_start"),
        Index("ix_mentor_appointments_org_status_term", "organization_id", "status", "starts_on", "ends_on"),
        # the registry's order: those in force first, the terms ending soonest first (engine.services.curation)
        Index("ix_mentor_appointments_registry", "organization_id", text("(status <> 'active')"), "ends_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    direction: Mapped[str | None] = mapped_column(String(200))  # network mentors' direction, 004 III.2
    status: Mapped[str] = mapped_column(String(16), default=AppointmentStatus.PENDING.value)
    released_on: Mapped[date | None] = mapped_column(Date)
    release_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    organization: Mapped[Organization] = relationship()
    order: Mapped[Order | None] = relationship()

    _check_status = status_validator(APPOINTMENT_LIFECYCLE)


def appointed_on_stmt(
    on: date, *, organization_id: int | None = None, person_id: int | None = None, direction: str | None = None
) -> Select[MentorAppointment]:
    """SELECT of the appointments in force on day ``on`` (signed, within the term, not yet released)."""
    stmt = select(MentorAppointment).where(
        MentorAppointment.status.in_([AppointmentStatus.ACTIVE.value, AppointmentStatus.RELEASED.value]),
        MentorAppointment.starts_on <= on,
        MentorAppointment.ends_on >= on,
        or_(MentorAppointment.released_on.is_(None), MentorAppointment.released_on > on),
    )
    if organization_id is not None:
        stmt = stmt.where(MentorAppointment.organization_id == organization_id)
    if person_id is not None:
        stmt = stmt.where(MentorAppointment.person_id == person_id)
    if direction is not None:
        stmt = stmt.where(MentorAppointment.direction == direction)
    return stmt.order_by(MentorAppointment.starts_on, MentorAppointment.id)


def currently_appointed(
    session: Session, on: date, *, organization_id: int | None = None, direction: str | None = None
) -> list[MentorAppointment]:
    """Mentors appointed on day ``on`` (optionally in one organization / direction)."""
    return list(session.scalars(appointed_on_stmt(on, organization_id=organization_id, direction=direction)))


def is_appointed(session: Session, person_id: int, on: date, *, organization_id: int | None = None) -> bool:
    stmt = appointed_on_stmt(on, organization_id=organization_id, person_id=person_id).limit(1)
    return session.scalars(stmt).first() is not None


# --- mentee registry ---------------------------------------------------------------------------


class MenteeStatus(enum.StrEnum):
    WAITING = "waiting"  # in the registry, no program yet
    IN_PROGRAM = "in_program"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


MENTEE_LIFECYCLE = Lifecycle(
    statuses=MenteeStatus, table="mentees", entity="запись в базе наставляемых (№ {id})",
    labels={MenteeStatus.WAITING: "ожидает пары", MenteeStatus.IN_PROGRAM: "в программе",
            MenteeStatus.COMPLETED: "программа завершена", MenteeStatus.WITHDRAWN: "выбыл(а)"},
    transitions={
        MenteeStatus.WAITING: frozenset({MenteeStatus.IN_PROGRAM, MenteeStatus.WITHDRAWN}),
        MenteeStatus.IN_PROGRAM: frozenset({MenteeStatus.COMPLETED, MenteeStatus.WAITING}),
        MenteeStatus.COMPLETED: frozenset(),
        MenteeStatus.WITHDRAWN: frozenset(),
    },
    doc="""The curator enters a person in the mentee registry (база наставляемых, 003 §3.3; category by
    003 §3.6.1; ``mentee_registry.register_mentee``): the entry waits for a pair, goes into a program when the
    pair's order starts it (``lifecycle.start_program``) and is completed when the program ends on any
    ground of 003 §7.1 (``program_orders._complete``). A pair broken up before its program ends (the group
    dissolved, 003 §5.1) puts the mentee back in the registry, waiting for a new pair. The yearly review of
    the registry (003 §3.3) may drop a waiting entry («выбыл(а)»); no service does so today. A person who
    needs a mentor again gets a new entry. A trainee of network mentoring (004 I.3, with a direction) goes
    into a group when the specialist forms it (004 III.4; ``network.groups``) and is completed by the network
    mentor's review at the end of the academic year (004 IV.1; ``network.year``).""",
)


class Mentee(Base):
    """An entry of the mentee registry (база наставляемых, 003 §3.3) with the decision that
    categorised the person (a snapshot in ``decision``; ``decision_id`` links the stored Decision)."""

    __tablename__ = "mentees"
    __table_args__ = (
        check_in("status", MenteeStatus, "status"),
        Index("ix_mentees_org_status", "organization_id", "status"),
        # the registry's order: those waiting for a pair first, the newest first (engine.services.curation)
        Index("ix_mentees_registry", "organization_id", text("(status <> 'waiting')"), text("registered_on DESC"),
              text("id DESC")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    category: Mapped[str] = mapped_column(String(48))
    direction: Mapped[str | None] = mapped_column(String(200))  # a trainee's direction of activity, 004 III.3
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    status: Mapped[str] = mapped_column(String(16), default=MenteeStatus.WAITING.value)
    registered_on: Mapped[date] = mapped_column(Date, default=date.today)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship()
    organization: Mapped[Organization] = relationship()
    decision_record: Mapped[Decision | None] = relationship()

    @validates("category")
    def _check_category(self, _key: str, value):
        return identifier(value, field="mentees.category")  # one of the pack's categories: checked by the service

    _check_status = status_validator(MENTEE_LIFECYCLE)


# --- groups, members, consents -----------------------------------------------------------------





class GroupStatus(enum.StrEnum):
    FORMING = "forming"  # the curator is forming it, consents are collected (003 §6)
    APPROVED = "approved"  # approved by the head's order (003 §3.2)
    CLOSED = "closed"  # its program ended
    DISSOLVED = "dissolved"  # never approved, or broken up (mentor replaced, 003 §5.1)


GROUP_LIFECYCLE = Lifecycle(
    statuses=GroupStatus, table="mentoring_groups", entity="наставническая пара (группа) №{id}",
    labels={GroupStatus.FORMING: "формируется", GroupStatus.APPROVED: "утверждена приказом",
            GroupStatus.CLOSED: "закрыта", GroupStatus.DISSOLVED: "расформирована"},
    transitions={
        GroupStatus.FORMING: frozenset({GroupStatus.APPROVED, GroupStatus.DISSOLVED}),
        GroupStatus.APPROVED: frozenset({GroupStatus.CLOSED, GroupStatus.DISSOLVED}),
        GroupStatus.CLOSED: frozenset(),
        GroupStatus.DISSOLVED: frozenset(),
    },
    doc="""The curator forms a pair (group) with its participants (003 §6.2; ``formation.propose_pair``); it
    is approved by the head's order given everyone's written consent (003 §3.2, §6.2;
    ``pair_steps``) and dissolved when a participant refuses consent
    (``pair_steps``). An approved group is closed when its programs end, or dissolved when
    it is broken up (003 §5.1); no service does either today (groups stay approved; a mentor replacement
    changes the group's mentor).""",
)


class MentoringGroup(Base):
    """One mentor and one (a pair) or more mentees working through a program."""

    __tablename__ = "mentoring_groups"
    __table_args__ = (check_in("status", GroupStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    form: Mapped[str] = mapped_column(String(32))
    roadmap_id: Mapped[str] = mapped_column(String(64))  # e.g. 'tomsk_new_head'
    status: Mapped[str] = mapped_column(String(16), default=GroupStatus.FORMING.value)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))  # pair-formation order
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the day ``mentor`` was released by the head's order (003 §4.1): the group has no mentor until a replacement
    # order names a new one (``mentor_id`` keeps the released one for the record and the orders)
    mentor_released_on: Mapped[date | None] = mapped_column(Date)

    mentor: Mapped[Person] = relationship()
    organization: Mapped[Organization] = relationship()
    order: Mapped[Order | None] = relationship()
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id"
    )
    consents: Mapped[list[Consent]] = relationship(back_populates="group", order_by="Consent.id")
    programs: Mapped[list[Program]] = relationship(back_populates="group", order_by="Program.id")

    @validates("form")
    def _check_form(self, _key: str, value):
        return identifier(value, field="mentoring_groups.form")  # one of the pack's forms: checked by the service

    _check_status = status_validator(GROUP_LIFECYCLE)

    @property
    def is_pair(self) -> bool:
        return len([m for m in self.members if m.left_on is None]) == 1

    @property
    def current_mentor_id(self) -> int | None:
        """The mentor working with the group now: None while the released mentor awaits a replacement (003 §4.1)."""
        return None if self.mentor_released_on is not None else self.mentor_id

    def participant_ids(self) -> list[int]:
        """The mentor (unless released) and every current member."""
        mentor = [self.mentor_id] if self.mentor_released_on is None else []
        return mentor + [m.person_id for m in self.members if m.left_on is None]

    def missing_consents(self) -> list[int]:
        """Participants without a valid written consent to this group (003 §6.2)."""
        consented = {
            c.person_id
            for c in self.consents
            if c.kind == ConsentKind.PARTICIPATION and c.withdrawn_at is None
        }
        return [pid for pid in self.participant_ids() if pid not in consented]


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    mentee_id: Mapped[int | None] = mapped_column(ForeignKey("mentees.id"))  # the registry entry
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    group: Mapped[MentoringGroup] = relationship(back_populates="members")
    person: Mapped[Person] = relationship()
    mentee: Mapped[Mentee | None] = relationship()


class ConsentKind(enum.StrEnum):
    PARTICIPATION = "participation"  # written consent to take part in the pair/group, 003 §6.2
    PERSONAL_DATA = "personal_data"  # consent to processing personal data, 152-ФЗ


class Consent(Base):
    """A written consent: the text accepted or a reference to the signed paper/scan."""

    __tablename__ = "consents"
    __table_args__ = (
        check_in("kind", ConsentKind, "kind"),
        CheckConstraint("text IS NOT NULL OR document_ref IS NOT NULL", name="has_content"),
        CheckConstraint("kind <> 'participation' OR group_id IS NOT NULL", name="participation_has_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_groups.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=ConsentKind.PARTICIPATION.value)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str | None] = mapped_column(Text)
    document_ref: Mapped[str | None] = mapped_column(String(500))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()
    group: Mapped[MentoringGroup | None] = relationship(back_populates="consents")
