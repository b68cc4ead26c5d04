"""Orders (приказ / распоряжение): the register's common rules — finding an order, who may prepare or sign it,
a signed order never changes, the audit entry — and reading it: ``verify``, ``orders_awaiting_signature``.

Who may do what (003 §3.2: the head issues orders; §3.3: the curator prepares them):

====================================  ==============================================================
``drafting.draft_order``, ``redraft``, curator or head of the organization, or the system (workflows)
``submit``
``signing.sign``, ``refuse``          a head of that organization only (a person: the system never signs)
``orders_awaiting_signature``         what the acting head may sign (everything for the system)
====================================  ==============================================================

Drafting, redrafting, restating and submitting are in ``drafting``; numbering, signing and refusing in ``signing``.
A signed order never changes: these functions refuse with ``ConflictError``, and the model and the database
refuse any write.

Every action writes an audit entry (``order.drafted``, ``order.redrafted``, ``order.submitted``,
``order.numbered``, ``order.signed``, ``order.refused``). Nothing is committed here: the caller owns the transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, defer

from engine.db.models import ORDER_LIFECYCLE, Order, OrderStatus, Role, record_audit
from engine.documents.orders import document_sha256
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.services.people.actor import Actor

STATUS_LABELS = ORDER_LIFECYCLE.labels  # looked up by the order's status column

# what a list of orders reads: never the text or the signature (a page of one order loads them)
HEADING_ONLY = (defer(Order.body), defer(Order.document_signature))


# --- helpers ------------------------------------------------------------------------------------


def order_label(order: Order) -> str:
    return f"приказ № {order.number}" if order.number else f"проект приказа (запись № {order.id})"


def status_label(order: Order) -> str:
    return STATUS_LABELS.get(order.status, order.status)


def get_order(session: Session, order_id: int, *, lock: bool = False) -> Order:
    stmt = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()  # PostgreSQL: row lock; SQLite ignores it (see signing._lock_organization)
    order = session.scalars(stmt).one_or_none()
    if order is None:
        raise NotFound(f"нет приказа с номером {order_id}")
    return order


def require_preparer(actor: Actor, organization_id: int, action: str) -> None:
    if actor.is_system or actor.has_role(organization_id, Role.CURATOR) or actor.has_role(organization_id, Role.HEAD):
        return
    raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно только куратору или "
                           "руководителю этой организации")


def require_head(actor: Actor, organization_id: int, action: str) -> None:
    if actor.is_system:
        raise PermissionDenied(f"действие «{action}» выполняет только руководитель организации лично, не система")
    actor.require(organization_id, Role.HEAD, action=action)


def refuse_if_signed(order: Order, action: str) -> None:
    if order.status == OrderStatus.SIGNED:
        raise ConflictError(f"{order_label(order)} уже подписан и изменён быть не может (действие «{action}»)",
                            where=f"orders.{order.id}")


def audit_order(session: Session, action: str, actor: Actor | None, order: Order, **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id if actor is not None else None, obj=order, organization=order.organization_id,
                 details={"status": order.status, **details})


# --- reading ------------------------------------------------------------------------------------


def verify(order: Order) -> bool:
    """True when ``order`` is signed and its text still has the recorded SHA-256."""
    if order.status != OrderStatus.SIGNED or not order.document_sha256 or order.body is None:
        return False
    return document_sha256(order.body) == order.document_sha256


def awaiting_signature(actor: Actor) -> ColumnElement[bool]:
    """SQL: the orders sent for signature that ``actor`` may sign (for the system: all of them)."""
    waiting = Order.status == OrderStatus.AWAITING_SIGNATURE.value
    if actor.is_system:
        return waiting
    return waiting & Order.organization_id.in_(sorted(actor.organizations(Role.HEAD)))


def orders_awaiting_signature(session: Session, actor: Actor) -> list[Order]:
    """Orders sent for signature that ``actor`` may sign (for the system: all of them), oldest first."""
    if not actor.is_system and not actor.organizations(Role.HEAD):
        return []
    return list(session.scalars(select(Order).where(awaiting_signature(actor)).options(*HEADING_ONLY)
                                .order_by(Order.created_at, Order.id)))
