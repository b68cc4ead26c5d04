"""What the order on a contest's results does once the head decides it (``contests`` step 5). The order is signed
or refused on «Приказы на подпись» like any order with no process (``orders.views``); this module watches the
session (as ``engine.db.chain`` does): a ``contest_result`` order that became signed closes its contest and gives
each winner the incentive the pack marks ``contest: true``, dated by the order and citing it; a refused one returns
the contest to voting (places cleared). The flush that changed the order notes it (``after_flush``), the rows
follow right after it (``after_flush_postexec``) and are written by the next flush — the signing's own commit."""
from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session, attributes

from engine.db.models import ContestStatus, MentorContest, Order, OrderStatus, record_audit
from engine.db.types import utcnow
from engine.services.recognition import incentives
from engine.services.recognition.basics import pack
from engine.vocabulary import OrderType

PENDING = "nastavnik.recognition.contest_orders"


def _decided(obj: object) -> bool:
    return (isinstance(obj, Order) and obj.type == OrderType.CONTEST_RESULT.value
            and obj.status in (OrderStatus.SIGNED.value, OrderStatus.REFUSED.value)
            and bool(attributes.get_history(obj, "status").added))


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: object) -> None:
    for obj in session.dirty:
        if _decided(obj):
            session.info.setdefault(PENDING, set()).add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _apply(session: Session, _context: object) -> None:
    order_ids = session.info.pop(PENDING, None)
    if not order_ids:
        return
    for order_id in sorted(order_ids):
        contest = session.scalar(select(MentorContest).where(MentorContest.order_id == order_id))
        order = session.get(Order, order_id)
        if contest is None or order is None or contest.status != ContestStatus.AWAITING_ORDER.value:
            continue
        if order.status == OrderStatus.SIGNED.value:
            settle(session, contest, order)
        else:
            reopen(session, contest, order)


def settle(session: Session, contest: MentorContest, order: Order) -> None:
    """The signed order: the contest closed, each winner's incentive recorded (by the order, not by a person)."""
    kind = pack(contest.organization).contest_incentive()
    contest.status = ContestStatus.CLOSED.value
    contest.closed_at = utcnow()
    given = []
    for nomination in contest.nominations:
        if not nomination.winner or kind is None or order.issued_on is None:
            continue
        basis = (f"приказ № {order.number} от {order.issued_on:%d.%m.%Y} «{order.subject}»: "
                 f"{nomination.place} место в конкурсе «{contest.title}»")
        row = incentives.build(session, contest.organization_id, nomination.mentor_id,
                               incentives.IncentiveInput(kind=kind.id, basis=basis, awarded_on=order.issued_on))
        row.contest_id, row.order_id = contest.id, order.id
        session.add(row)
        given.append(nomination.mentor_id)
    record_audit(session, "contest.closed", actor=order.signer_id, obj=contest, organization=contest.organization_id,
                 details={"order_id": order.id, "number": order.number, "winners": given,
                          "incentive": kind.id if kind else None})


def reopen(session: Session, contest: MentorContest, order: Order) -> None:
    contest.status = ContestStatus.VOTING.value
    for nomination in contest.nominations:
        nomination.place, nomination.total_score, nomination.winner = None, None, False
    record_audit(session, "contest.order_refused", actor=None, obj=contest, organization=contest.organization_id,
                 details={"order_id": order.id, "reason": order.refusal_reason})
