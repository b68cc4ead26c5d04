"""Orders: numbering, signing and refusing (a head of the order's organization only; ``register``).

Signing numbers the order (``assign_number``: next number per organization and year, «100р» style), makes the
final text from the draft (date and number, the signer's line, the signature stamp in the organization's time
zone) and stores it as ``Order.body`` with its SHA-256 (``register.verify`` recomputes it) and its detached CMS
signature by the organization's certificate (``engine.integrity``; the commit puts the signed order into the
orders' chain, checked by ``engine.services.audit.integrity``). Nothing is committed here: the caller owns the
transaction.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.db.models import Order, OrderStatus, Organization, Person
from engine.db.types import utcnow
from engine.documents.orders import (
    DocumentSettings,
    OrderDataError,
    Signatory,
    check_draft,
    document_sha256,
    finalize_order,
    settings_for,
)
from engine.errors import ConflictError, PermissionDenied
from engine.integrity.cms import sign_text
from engine.integrity.keys import organization_certificate
from engine.services.orders import notices
from engine.services.orders.register import (
    audit_order,
    get_order,
    order_label,
    refuse_if_signed,
    require_head,
    status_label,
)
from engine.services.people.actor import Actor

NUMBERING_ATTEMPTS = 5
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


def _local_today(settings: DocumentSettings) -> date:
    return utcnow().astimezone(settings.zone).date()


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
                  settings: DocumentSettings | None = None, actor: Actor | None = None, locked: bool = False) -> str:
    """Give ``order`` the next number of its organization for the year of ``on`` (default: today in the
    organization's time zone) and set its date. Numbers restart at 1 every year; each organization counts
    on its own; the organization's suffix follows («100р»). An order that has a number keeps it.

    Safe under concurrency: the organization is locked while numbering (``_lock_organization``), and a
    collision with the unique (organization, year, number) constraint is retried in a savepoint.
    Audited as ``order.numbered`` (by ``actor``; None = the system). ``locked``: the caller holds the organization's
    lock in this transaction already (``sign``)."""
    refuse_if_signed(order, "присвоение номера")
    if order.number is not None:
        return order.number
    settings = settings or settings_for(order.organization)
    on = on or _local_today(settings)
    session.flush()
    if not locked:
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
        audit_order(session, "order.numbered", actor, order, number=number, issued_on=on.isoformat())
        return number
    raise AssertionError("unreachable")


def _lock_and_reread(session: Session, order: Order) -> None:
    """Take the organization's lock and re-read ``order`` under it: on SQLite (no row locks) another
    session may have signed or refused it since it was read. (PostgreSQL: ``get_order(lock=True)`` read it
    under its row lock in this transaction, so nobody changed it since.)"""
    session.flush()
    _lock_organization(session, order.organization_id)
    if session.get_bind().dialect.name != "postgresql":
        session.refresh(order)


def sign(session: Session, actor: Actor, order_id: int, *, at: datetime | None = None) -> Order:
    """The head signs: the order gets its number and date, the final text (date and number, the signer's
    line, the signature stamp) becomes its body, and the SHA-256 of that text is recorded.

    Only a head of the order's organization signs; nothing changes when the signature is refused."""
    order = get_order(session, order_id, lock=True)
    require_head(actor, order.organization_id, "подписание приказа")
    refuse_if_signed(order, "подписание")
    signer = session.get(Person, actor.person_id)
    if signer is None or not signer.is_active:
        raise PermissionDenied(f"{actor.full_name or actor.login}: подписывать может только действующий сотрудник")
    settings = settings_for(order.organization)
    _lock_and_reread(session, order)
    refuse_if_signed(order, "подписание")
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        raise ConflictError(f"{order_label(order)} в состоянии «{status_label(order)}»: подписать можно только приказ, "
                            "направленный на подпись", where=f"orders.{order.id}")
    signed_at = (at or utcnow()).replace(microsecond=0)
    if signed_at.tzinfo is None:
        raise OrderDataError("время подписи без часового пояса не принимается", where="at")
    check_draft(order.body)  # before a number is spent on it
    # the order's date is the day of signing in the organization's time zone (kept if already numbered)
    number = assign_number(session, order, on=signed_at.astimezone(settings.zone).date(), settings=settings,
                           actor=actor, locked=True)
    issued_on = order.issued_on
    if issued_on is None:  # a number always comes with its date (the table's check number_has_date)
        raise ConflictError(f"{order_label(order)}: у номера нет даты приказа", where=f"orders.{order.id}")
    document = finalize_order(order.body, number=number, issued_on=issued_on,
                              signatory=Signatory.of(signer), signed_at=signed_at, settings=settings)
    sha = document_sha256(document)
    certificate = organization_certificate()
    order.body = document
    order.sign(signer, sha, at=signed_at, signature=sign_text(document, certificate))
    audit_order(session, "order.signed", actor, order, number=number, issued_on=issued_on.isoformat(),
           signed_at=signed_at.isoformat(), document_sha256=sha, certificate_sha256=certificate.fingerprint)
    session.flush()
    notices.decided(session, order)
    return order


def refuse(session: Session, actor: Actor, order_id: int, reason: str) -> Order:
    """The head refuses to sign, giving the reason; the order goes back to whoever prepared it (the caller
    returns it to the workflow)."""
    order = get_order(session, order_id, lock=True)
    require_head(actor, order.organization_id, "отказ в подписании приказа")
    cleaned = " ".join(str(reason or "").split())
    if not cleaned:
        raise OrderDataError("укажите причину отказа в подписании приказа", where="reason")
    _lock_and_reread(session, order)
    refuse_if_signed(order, "отказ в подписании")
    if order.status != OrderStatus.AWAITING_SIGNATURE:
        raise ConflictError(f"{order_label(order)} в состоянии «{status_label(order)}»: отказать можно только в подписании "
                            "приказа, направленного на подпись", where=f"orders.{order.id}")
    order.refuse(cleaned)
    audit_order(session, "order.refused", actor, order, reason=cleaned)
    session.flush()
    notices.decided(session, order)
    return order
