"""What an extension order lists of a program's plan corrections (003 §7.2: «на основании ходатайства куратора
начальник департамента … корректировка ее содержания»): the approved corrections no order has listed yet, as the
rows of changed events, marked once the order is issued.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, Order, PlanCorrection, Program


def for_order(session: Session, program: Program) -> list[PlanCorrection]:
    """The approved corrections no order has listed yet, oldest first."""
    return list(session.scalars(select(PlanCorrection).where(
        PlanCorrection.program_id == program.id, PlanCorrection.status == CorrectionStatus.APPROVED.value,
        PlanCorrection.order_id.is_(None)).order_by(PlanCorrection.decided_at, PlanCorrection.id)))


def order_rows(session: Session, program: Program) -> list[dict[str, str]]:
    """The changed events the extension order lists: event, was, becomes, reason."""
    return [row for correction in for_order(session, program) for row in correction.applied or []]


def mark_ordered(session: Session, program: Program, order: Order) -> None:
    """Record that ``order`` lists the program's approved corrections not listed before."""
    for correction in for_order(session, program):
        correction.order_id = order.id
    session.flush()
