"""The collegial bodies of an organization (the pack's ``council_bodies``) — the council of mentors of seed 000
and the pedagogical council of 004 прил. 1 п. 3.1.1 run the same way. The council of mentors of an organization (seed 000, «управленческая система наставничества»): its members and
chair (the facilitator, 000 §4.4), its sessions (000 §4.1) with the agenda, who of the members came, the votes on
each item (000 §4.2), the decisions and their agreement with the administration (000 §4.3), and the protocol the
secretary elected at the session draws up (000 §5.1–5.2), signed by the chair and the secretary and kept for the
period the regulation pack sets (000 §5.3: one year), then purged by the worker (engine.services.council.retention).

A session goes planned → held → signing (the protocol drawn up, its text fixed) → signed. The protocol's text is
stored once, when drawn up; each signature is a detached CMS signature of that text (``engine.integrity.cms``) with
its moment, and the SHA-256 of the text is kept with it.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.org import Organization


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"  # назначена
    HELD = "held"  # проведена: присутствие отмечено, секретарь избран, идёт голосование
    SIGNING = "signing"  # протокол оформлен, ждёт подписей председателя и секретаря
    SIGNED = "signed"  # протокол подписан


SESSION_STATUS_LABELS: dict[str, str] = {SessionStatus.PLANNED: "назначена", SessionStatus.HELD: "проведена, идёт голосование",
                         SessionStatus.SIGNING: "протокол на подписи", SessionStatus.SIGNED: "протокол подписан"}

COUNCIL_SESSION_LIFECYCLE = Lifecycle(
    statuses=SessionStatus, table="council_sessions", entity="сессия совета наставников № {id}",
    labels=SESSION_STATUS_LABELS,
    transitions={
        SessionStatus.PLANNED: frozenset({SessionStatus.HELD}),  # the chair marks who came, the secretary elected
        SessionStatus.HELD: frozenset({SessionStatus.SIGNING}),  # the secretary draws the protocol up (000 §5.1)
        SessionStatus.SIGNING: frozenset({SessionStatus.SIGNED}),  # the chair and the secretary signed
        SessionStatus.SIGNED: frozenset(),  # kept for the pack's retention period, then deleted (000 §5.3)
    },
    doc="000 §5.1–5.3: ``engine.services.council.sessions`` (hold), ``engine.services.council.protocol`` "
        "(draw_up, sign); ``engine.services.council.retention`` deletes signed ones")


class VoteChoice(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


VOTE_LABELS: dict[str, str] = {VoteChoice.FOR: "за", VoteChoice.AGAINST: "против", VoteChoice.ABSTAIN: "воздержался(-ась)"}


class Agreement(enum.StrEnum):
    AGREED = "agreed"
    REFUSED = "refused"


class Council(Base):
    """A collegial body of one organization, of a kind its regulation pack lists (``body``: the mentors' council of
    000 §4–5, the pedagogical council of 004 прил. 1 п. 3.1.1; engine.regulations.council_bodies); ``chair_id``: who
    chairs its sessions (of the mentors' council: the mentor-leader who facilitates, 000 §4.4)."""

    __tablename__ = "councils"
    __table_args__ = (UniqueConstraint("organization_id", "body", name="uq_councils_organization_id_body"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    body: Mapped[str] = mapped_column(String(32), default="mentors_council")
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    members: Mapped[list[CouncilMember]] = relationship(back_populates="council", cascade="all, delete-orphan",
                                                        order_by="CouncilMember.id")


class CouncilMember(Base):
    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("council_id", "person_id", name="uq_council_members_council_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    added_on: Mapped[date] = mapped_column(Date)

    council: Mapped[Council] = relationship(back_populates="members")


def _held_in(context: Any) -> int:
    """``year`` unless given: the calendar year of ``held_on``."""
    held_on = context.get_current_parameters()["held_on"]
    return held_on.year if isinstance(held_on, date) else int(str(held_on)[:4])


class CouncilSession(Base):
    """One session of the council and its protocol (000 §4.1, §5)."""

    __tablename__ = "council_sessions"
    __table_args__ = (check_in("status", SessionStatus, "status"),
                      UniqueConstraint("council_id", "year", "number", name="uq_council_sessions_council_id_year"))

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"), index=True)
    # the protocol's number within the body and the calendar year of ``held_on`` («Протокол № 3» of 2026)
    number: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer, default=_held_in)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.PLANNED.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    members_total: Mapped[int | None] = mapped_column(Integer)  # the council's members when the session was held
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    # the secretary's election at the session (000 §5.1): the attendees' votes
    secretary_votes: Mapped[str | None] = mapped_column(String(100))
    protocol_text: Mapped[str | None] = mapped_column(Text)
    protocol_sha256: Mapped[str | None] = mapped_column(String(64))
    chair_signer_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    chair_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chair_signature: Mapped[str | None] = mapped_column(Text)
    secretary_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    secretary_signature: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[date | None] = mapped_column(Date)  # both signed: the retention period counts from here

    _check_status = status_validator(COUNCIL_SESSION_LIFECYCLE)

    council: Mapped[Council] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                   passive_deletes=True, order_by="AgendaItem.position")
    attendance: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan", passive_deletes=True,
                                                        order_by="Attendance.id")


class Attendance(Base):
    """A member who came to the session (the protocol counts them, 000 §5.2)."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("session_id", "person_id", name="uq_council_attendance_session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)


class AgendaItem(Base):
    """An item of the agenda: the key points of its discussion, the proposals and remarks, the decision put to the
    vote, the result, and the administration's agreement of an adopted decision (000 §4.3, §5.2)."""

    __tablename__ = "council_agenda_items"
    __table_args__ = (check_in("result", ("adopted", "rejected"), "result"),
                      check_in("agreement", Agreement, "agreement"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    key_points: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(300), default="")  # 000 §4.3: «ответственные лица»
    # the order an adopted decision on this item lets the curator cite (``council_bodies.CONSIDERED_ORDERS``:
    # the pedagogical council considers the plan and the regulation, 004 прил. 1 п. 3.1.1)
    considers: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str | None] = mapped_column(String(16))
    agreement: Mapped[str | None] = mapped_column(String(16))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreement_note: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    votes: Mapped[list[Vote]] = relationship(cascade="all, delete-orphan", passive_deletes=True, order_by="Vote.id")


class Vote(Base):
    __tablename__ = "council_votes"
    __table_args__ = (check_in("choice", VoteChoice, "choice"),
                      UniqueConstraint("item_id", "person_id", name="uq_council_votes_item_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("council_agenda_items.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    choice: Mapped[str] = mapped_column(String(16))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
