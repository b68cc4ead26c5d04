"""What people are told of orders, in the transaction that changes them:

    awaiting_signature(session, order)   # «Приказ ждёт вашей подписи» — to the heads of its organization
    decided(session, order)              # signed or refused — to who prepared it and the people it concerns

Who prepared an order: the person who drafted it, or — an order a process drafted — the curators of its
organization (they prepare orders, 003 §3.3). The people it concerns: those its process names (the pair's mentor and
mentee, the mentor candidate). The signer is not told of his own signature.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import MentoringGroup, Order, OrderStatus, Role
from engine.services.notifications.kinds import ORDER_AWAITING_SIGNATURE, ORDER_DECIDED
from engine.services.notifications.outbox import notify_many
from engine.services.orders.register import order_label
from engine.services.process.task_notifications import role_holders


def order_link(order: Order) -> str:
    return f"/orders/{order.id}"


def concerned(session: Session, order: Order) -> list[int]:
    """The people the order's process is about (its ``subject``: assignees by role, a candidate)."""
    instance = order.workflow_instance
    subject = instance.subject if instance is not None and isinstance(instance.subject, dict) else {}
    found: list[int] = []
    assignees = subject.get("assignees")
    for value in (assignees.values() if isinstance(assignees, dict) else ()):
        if isinstance(value, int) and not isinstance(value, bool):
            found.append(value)
    candidate = subject.get("candidate_id")
    if isinstance(candidate, int) and not isinstance(candidate, bool):
        found.append(candidate)
    group_id = subject.get("group_id")
    group = session.get(MentoringGroup, group_id) if isinstance(group_id, int) else None
    if group is not None:  # a pair's (group's) order: its mentor and mentees
        found += [group.mentor_id, *(m.person_id for m in group.members if m.left_on is None)]
    return found


def awaiting_signature(session: Session, order: Order) -> None:
    heads = role_holders(session, order.organization_id, Role.HEAD)
    notify_many(session, heads, ORDER_AWAITING_SIGNATURE, f"Приказ ждёт вашей подписи: «{order.subject}»",
                body=f"{order_label(order).capitalize()} «{order.subject}» направлен вам на подпись.",
                link=order_link(order), organization_id=order.organization_id,
                instance_id=order.workflow_instance_id, key=f"order:{order.id}:awaiting")


def decided(session: Session, order: Order) -> None:
    preparers = ([order.created_by_id] if order.created_by_id is not None
                 else role_holders(session, order.organization_id, Role.CURATOR))
    people = [p for p in [*preparers, *concerned(session, order)] if p != order.signer_id]
    if order.status == OrderStatus.SIGNED.value:
        title = f"Приказ подписан: № {order.number} «{order.subject}»"
        body = f"Приказ № {order.number} от {order.issued_on:%d.%m.%Y} «{order.subject}» подписан." \
            if order.issued_on is not None else f"Приказ «{order.subject}» подписан."
    else:
        title = f"Приказ не подписан: «{order.subject}»"
        body = f"Руководитель отказал в подписании приказа «{order.subject}». Причина: {order.refusal_reason or '—'}"
    notify_many(session, people, ORDER_DECIDED, title, body=body, link=order_link(order),
                organization_id=order.organization_id, instance_id=order.workflow_instance_id,
                key=f"order:{order.id}:{order.status}")
