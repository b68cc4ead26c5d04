"""Notifications (issue 13): what a person must act on or know, the outbox of its e-mails, each person's choice of
delivery per kind, the secret address of each person's calendar feed.

A ``Notification`` is written in the same transaction as the step that caused it (nothing is told of a step that
was rolled back); it is shown in the app (the bell) and, by the person's ``NotificationPreference`` for its kind,
e-mailed at once, gathered into the daily digest, or not e-mailed. An ``OutgoingEmail`` is one message to send (a
notification's, a digest's, an invitation link's), sent by a job once; its ``message_id`` lets a mail server drop
a copy sent again after a worker died between the SMTP reply and the commit. The services:
``engine.services.notifications``.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow


class EmailChoice(enum.StrEnum):
    IMMEDIATE = "immediate"  # an e-mail for each notification, at once
    DIGEST = "digest"  # one e-mail a day gathering them
    NONE = "none"  # only in the app


EMAIL_CHOICE_LABELS = {
    EmailChoice.IMMEDIATE: "сразу",
    EmailChoice.DIGEST: "раз в день (сводка)",
    EmailChoice.NONE: "не присылать по почте",
}


class EmailState(enum.StrEnum):
    NOT_WANTED = "not_wanted"  # the person chose no e-mail for this kind, or has no address
    PENDING = "pending"  # an OutgoingEmail waits to be sent
    IN_DIGEST = "in_digest"  # waits for the person's daily digest
    SENT = "sent"
    FAILED = "failed"  # its e-mail became an incident


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        check_in("email_state", EmailState, "email_state"),
        Index("ix_notifications_person_id_read_at", "person_id", "read_at"),  # the bell's unread count
        Index("ix_notifications_person_created", "person_id", "created_at", "id"),  # the list, newest first
        Index("ix_notifications_email_state_created_at", "email_state", "created_at"),  # the digest's sweep
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))  # engine.services.notifications.kinds
    title: Mapped[str] = mapped_column(String(500))  # one line, Russian
    body: Mapped[str] = mapped_column(Text, default="")  # plain text, Russian
    link: Mapped[str | None] = mapped_column(String(500))  # the page to act on, a path: /programs/7/stage
    key: Mapped[str | None] = mapped_column(String(255), unique=True)  # the same event told once
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    due_on: Mapped[date | None] = mapped_column(Date)  # a deadline it is about (the organization's day)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_state: Mapped[str] = mapped_column(String(16), default=EmailState.NOT_WANTED.value)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outgoing_email_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_emails.id"), index=True)  # its e-mail


class NotificationPreference(Base):
    """A person's choice for one kind; without a row the kind's default (``kinds``) applies."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("person_id", "kind"),
        check_in("email", EmailChoice, "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    email: Mapped[str] = mapped_column(String(16))


class OutgoingEmailStatus(enum.StrEnum):
    WAITING = "waiting"
    SENT = "sent"
    FAILED = "failed"  # its job became an incident; «Повторить» sends it again

OUTGOING_EMAIL_LIFECYCLE = Lifecycle(
    statuses=OutgoingEmailStatus, table="outgoing_emails", entity="письмо № {id}",
    labels={OutgoingEmailStatus.WAITING: "ждёт отправки", OutgoingEmailStatus.SENT: "отправлено",
            OutgoingEmailStatus.FAILED: "не доставлено"},
    transitions={
        OutgoingEmailStatus.WAITING: frozenset({OutgoingEmailStatus.SENT, OutgoingEmailStatus.FAILED}),
        OutgoingEmailStatus.FAILED: frozenset({OutgoingEmailStatus.WAITING}),
        OutgoingEmailStatus.SENT: frozenset(),
    },
    doc="""The curator follows the programs and informs their participants (003 §3.3): by e-mail too. An e-mail
    waits for its job (``engine.services.notifications.email_delivery``); sent once the server took it; not
    delivered when its job became an incident,
    waiting again when a person retries that incident.""",
)


class OutgoingEmail(Base):
    __tablename__ = "outgoing_emails"
    __table_args__ = (check_in("status", OutgoingEmailStatus, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)  # <…@nastavnik>: a resend is recognisable
    purpose: Mapped[str] = mapped_column(String(32))  # notification | digest | invitation | password_reset
    status: Mapped[str] = mapped_column(String(16), default=OutgoingEmailStatus.WAITING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    secret_scrubbed: Mapped[bool] = mapped_column(default=False)  # a link's token removed from the body once sent

    _check_status = status_validator(OUTGOING_EMAIL_LIFECYCLE)


class CalendarFeed(Base):
    """The secret address of a person's calendar (``/calendar/<token>.ics``): only a SHA-256 of the token is
    stored; a new address revokes the old one."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
