"""A notification's way to the person's mailbox, by their choice: an e-mail at once, the daily digest, or none;
and the other e-mails the app sends (the digest, an account link).

    route(session, notification, person, choice)     # sets ``notification.email_state`` (and queues its e-mail)
    may_email(session, person) -> bool               # e-mail on and an address: only then does the choice matter
    queue_email(session, person, composed, purpose, notifications=()) -> OutgoingEmail
    queue_account_link(session, person, url, secret, invitation=…, expires_at=…) -> OutgoingEmail | None
    zone_for(session, organization_id) -> ZoneInfo   # where dates in e-mails are told

E-mail is off when no SMTP server is configured (``email_settings``): then nothing is queued and every
notification stays ``NOT_WANTED`` — in the app only; the demo piles up no failing e-mails. While an e-mail's job
is an incident, incidents are told in the app only (``mail_is_failing``: no e-mail about a failing e-mail). Otherwise a queued
e-mail is an ``OutgoingEmail`` row and its job ``send_email`` (key ``email:<id>``) in the caller's transaction:
a rolled-back step sends nothing (``email_delivery`` sends it).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    EmailChoice,
    EmailState,
    Job,
    JobStatus,
    Notification,
    Organization,
    OutgoingEmail,
    OutgoingEmailStatus,
    Person,
)
from engine.documents.basics import DocumentSettings, OrderDataError, zone_of
from engine.services.jobs.queue import enqueue
from engine.services.notifications.email_compose import Composed, account_link_email, notification_email
from engine.services.notifications.email_settings import MailSettings, mail_settings_of
from engine.services.notifications.kinds import JOB_INCIDENT

SEND_EMAIL = "send_email"
EMAIL_JOB_KINDS = (SEND_EMAIL, "send_digest")
# the one-time token of an account link (engine.services.administration.account_links: «nsl_» + urlsafe base64):
# it stays in the stored body only until the e-mail is sent (email_delivery.scrub)
SECRET_PATTERN = re.compile(r"nsl_[A-Za-z0-9_\-]{16,}")
SECRET_GONE = "[ссылка удалена после отправки]"


class Purpose:
    NOTIFICATION = "notification"
    DIGEST = "digest"
    INVITATION = "invitation"
    PASSWORD_RESET = "password_reset"


def may_email(session: Session, person: Person) -> bool:
    """Whether ``route`` may e-mail ``person`` at all (e-mail is on, the person has an address): if not, the
    person's choice for the kind need not be read."""
    return mail_settings_of(session).enabled and bool(person.email)


def route(session: Session, notification: Notification, person: Person, choice: EmailChoice) -> None:
    settings = mail_settings_of(session)
    if (not settings.enabled or not person.email or choice is EmailChoice.NONE
            or (notification.kind == JOB_INCIDENT and mail_is_failing(session))):
        notification.email_state = EmailState.NOT_WANTED.value
    elif choice is EmailChoice.DIGEST:
        notification.email_state = EmailState.IN_DIGEST.value
    else:
        composed = notification_email(settings, notification, person,
                                      zone_for(session, notification.organization_id or person.organization_id))
        queue_email(session, person, composed, Purpose.NOTIFICATION, [notification],
                    organization_id=notification.organization_id)


def mail_is_failing(session: Session) -> bool:
    """Whether an e-mail's job is an incident now. Then an incident is told in the app only: an e-mail about it
    would fail the same way and make another incident, which would be e-mailed in turn, without end."""
    return session.scalar(select(Job.id).where(Job.kind.in_(EMAIL_JOB_KINDS),
                                               Job.status == JobStatus.INCIDENT.value).limit(1)) is not None


def zone_for(session: Session, organization_id: int | None) -> ZoneInfo:
    """The time zone of the organization (its document settings over its pack's); the default one when there is
    no organization or its setting cannot be read."""
    organization = session.get(Organization, organization_id) if organization_id is not None else None
    if organization is not None:
        try:
            return zone_of(organization)
        except OrderDataError:
            pass
    return ZoneInfo(DocumentSettings.time_zone)


def message_id(settings: MailSettings) -> str:
    """A Message-ID of its own for each e-mail (``<nastavnik.…@sender's domain>``): a copy sent again after a
    crash carries the same one, so a server or mail client can tell it is the same message."""
    return f"<nastavnik.{uuid.uuid4().hex}@{settings.sender_domain}>"


def queue_email(session: Session, person: Person, composed: Composed, purpose: str,
                notifications: Sequence[Notification] = (), *, organization_id: int | None = None) -> OutgoingEmail:
    """An e-mail to ``person``'s address, sent by the job ``send_email`` after the caller commits;
    ``notifications`` are marked ``PENDING`` on it (``SENT`` with it, ``FAILED`` if it becomes an incident)."""
    settings = mail_settings_of(session)
    assert person.email, "queue_email: the person has no address"
    outgoing = OutgoingEmail(person_id=person.id, organization_id=organization_id or person.organization_id,
                             to_address=person.email, subject=composed.subject, text_body=composed.text,
                             html_body=composed.html, message_id=message_id(settings), purpose=purpose,
                             status=OutgoingEmailStatus.WAITING.value, secret_scrubbed=False)
    session.add(outgoing)
    session.flush()
    for notification in notifications:
        notification.email_state = EmailState.PENDING.value
        notification.outgoing_email_id = outgoing.id
    enqueue(session, SEND_EMAIL, f"email:{outgoing.id}", {"email": outgoing.id},
            organization_id=outgoing.organization_id)
    return outgoing


def queue_account_link(session: Session, person: Person, url: str, secret: str, *, invitation: bool,
                       expires_at: datetime) -> OutgoingEmail | None:
    """The invitation or password-reset link ``url`` (holding the one-time ``secret``) e-mailed to the person;
    None when e-mail is off or the person has no address (the administrator hands the link over)."""
    settings = mail_settings_of(session)
    if not settings.enabled or not person.email or not person.is_active:
        return None
    if not SECRET_PATTERN.fullmatch(secret) or secret not in url:
        raise ValueError("queue_account_link: the secret is not an account link's token of this url")
    composed = account_link_email(settings, person, url, invitation=invitation, expires_at=expires_at,
                                  zone=zone_for(session, person.organization_id))
    return queue_email(session, person, composed, Purpose.INVITATION if invitation else Purpose.PASSWORD_RESET)
