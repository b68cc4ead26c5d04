"""Orders (приказ / распоряжение): draft, send for signature, number, sign or refuse, verify.

Who may do what (003 §3.2: the head issues orders; §3.3: the curator prepares them):

====================================  ==============================================================
``draft_order``, ``redraft``,         curator or head of the organization, or the system (workflows)
``submit``
``sign``, ``refuse``                  a head of that organization only (a person: the system never signs)
``orders_awaiting_signature``         what the acting head may sign (everything for the system)
====================================  ==============================================================

The draft's text comes from ``engine.documents.orders``, worded by the template of the organization's regulation
pack (``rules/<pack>/orders/<type>.j2``); the order records which pack, version and template (SHA-256) worded
it (``Order.regulation``, ``regulation_version``, ``template_sha256``; also in the audit entry). Signing numbers the
order (``assign_number``: next number per organization and year, «100р» style), makes the final text
from the draft (date and number, the signer's line, the signature stamp in the organization's time zone)
and stores it as ``Order.body`` with its SHA-256 (``verify`` recomputes it) and its detached CMS signature by the
organization's certificate (``engine.integrity``; the commit puts the signed order into the orders' chain, checked
by ``engine.services.audit.integrity``). A signed order never
changes: these functions refuse with ``ConflictError``, and the model and the database refuse any write.

Every action writes an audit entry (``order.drafted``, ``order.redrafted``, ``order.submitted``,
``order.numbered``, ``order.signed``, ``order.refused``). Nothing is committed here: the caller owns the transaction.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.db.models import (
    ORDER_LIFECYCLE,
    Order,
    OrderStatus,
    Organization,
    Person,
    Role,
    RoleAssignment,
    record_audit,
)
from engine.db.types import utcnow
from engine.documents.orders import (
    ComposedOrder,
    DocumentSettings,
    OrderDataError,
    Signatory,
    check_draft,
    compose_order,
    document_sha256,
    finalize_order,
    normalize_data,
    settings_for,
    template_for,
)
from engine.errors import ConflictError, NotFound, PermissionDenied
from engine.integrity.cms import sign_text
from engine.integrity.keys import organization_certificate
from engine.services.orders.document_data import resolve_ids
from engine.services.people.actor import Actor

STATUS_LABELS = ORDER_LIFECYCLE.labels  # looked up by the order's status column
NUMBERING_ATTEMPTS = 5
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


# --- helpers ------------------------------------------------------------------------------------


def _label(order: Order) -> str:
    return f"приказ № {order.number}" if order.number else f"проект приказа (запись № {order.id})"


def _status(order: Order) -> str:
    return STATUS_LABELS.get(order.status, order.status)


def _get_order(session: Session, order_id: int, *, lock: bool = False) -> Order:
    stmt = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()  # PostgreSQL: row lock; SQLite ignores it (see _lock_organization)
    order = session.scalars(stmt).one_or_none()
    if order is None:
        raise NotFound(f"нет приказа с номером {order_id}")
    return order


def _require_preparer(actor: Actor, organization_id: int, action: str) -> None:
    if actor.is_system or actor.has_role(organization_id, Role.CURATOR) or actor.has_role(organization_id, Role.HEAD):
        return
    raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно только куратору или "
                           "руководителю этой организации")


def _require_head(actor: Actor, organization_id: int, action: str) -> None:
    if actor.is_system:
        raise PermissionDenied(f"действие «{action}» выполняет только руководитель организации лично, не система")
    actor.require(organization_id, Role.HEAD, action=action)


def _refuse_if_signed(order: Order, action: str) -> None:
    if order.status == OrderStatus.SIGNED:
        raise ConflictError(f"{_label(order)} уже подписан и изменён быть не может (действие «{action}»)",
                            where=f"orders.{order.id}")


def _audit(session: Session, action: str, actor: Actor | None, order: Order, **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id if actor is not None else None, obj=order, organization=order.organization_id,
                 details={"status": order.status, **details})


def _local_today(settings: DocumentSettings) -> date:
    return utcnow().astimezone(settings.zone).date()


def _planned_signatory(session: Session, organization_id: int) -> Person | None:
    """The organization's head when there is exactly one (shown on the draft), else None."""
    heads = session.scalars(
        select(Person).join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(RoleAssignment.organization_id == organization_id, RoleAssignment.role == Role.HEAD,
               RoleAssignment.active.is_(True), Person.is_active.is_(True))
        .order_by(Person.id).limit(2)
    ).all()
    return heads[0] if len(heads) == 1 else None


# --- use cases ----------------------------------------------------------------------------------


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


def _set_text(order: Order, template, composed: ComposedOrder) -> None:
    order.type, order.subject, order.body = template.order_type, composed.subject, composed.text
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
    _require_preparer(actor, organization_id, "подготовка проекта приказа")
    template = template_for(order_type)
    data, settings, composed = _render_draft(session, organization, template, subject_data)
    order = Order(organization_id=organization_id, created_by_id=actor.person_id,
                  workflow_instance_id=workflow_instance_id)
    _set_text(order, template, composed)
    session.add(order)
    session.flush()
    _audit(session, "order.drafted", actor, order, **_text_details(template, data, settings, composed))
    session.flush()
    return order


def redraft(session: Session, actor: Actor, order_id: int, order_type: str,
            subject_data: dict[str, Any]) -> Order:
    """Render a draft or refused order again from corrected data (by the pack's template as it is now); a
    refused order becomes a draft (to be submitted again). The refusal reason stays on record in the audit
    trail."""
    order = _get_order(session, order_id)
    _require_preparer(actor, order.organization_id, "исправление проекта приказа")
    _refuse_if_signed(order, "исправление проекта")
    if order.status not in (OrderStatus.DRAFT, OrderStatus.REFUSED):
        raise ConflictError(f"{_label(order)} в состоянии «{_status(order)}»: исправить можно проект или приказ, "
                            "в подписании которого отказано", where=f"orders.{order.id}")
    template = template_for(order_type)
    data, settings, composed = _render_draft(session, order.organization, template, subject_data)
    if order.status == OrderStatus.REFUSED:
        order.return_to_draft()
    _set_text(order, template, composed)
    _audit(session, "order.redrafted", actor, order, **_text_details(template, data, settings, composed))
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
    _set_text(order, template, composed)
    _audit(session, "order.restated", None, order, **_text_details(template, data, settings, composed))
    session.flush()
    return True


def submit(session: Session, actor: Actor, order_id: int) -> Order:
    """Send a draft for the head's signature (draft → awaiting_signature)."""
    order = _get_order(session, order_id)
    _require_preparer(actor, order.organization_id, "направление приказа на подпись")
    _refuse_if_signed(order, "направление на подпись")
    if order.status != OrderStatus.DRAFT:
        raise ConflictError(f"{_label(order)} в состоянии «{_status(order)}»: на подпись направляется только "
                            "проект", where=f"orders.{order.id}")
    order.submit_for_signature()
    _audit(session, "order.submitted", actor, order)
    session.flush()
    return order


def _lock_organization(session: Session, organization_id: int) -> None:
    """Serialise numbering within one organization until the transaction ends.

    PostgreSQL: ``SELECT … FOR UPDATE`` of the organization's row. SQLite has no row locks: a no-op
    ``UPDATE`` takes the database write lock (a concurrent writer waits for ``busy_timeout``), so the
    highest number is read only once nobody else can write."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(select(Organization.id).where(Organization.id == organization_id).with_for_update())
    elif dialect == "sqlite":
        session.execute(text("UPDATE organizations SET name = name WHERE id = :id"), {"id": organization_id})


def _highest_number(session: Session, organization_id: int, year: int) -> int:
    numbers = session.scalars(
        select(Order.number).where(Order.organization_id == organization_id, Order.year == year,
                                   Order.number.is_not(None))
    ).all()
    found = [int(m.group(1)) for n in numbers if n is not None and (m := _LEADING_NUMBER.match(n))]
    return max(found, default=0)


def assign_number(session: Session, order: Order, *, on: date | None = None,
                  settings: DocumentSettings | None = None, actor: Actor | None = None) -> str:
    """Give ``order`` the next number of its organization for the year of ``on`` (default: today in the
    organization's time zone) and set its date. Numbers restart at 1 every year; each organization counts
    on its own; the organization's suffix follows («100р»). An order that has a number keeps it.

    Safe under concurrency: the organization is locked while numbering (``_lock_organization``), and a
    collision with the unique (organization, year, number) constraint is retried in a savepoint.
    Audited as ``order.numbered`` (by ``actor``; None = the system)."""
    _refuse_if_signed(order, "присвоение номера")
    if order.number is not None:
        return order.number
    settings = settings or settings_for(order.organization)
    on = on or _local_today(settings)
    session.flush()
    _lock_organization(session, order.organization_id)
    for attempt in range(1, NUMBERING_ATTEMPTS + 1):
        number = settings.format_number(_highest_number(session, order.organization_id, on.year) + 1)
        try:
            with session.begin_nested():
                order.issued_on = on
                order.number = number
                session.flush()
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS:
                raise ConflictError(f"не удалось присвоить номер приказу (запись № {order.id}): номер {number} "
                                    f"занят, попыток: {attempt}", where=f"orders.{order.id}") from None
            continue
        _audit(session, "order.numbered", actor, order, number=number, issued_on=on.isoformat())
        return number
    raise AssertionError("unreachable")


def _lock_and_reread(session: Session, order: Order) -> None:
    """Take the organization's lock and re-read ``order`` under it: on SQLite (no row locks) another
    session may have signed or refused it since it was read."""
    session.flush()
    _lock_organization(session, order.organization_id)
    session.refresh(order)


def sign(session: Session, actor: Actor, order_id: int, *, at: datetime | None = None) -> Order:
    """The head signs: the order gets its number and date, the final text (date and number, the signer's
    line, the signature stamp) becomes its body, and the SHA-256 of that text is recorded.

    Only a head of the order's organization signs; nothing changes when the signature is refused."""
    order = _get_order(session, order_id, lock=True)
    _require_head(actor, order.organization_id, "подписание приказа")
    _refuse_if_signed(order, "подписание")
    signer = session.get(Person, actor.person_id)
    if signer is None or not signer.is_active:
        raise PermissionDenied(f"{actor.full_name or actor.login}: подписывать может только действующий сотрудник")
    settings = settings_for(order.organization)
    _lock_and_reread(session, order)
    _refuse_if_signed(order, "подписание")
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        raise ConflictError(f"{_label(order)} в состоянии «{_status(order)}»: подписать можно только приказ, "
                            "направленный на подпись", where=f"orders.{order.id}")
    signed_at = (at or utcnow()).replace(microsecond=0)
    if signed_at.tzinfo is None:
        raise OrderDataError("время подписи без часового пояса не принимается", where="at")
    check_draft(order.body)  # before a number is spent on it
    # the order's date is the day of signing in the organization's time zone (kept if already numbered)
    number = assign_number(session, order, on=signed_at.astimezone(settings.zone).date(), settings=settings,
                           actor=actor)
    issued_on = order.issued_on
    if issued_on is None:  # a number always comes with its date (the table's check number_has_date)
        raise ConflictError(f"{_label(order)}: у номера нет даты приказа", where=f"orders.{order.id}")
    document = finalize_order(order.body, number=number, issued_on=issued_on,
                              signatory=Signatory.of(signer), signed_at=signed_at, settings=settings)
    sha = document_sha256(document)
    certificate = organization_certificate()
    order.body = document
    order.sign(signer, sha, at=signed_at, signature=sign_text(document, certificate))
    _audit(session, "order.signed", actor, order, number=number, issued_on=issued_on.isoformat(),
           signed_at=signed_at.isoformat(), document_sha256=sha, certificate_sha256=certificate.fingerprint)
    session.flush()
    return order


def refuse(session: Session, actor: Actor, order_id: int, reason: str) -> Order:
    """The head refuses to sign, giving the reason; the order goes back to whoever prepared it (the caller
    returns it to the workflow)."""
    order = _get_order(session, order_id, lock=True)
    _require_head(actor, order.organization_id, "отказ в подписании приказа")
    cleaned = " ".join(str(reason or "").split())
    if not cleaned:
        raise OrderDataError("укажите причину отказа в подписании приказа", where="reason")
    _lock_and_reread(session, order)
    _refuse_if_signed(order, "отказ в подписании")
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        raise ConflictError(f"{_label(order)} в состоянии «{_status(order)}»: отказать можно только в подписании "
                            "приказа, направленного на подпись", where=f"orders.{order.id}")
    order.refuse(cleaned)
    _audit(session, "order.refused", actor, order, reason=cleaned)
    session.flush()
    return order


def verify(order: Order) -> bool:
    """True when ``order`` is signed and its text still has the recorded SHA-256."""
    if order.status != OrderStatus.SIGNED or not order.document_sha256 or order.body is None:
        return False
    return document_sha256(order.body) == order.document_sha256


def orders_awaiting_signature(session: Session, actor: Actor) -> list[Order]:
    """Orders sent for signature that ``actor`` may sign (for the system: all of them), oldest first."""
    stmt = select(Order).where(Order.status == OrderStatus.AWAITING_SIGNATURE)
    if not actor.is_system:
        organizations = actor.organizations(Role.HEAD)
        if not organizations:
            return []
        stmt = stmt.where(Order.organization_id.in_(sorted(organizations)))
    return list(session.scalars(stmt.order_by(Order.created_at, Order.id)))
