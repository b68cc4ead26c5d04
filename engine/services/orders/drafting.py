"""Orders: drafting — a new draft, a draft redrafted from corrected data, a process's order restated at
signing, a draft sent for signature (curator or head of the organization, or the system; ``register``).

The draft's text comes from ``engine.documents.orders``, worded by the template of the organization's regulation
pack (``rules/<pack>/orders/<type>.j2``); the order records which pack, version and template (SHA-256) worded
it (``Order.regulation``, ``regulation_version``, ``template_sha256``; also in the audit entry). Nothing is
committed here: the caller owns the transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Order, OrderStatus, Organization, Person, Role, RoleAssignment
from engine.documents.orders import (
    ComposedOrder,
    DocumentSettings,
    OrderDataError,
    compose_order,
    document_sha256,
    normalize_data,
    settings_for,
    template_for,
)
from engine.errors import ConflictError, NotFound
from engine.services.orders import notices
from engine.services.orders.document_data import resolve_ids
from engine.services.orders.register import (
    audit_order,
    get_order,
    order_label,
    refuse_if_signed,
    require_preparer,
    status_label,
)
from engine.services.people.actor import Actor


def _planned_signatory(session: Session, organization_id: int) -> Person | None:
    """The organization's head when there is exactly one (shown on the draft), else None."""
    heads = session.scalars(
        select(Person).join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.organization_id == organization_id, RoleAssignment.role == Role.HEAD,
               RoleAssignment.active.is_(True), Person.is_active.is_(True))
        .order_by(Person.id).limit(2)
    ).all()
    return heads[0] if len(heads) == 1 else None


def _render_draft(session: Session, organization: Organization, template,
                  subject_data: Any) -> tuple[dict[str, Any], DocumentSettings, ComposedOrder]:
    if not isinstance(subject_data, dict):
        raise OrderDataError("данные приказа должны быть словарём", where=template.id)
    data = normalize_data(template.id, resolve_ids(session, subject_data, template.id),
                          regulation=organization.regulation)
    settings = settings_for(organization)
    composed = compose_order(template.id, data, regulation=organization.regulation, settings=settings,
                             signatory=_planned_signatory(session, organization.id))
    return data, settings, composed


def _set_text(order: Order, template, composed: ComposedOrder, data: dict[str, Any]) -> None:
    order.type, order.subject, order.body = template.order_type, composed.subject, composed.text
    # 003 §7.2: «продление срока … или корректировка ее содержания» — only the former has a new end date
    order.extends_term = bool(data.get("new_end_on")) if template.order_type == "extension" else None
    order.regulation, order.regulation_version = composed.regulation, composed.pack_version
    order.template_sha256 = composed.template_sha256


def _text_details(template, data: dict[str, Any], settings: DocumentSettings,
                  composed: ComposedOrder) -> dict[str, Any]:
    return {"template": template.id, "data": data, "settings": settings.as_dict(),
            "draft_sha256": document_sha256(composed.text), "regulation": composed.regulation,
            "regulation_version": composed.pack_version, "template_sha256": composed.template_sha256}


def draft_order(session: Session, actor: Actor, organization_id: int, order_type: str,
                subject_data: dict[str, Any], *, workflow_instance_id: int | None = None) -> Order:
    """A new draft order of ``order_type`` (a kind of ``engine.documents.orders.TEMPLATES`` the organization's
    pack lists) with its text rendered from ``subject_data`` by the pack's template. Ids in the data (people,
    groups, programs, appointments) are looked up here; what the text was rendered from is recorded in the
    audit entry."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    require_preparer(actor, organization_id, "подготовка проекта приказа")
    template = template_for(order_type)
    data, settings, composed = _render_draft(session, organization, template, subject_data)
    order = Order(organization_id=organization_id, created_by_id=actor.person_id,
                  workflow_instance_id=workflow_instance_id)
    _set_text(order, template, composed, data)
    session.add(order)
    session.flush()
    audit_order(session, "order.drafted", actor, order, **_text_details(template, data, settings, composed))
    session.flush()
    return order


def redraft(session: Session, actor: Actor, order_id: int, order_type: str,
            subject_data: dict[str, Any]) -> Order:
    """Render a draft or refused order again from corrected data (by the pack's template as it is now); a
    refused order becomes a draft (to be submitted again). The refusal reason stays on record in the audit
    trail."""
    order = get_order(session, order_id)
    require_preparer(actor, order.organization_id, "исправление проекта приказа")
    refuse_if_signed(order, "исправление проекта")
    if order.status not in (OrderStatus.DRAFT, OrderStatus.REFUSED):
        raise ConflictError(f"{order_label(order)} в состоянии «{status_label(order)}»: исправить можно проект или приказ, "
                            "в подписании которого отказано", where=f"orders.{order.id}")
    template = template_for(order_type)
    data, settings, composed = _render_draft(session, order.organization, template, subject_data)
    if order.status == OrderStatus.REFUSED:
        order.return_to_draft()
    _set_text(order, template, composed, data)
    audit_order(session, "order.redrafted", actor, order, **_text_details(template, data, settings, composed))
    session.flush()
    return order


def restate(session: Session, order: Order, subject_data: dict[str, Any]) -> bool:
    """At signing, an order a process drafted is rendered again from its data as of the day of signing (the
    program starts, the mentor is appointed, the term runs from the order's date): what a signed order states
    is what its effect records. The head signs the text as re-rendered; a changed text is on record in the
    audit trail next to the draft's. True when the text changed."""
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        return False
    template = template_for(order.type)
    data, settings, composed = _render_draft(session, order.organization, template, subject_data)
    if composed.text == order.body:
        return False
    _set_text(order, template, composed, data)
    audit_order(session, "order.restated", None, order, **_text_details(template, data, settings, composed))
    session.flush()
    return True


def submit(session: Session, actor: Actor, order_id: int) -> Order:
    """Send a draft for the head's signature (draft → awaiting_signature)."""
    order = get_order(session, order_id)
    require_preparer(actor, order.organization_id, "направление приказа на подпись")
    refuse_if_signed(order, "направление на подпись")
    if order.status != OrderStatus.DRAFT:
        raise ConflictError(f"{order_label(order)} в состоянии «{status_label(order)}»: на подпись направляется только "
                            "проект", where=f"orders.{order.id}")
    order.submit_for_signature()
    audit_order(session, "order.submitted", actor, order)
    session.flush()
    notices.awaiting_signature(session, order)
    return order
