"""Orders as the API lists them: those of the organizations where the person is staff (none for other
roles), one order with its text, its CMS signature and its check, and the «sign the order» task its workflow waits on."""
from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.db.models import OpenTask, Order
from engine.errors import NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.audit.integrity import verify_order
from engine.services.orders import register as order_service
from engine.services.pages import Slice, counted_slice, iso
from engine.services.people.actor import Actor, Role, staff_organizations


def order_summary(order: Order) -> dict:
    return {"id": order.id, "organization_id": order.organization_id, "type": order.type,
            "subject": order.subject, "status": order.status,
            "status_label": order_service.STATUS_LABELS.get(order.status, order.status),
            "number": order.number, "issued_on": iso(order.issued_on), "signed_at": iso(order.signed_at),
            "signer_id": order.signer_id, "sha256": order.document_sha256, "refusal_reason": order.refusal_reason,
            "workflow_instance_id": order.workflow_instance_id, "created_at": iso(order.created_at)}


def order_document(session: Session, order: Order) -> dict:
    """The order with its text; a signed one with its CMS signature and its check (text, signature, chain link)."""
    seal = verify_order(session, order) if order.is_signed else None
    return order_summary(order) | {"text": order.body, "verified": bool(seal and seal.verified),
                                   "signature_cms": order.document_signature if order.is_signed else None,
                                   "integrity_problems": seal.problems if seal else []}


def list_orders(session: Session, actor: Actor, *, awaiting_signature: bool = False, status: str | None = None,
                offset: int = 0, limit: int | None = None) -> Slice:
    """Orders of the organizations where the actor is staff (none for other roles); ``awaiting_signature``:
    only those the actor may sign."""
    if awaiting_signature:  # counted and cut in the database
        if not actor.is_system and not actor.organizations(Role.HEAD):
            return Slice(0, [])
        waiting = order_service.awaiting_signature(actor)
        rows = session.scalars(select(Order).where(waiting).options(*order_service.HEADING_ONLY)
                               .order_by(Order.created_at, Order.id).offset(offset).limit(limit))
        return counted_slice(session, select(Order.id).where(waiting), offset, [order_summary(o) for o in rows])
    condition: ColumnElement[bool] = Order.organization_id.in_(staff_organizations(session, actor))
    if status:
        condition = condition & (Order.status == status)
    rows = session.scalars(select(Order).where(condition).options(*order_service.HEADING_ONLY)
                           .order_by(Order.id.desc()).offset(offset).limit(limit))
    return counted_slice(session, select(Order.id).where(condition), offset, [order_summary(o) for o in rows])


def get_order(session: Session, actor: Actor, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"нет приказа с номером {order_id}")
    if order.organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: приказ (запись № {order_id}) другой организации")
    return order


def open_sign_task(session: Session, order: Order) -> OpenTask | None:
    """The «sign the order» task its workflow is waiting on, if any."""
    if order.workflow_instance_id is None:
        return None
    return session.scalar(select(OpenTask).where(OpenTask.instance_id == order.workflow_instance_id,
                                                 OpenTask.form_id == FormId.SIGN_ORDER).order_by(OpenTask.id))
