"""Corrections of a program's plan of events (003 §7.2 «корректировка ее содержания (плана мероприятий …)»):
a participant composes the changes, the other participants agree, the curator approves or returns them."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from engine.db.models.orders import Order
    from engine.db.models.org import Person
    from engine.db.models.program import Program


class CorrectionStatus(enum.StrEnum):
    DRAFT = "draft"  # the proposer is still composing the changes
    PROPOSED = "proposed"  # waiting for the other participants' agreement (003 §7.2 «по обоюдному согласию»)
    AGREED = "agreed"  # every participant agreed: waiting for the curator
    APPROVED = "approved"  # the curator approved: the program's events were changed
    RETURNED = "returned"  # the curator (or a participant who did not agree) returned it with a reason
    WITHDRAWN = "withdrawn"  # the proposer gave it up


CORRECTION_LIFECYCLE = Lifecycle(
    statuses=CorrectionStatus, table="plan_corrections", entity="корректировка плана №{id}",
    labels={CorrectionStatus.DRAFT: "черновик", CorrectionStatus.PROPOSED: "на согласовании участников",
            CorrectionStatus.AGREED: "на утверждении у куратора", CorrectionStatus.APPROVED: "утверждена",
            CorrectionStatus.RETURNED: "возвращена", CorrectionStatus.WITHDRAWN: "отозвана"},
    transitions={
        CorrectionStatus.DRAFT: frozenset({CorrectionStatus.PROPOSED, CorrectionStatus.WITHDRAWN}),
        CorrectionStatus.PROPOSED: frozenset({CorrectionStatus.AGREED, CorrectionStatus.RETURNED,
                                              CorrectionStatus.WITHDRAWN}),
        CorrectionStatus.AGREED: frozenset({CorrectionStatus.APPROVED, CorrectionStatus.RETURNED}),
        CorrectionStatus.APPROVED: frozenset(),
        CorrectionStatus.RETURNED: frozenset({CorrectionStatus.PROPOSED, CorrectionStatus.WITHDRAWN}),
        CorrectionStatus.WITHDRAWN: frozenset(),
    },
    doc="""A mentor or mentee composes a correction of the program's plan (003 §4.2 «совместно с наставляемым
    составить», §5.1 «вносить на рассмотрение предложения») as a draft, proposes it; the other participants
    agree (003 §7.2 «по обоюдному согласию наставника и наставляемого») or return it; the curator approves it —
    the program's events change then — or returns it with a reason; a returned correction is corrected and
    proposed again (``engine.services.mentorship.plan_corrections``). An approved correction is listed by the
    next extension order (``order_id``).""",
)


class PlanCorrection(Base):
    __tablename__ = "plan_corrections"
    __table_args__ = (
        check_in("status", CorrectionStatus, "status"),
        check_in("proposer_role", ("mentor", "mentee"), "proposer_role"),
        CheckConstraint("status NOT IN ('approved', 'returned') OR decided_at IS NOT NULL", name="decided_has_time"),
        CheckConstraint("status <> 'returned' OR return_reason IS NOT NULL", name="returned_has_reason"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        Index("ix_plan_corrections_program_status", "program_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=CorrectionStatus.DRAFT.value)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    proposer_role: Mapped[str] = mapped_column(String(16))
    # [{"op": add|move|replace|remove, "event_id"?, "stage_id", "kind"?, "name"?, "due_on"?, "reason"}]
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    agreed_by: Mapped[list[int]] = mapped_column(JSON, default=list)  # person ids of the participants who agreed
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)
    # what the approval did, row by row (event, was, becomes, reason): what the extension order lists
    applied: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)  # the order that listed it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    program: Mapped[Program] = relationship()
    proposed_by: Mapped[Person] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])
    order: Mapped[Order | None] = relationship()

    _check_status = status_validator(CORRECTION_LIFECYCLE)
