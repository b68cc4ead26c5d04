"""Orders (приказ / распоряжение): drafted, sent for signature, signed or refused.

Every assignment to ``status`` follows ``ORDER_LIFECYCLE`` (``InvalidStatusTransition``, see ``lifecycle``).
A signed order is a legal document and never changes again: a mapper event refuses any flush that
modifies or deletes a signed order (``ImmutableRecordError``), and database triggers
(``engine.db.ddl``, migration 0001) refuse UPDATE/DELETE of a signed row even outside the ORM.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship, validates

from engine.db.base import Base, check_in, validate_vocab
from engine.db.errors import ImmutableRecordError, InvalidStatusTransition
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow
from engine.vocabulary import OrderType

if TYPE_CHECKING:
    from engine.db.models.org import Organization, Person
    from engine.db.models.workflow import WorkflowInstance


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    REFUSED = "refused"


DECIDED_STATUSES = (OrderStatus.SIGNED.value, OrderStatus.REFUSED.value)
DECIDED_PREDICATE = "status IN ('signed', 'refused')"  # the partial index of decided orders; DECIDED_STATUSES

ORDER_LIFECYCLE = Lifecycle(
    statuses=OrderStatus, table="orders", entity="приказ (запись № {id})",
    labels={OrderStatus.DRAFT: "проект", OrderStatus.AWAITING_SIGNATURE: "на подписи",
            OrderStatus.SIGNED: "подписан", OrderStatus.REFUSED: "отказано в подписании"},
    transitions={
        OrderStatus.DRAFT: frozenset({OrderStatus.AWAITING_SIGNATURE}),
        OrderStatus.AWAITING_SIGNATURE: frozenset({OrderStatus.DRAFT, OrderStatus.SIGNED, OrderStatus.REFUSED}),
        OrderStatus.REFUSED: frozenset({OrderStatus.DRAFT}),
        OrderStatus.SIGNED: frozenset(),
    },
    doc="""The head issues the orders (003 §3.2, §3.4, §6.2, §7.2). A workflow drafts an order and sends it
    for signature (``submit_for_signature``); the head signs it (``sign``: number, date, signer, SHA-256) or
    refuses it with a reason (``refuse``); a refused order is corrected as a draft and sent again
    (``orders.drafting.redraft``). An order awaiting signature may also be taken back to a draft
    (``return_to_draft``; no service does so today). A signed order is a legal document and never changes
    again (final here, immutable in the database: ``engine.db.ddl``).""",
)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("organization_id", "year", "number"),
        check_in("status", OrderStatus, "status"),
        CheckConstraint(
            "number IS NULL OR (year IS NOT NULL AND issued_on IS NOT NULL)", name="number_has_date"
        ),
        CheckConstraint(
            "status <> 'signed' OR (number IS NOT NULL AND signer_id IS NOT NULL"
            " AND signed_at IS NOT NULL AND document_sha256 IS NOT NULL)",
            name="signed_is_complete",
        ),
        CheckConstraint("status <> 'refused' OR refusal_reason IS NOT NULL", name="refused_has_reason"),
        CheckConstraint("document_sha256 IS NULL OR length(document_sha256) = 64", name="sha256_length"),
        Index("ix_orders_type_issued", "type", "issued_on"),  # the extensions of a period (the dashboard, 0021)
        Index("ix_orders_org_status", "organization_id", "status", "created_at", "id"),  # awaiting, oldest first
        Index("ix_orders_updated_at", "updated_at"),  # refused lately (the inbox), migration 0016
        Index("ix_orders_decided", "organization_id", "updated_at", "id",  # signed and refused, newest first (0017)
              postgresql_where=text(DECIDED_PREDICATE), sqlite_where=text(DECIDED_PREDICATE)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    type: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)  # set from issued_on; numbering restarts yearly
    number: Mapped[str | None] = mapped_column(String(32))  # e.g. '100р'; unique per organization+year
    issued_on: Mapped[date | None] = mapped_column(Date)  # the order's date
    subject: Mapped[str] = mapped_column(String(500))  # «О формировании наставнических пар (групп)»
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24), default=OrderStatus.DRAFT.value)
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    # the detached CMS (PKCS#7) signature of ``body`` by the organization's certificate, base64 DER (migration 0011;
    # None on orders signed before it): engine.integrity.cms
    document_signature: Mapped[str | None] = mapped_column(Text)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    workflow_instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    # an extension order (003 §7.2) that moves the program's end date: True; one that corrects only the content
    # (plan events, the form of mentorship): False; None for every other type and for the extension orders drafted
    # before migration 0035 (all of them moved the end date: content-only corrections came with it; signed rows are
    # immutable, so none is backfilled). The monitoring's «продлено» counts the extension orders that are not False.
    extends_term: Mapped[bool | None] = mapped_column(Boolean)
    # What worded the body (set on drafting; None for orders drafted before packs carried templates): the pack
    # id, its version and the SHA-256 of rules/<pack>/orders/<type>.j2 as the pack held it (migration 0004)
    regulation: Mapped[str | None] = mapped_column(String(64))
    regulation_version: Mapped[str | None] = mapped_column(String(32))
    template_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    signer: Mapped[Person | None] = relationship(foreign_keys=[signer_id])
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    workflow_instance: Mapped[WorkflowInstance | None] = relationship()

    @validates("type")
    def _check_type(self, _key: str, value):
        return validate_vocab(OrderType, value, field="orders.type")

    _check_status = status_validator(ORDER_LIFECYCLE)  # a new object may start in any status

    @validates("issued_on")
    def _set_year(self, _key: str, value: date | None):
        self.year = value.year if value is not None else None
        return value

    # -- lifecycle ------------------------------------------------------------------------------

    def _require(self, new: OrderStatus) -> None:
        """Raise unless ``new`` may follow the current status (a new order without one is a draft)."""
        old = self.status or OrderStatus.DRAFT
        if new not in ORDER_LIFECYCLE.transitions[old]:
            raise ORDER_LIFECYCLE.refusal(self.id, old, new)

    def _move(self, new: OrderStatus) -> None:
        self._require(new)
        self.status = new.value

    def submit_for_signature(self) -> None:
        self._move(OrderStatus.AWAITING_SIGNATURE)

    def return_to_draft(self) -> None:
        self._move(OrderStatus.DRAFT)

    def sign(self, signer: Person, document_sha256: str, *, at: datetime | None = None,
             number: str | None = None, issued_on: date | None = None, signature: str | None = None) -> None:
        """Sign: records the number and date (if given here), the signer, the moment and the SHA-256
        of the signed document. Nothing changes when the order cannot be signed."""
        self._require(OrderStatus.SIGNED)
        if (number or self.number) is None or (issued_on or self.issued_on) is None:
            raise InvalidStatusTransition("приказ без номера и даты не может быть подписан",
                                          where=f"orders.{self.id}")
        if len(document_sha256) != 64:
            raise InvalidStatusTransition("ожидается SHA-256 документа (64 шестнадцатеричных знака)",
                                          where=f"orders.{self.id}")
        if number is not None:
            self.number = number
        if issued_on is not None:
            self.issued_on = issued_on
        self._move(OrderStatus.SIGNED)
        self.signer = signer
        self.signed_at = at or utcnow()
        self.document_sha256 = document_sha256.lower()
        self.document_signature = signature

    def refuse(self, reason: str) -> None:
        if not reason or not reason.strip():
            raise InvalidStatusTransition("укажите причину отказа в подписании", where=f"orders.{self.id}")
        self._move(OrderStatus.REFUSED)
        self.refusal_reason = reason

    @property
    def is_signed(self) -> bool:
        return self.status == OrderStatus.SIGNED


def _committed(target, key: str):
    history = attributes.get_history(target, key)
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return getattr(target, key)


@event.listens_for(Order, "before_update")
def _order_before_update(_mapper, _connection, target: Order) -> None:
    changed = [
        attr.key for attr in _mapper.column_attrs if attributes.get_history(target, attr.key).has_changes()
    ]
    if not changed:
        return
    if _committed(target, "status") == OrderStatus.SIGNED:
        raise ImmutableRecordError(
            f"подписанный приказ № {target.number} изменять нельзя (поля: {', '.join(sorted(changed))})",
            where=f"orders.{target.id}",
        )


@event.listens_for(Order, "before_delete")
def _order_before_delete(_mapper, _connection, target: Order) -> None:
    if _committed(target, "status") == OrderStatus.SIGNED:
        raise ImmutableRecordError(
            f"подписанный приказ № {target.number} удалять нельзя", where=f"orders.{target.id}"
        )
