"""A mentor's recognition (issue 18 items 4 and 5): the incentives recorded for a mentor (002 §3.4, 003 §9.1,
004 прил. 2 п. 9.1), the best-mentor contest with its nominations, jury and votes, whose result order gives the
winners their incentive, and the bank of practices and cases (001 §2.2, 002 §3.2, §4.1.4, 003 §3.3, 004 прил. 1
п. 5.1).

The kind of an incentive is an id of the organization's regulation pack (``incentives:`` in ``pack.yaml``); the
row keeps the label and clause the pack gave when it was recorded, so a later pack version does not change what
was recorded. Files (an incentive's document, a practice's materials) are stored in the database with their
SHA-256, checked by ``engine.services.mentorship.attachments.check_upload`` (the same limits and sniffing).
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.files import StoredFile
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.orders import Order
    from engine.db.models.org import Organization, Person
    from engine.db.models.program import Program


class Incentive(Base):
    """One measure of encouragement recorded for a mentor, with its basis and (optionally) its document."""

    __tablename__ = "incentives"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 100)", name="percent_range"),
        CheckConstraint("document_size IS NULL OR document_size >= 0", name="document_size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))  # the pack's incentives[].id
    kind_label: Mapped[str] = mapped_column(String(500))  # as the pack named it when recorded
    clause: Mapped[str] = mapped_column(String(100))
    basis: Mapped[str] = mapped_column(Text)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"))
    awarded_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[int | None] = mapped_column(Integer)  # a salary supplement's percentage (004 прил. 2 п. 9.1)
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_contests.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    document_name: Mapped[str | None] = mapped_column(String(255))
    document_type: Mapped[str | None] = mapped_column(String(100))
    document_size: Mapped[int | None] = mapped_column(Integer)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])
    program: Mapped[Program | None] = relationship()
    contest: Mapped[MentorContest | None] = relationship()
    order: Mapped[Order | None] = relationship()


class ContestStatus(enum.StrEnum):
    NOMINATING = "nominating"
    VOTING = "voting"
    AWAITING_ORDER = "awaiting_order"
    CLOSED = "closed"


CONTEST_LIFECYCLE = Lifecycle(
    statuses=ContestStatus, table="mentor_contests", entity="конкурс «Лучший наставник» (№ {id})",
    labels={ContestStatus.NOMINATING: "выдвижение кандидатов", ContestStatus.VOTING: "голосование жюри",
            ContestStatus.AWAITING_ORDER: "приказ об итогах на подписи", ContestStatus.CLOSED: "итоги утверждены"},
    transitions={
        ContestStatus.NOMINATING: frozenset({ContestStatus.VOTING}),
        ContestStatus.VOTING: frozenset({ContestStatus.AWAITING_ORDER}),
        ContestStatus.AWAITING_ORDER: frozenset({ContestStatus.VOTING, ContestStatus.CLOSED}),
        ContestStatus.CLOSED: frozenset(),
    },
    doc="""The contest for the best mentor (003 §9.1, 004 прил. 1 п. 6.1): the curator or head opens it and names
    the jury; curators and heads nominate mentors with a basis; the jury is closed to new nominations when voting
    opens (``recognition.contests.open_voting``); each juror scores each nominee; the result is computed and the
    order on the results drafted and sent for the head's signature (``compute_result``); the signed order closes
    the contest and gives each winner an incentive; a refused order returns it to voting.""",
)


class MentorContest(Base):
    __tablename__ = "mentor_contests"
    __table_args__ = (
        check_in("status", ContestStatus, "status"),
        CheckConstraint("winners_count >= 1", name="winners_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    winners_count: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(24), default=ContestStatus.NOMINATING.value)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    created_by: Mapped[Person | None] = relationship()
    order: Mapped[Order | None] = relationship()
    nominations: Mapped[list[ContestNomination]] = relationship(back_populates="contest",
                                                                order_by="ContestNomination.id")
    jurors: Mapped[list[ContestJuror]] = relationship(back_populates="contest", order_by="ContestJuror.id")

    _check_status = status_validator(CONTEST_LIFECYCLE)


class ContestNomination(Base):
    __tablename__ = "contest_nominations"
    __table_args__ = (UniqueConstraint("contest_id", "mentor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("mentor_contests.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    basis: Mapped[str] = mapped_column(Text)
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    place: Mapped[int | None] = mapped_column(Integer)  # set with the result: 1 = first
    total_score: Mapped[int | None] = mapped_column(Integer)
    winner: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contest: Mapped[MentorContest] = relationship(back_populates="nominations")
    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    nominated_by: Mapped[Person | None] = relationship(foreign_keys=[nominated_by_id])


class ContestJuror(Base):
    __tablename__ = "contest_jurors"
    __table_args__ = (UniqueConstraint("contest_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("mentor_contests.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))

    contest: Mapped[MentorContest] = relationship(back_populates="jurors")
    person: Mapped[Person] = relationship()


SCORE_MIN, SCORE_MAX = 0, 10


class ContestVote(Base):
    """A juror's score (0–10) of one nominee; one per juror per nominee (changed until the result is computed)."""

    __tablename__ = "contest_votes"
    __table_args__ = (
        UniqueConstraint("nomination_id", "juror_id"),
        CheckConstraint(f"score >= {SCORE_MIN} AND score <= {SCORE_MAX}", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("contest_nominations.id"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    score: Mapped[int] = mapped_column(Integer)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[ContestNomination] = relationship()
    juror: Mapped[Person] = relationship()


class PracticeKind(enum.StrEnum):
    PRACTICE = "practice"
    CASE = "case"


PRACTICE_KIND_LABELS = {PracticeKind.PRACTICE: "практика наставничества", PracticeKind.CASE: "кейс"}


class PracticeStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


PRACTICE_LIFECYCLE = Lifecycle(
    statuses=PracticeStatus, table="practices", entity="практика (кейс) № {id}",
    labels={PracticeStatus.SUBMITTED: "на рассмотрении", PracticeStatus.APPROVED: "в банке практик",
            PracticeStatus.RETURNED: "возвращена на доработку"},
    transitions={
        PracticeStatus.SUBMITTED: frozenset({PracticeStatus.APPROVED, PracticeStatus.RETURNED}),
        PracticeStatus.RETURNED: frozenset({PracticeStatus.SUBMITTED}),
        PracticeStatus.APPROVED: frozenset(),
    },
    doc="""A mentor or curator submits a practice or case (``recognition.practices.submit``; 001 §2.2, 002 §4.1.4,
    003 §3.3); the curator (for the council) approves it into the bank or returns it with a comment (``review``); a returned one is corrected and
    submitted again (``resubmit``). Approved practices are read by everyone of the organization's tree.""",
)


class Practice(Base):
    __tablename__ = "practices"
    __table_args__ = (
        check_in("status", PracticeStatus, "status"),
        check_in("kind", PracticeKind, "kind"),
        CheckConstraint("status <> 'returned' OR review_comment IS NOT NULL", name="returned_has_comment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=PracticeKind.PRACTICE.value)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id"))
    status: Mapped[str] = mapped_column(String(16), default=PracticeStatus.SUBMITTED.value)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()
    program: Mapped[Program | None] = relationship()
    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    reviewed_by: Mapped[Person | None] = relationship(foreign_keys=[reviewed_by_id])
    files: Mapped[list[PracticeFile]] = relationship(back_populates="practice", order_by="PracticeFile.id")

    _check_status = status_validator(PRACTICE_LIFECYCLE)


class PracticeFile(StoredFile, Base):
    __tablename__ = "practice_files"
    __table_args__ = (CheckConstraint("size_bytes >= 0", name="size_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)

    practice: Mapped[Practice] = relationship(back_populates="files")
    uploaded_by: Mapped[Person | None] = relationship()
