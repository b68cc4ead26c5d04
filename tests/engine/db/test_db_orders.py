"""Orders: numbering per organization and year, the signature lifecycle, immutability once signed."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import IntegrityError

from engine.db import ImmutableRecordError, InvalidStatusTransition
from engine.db.models import Order
from engine.errors import ConflictError
from tests import factories as f

SHA = "a" * 64


def test_number_unique_per_organization_and_year(db_session):
    dept, other = f.make_department(db_session), f.make_department(db_session)
    f.make_order(db_session, organization=dept, number="100р", issued_on=date(2024, 2, 20))
    f.make_order(db_session, organization=dept, number="100р", issued_on=date(2025, 2, 20))  # next year
    f.make_order(db_session, organization=other, number="100р", issued_on=date(2024, 2, 20))  # other issuer
    f.make_order(db_session, organization=dept)  # drafts without a number do not collide
    f.make_order(db_session, organization=dept)
    db_session.commit()
    assert {o.year for o in db_session.query(Order).filter(Order.number == "100р")} == {2024, 2025}
    with pytest.raises(IntegrityError):
        f.make_order(db_session, organization=dept, number="100р", issued_on=date(2024, 12, 31))


def test_lifecycle_draft_signature_signed(db_session):
    head = f.make_person(db_session)
    order = f.make_order(db_session, body="Текст приказа")
    assert order.status == "draft"
    with pytest.raises(InvalidStatusTransition):
        order.sign(head, SHA, number="1", issued_on=date(2024, 2, 20))  # not sent for signature
    order.submit_for_signature()
    with pytest.raises(InvalidStatusTransition):
        order.sign(head, SHA)  # neither number nor date
    at = datetime(2024, 2, 20, 3, 0, tzinfo=UTC)
    order.sign(head, SHA.upper(), at=at, number="100р", issued_on=date(2024, 2, 20))
    db_session.commit()
    db_session.expunge_all()
    order = db_session.get(Order, order.id)
    assert (order.status, order.signer_id, order.signed_at, order.document_sha256, order.year) == (
        "signed", head.id, at, SHA, 2024)
    assert order.is_signed


def test_refusal_needs_a_reason_and_can_be_redrafted(db_session):
    order = f.make_order(db_session)
    order.submit_for_signature()
    with pytest.raises(InvalidStatusTransition):
        order.refuse("  ")
    order.refuse("Неверный список пар")
    db_session.commit()
    assert order.status == "refused" and order.refusal_reason == "Неверный список пар"
    with pytest.raises(InvalidStatusTransition):
        order.submit_for_signature()
    order.return_to_draft()
    db_session.commit()


def test_status_assignment_follows_the_lifecycle(db_session):
    order = f.make_order(db_session)
    with pytest.raises(InvalidStatusTransition):
        order.status = "refused"  # straight from draft, bypassing the methods
    with pytest.raises(InvalidStatusTransition):
        order.status = "signed"
    order.status = "awaiting_signature"
    order.status = "draft"
    assert Order(type="other", subject="Импорт", status="signed").status == "signed"  # imports start anywhere


def test_signed_order_cannot_change_through_the_orm(db_session):
    order = f.make_signed_order(db_session, body="Подписанный текст")
    db_session.commit()
    order.body = "Подменённый текст"
    with pytest.raises(ImmutableRecordError) as caught:
        db_session.commit()
    assert isinstance(caught.value, ConflictError) and "body" in str(caught.value)
    db_session.rollback()
    db_session.expire_all()
    assert order.body == "Подписанный текст"

    with pytest.raises(InvalidStatusTransition):
        order.status = "draft"
    order.number = "999"
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()

    db_session.delete(order)
    with pytest.raises(ImmutableRecordError):
        db_session.flush()
    db_session.rollback()


def test_unsigned_order_can_still_change(db_session):
    order = f.make_order(db_session)
    order.body = "Исправленный текст"
    order.submit_for_signature()
    order.subject = "Новый заголовок"
    db_session.commit()
    db_session.delete(order)
    db_session.commit()


def test_signed_order_cannot_change_outside_the_orm(db_session):
    """Database triggers refuse UPDATE/DELETE of a signed row even in plain SQL."""
    signed = f.make_signed_order(db_session, body="Подписанный текст")
    draft = f.make_order(db_session, organization=signed.organization)
    db_session.commit()
    db_session.execute(update(Order).where(Order.id == draft.id).values(body="ok"))
    with pytest.raises(IntegrityError, match="immutable"):
        db_session.execute(text("UPDATE orders SET body = 'x' WHERE id = :id"), {"id": signed.id})
    db_session.rollback()
    with pytest.raises(IntegrityError, match="immutable"):
        db_session.execute(delete(Order).where(Order.id == signed.id))
    db_session.rollback()


def test_signed_order_requires_its_signature_fields(db_session):
    order = f.make_order(db_session)
    db_session.execute(update(Order).where(Order.id == order.id).values(status="awaiting_signature"))
    with pytest.raises(IntegrityError):
        db_session.execute(update(Order).where(Order.id == order.id).values(status="signed"))
