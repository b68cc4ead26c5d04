"""What the notifications keep of a person who is anonymized (152-ФЗ, ст. 21; ``administration.anonymization``).

    forget_person(session, person_id, old_name, new_name, now)

Their own notifications and delivery choices are deleted (they were messages to them, with nothing another record
needs); their e-mails keep only that they existed (address, subject and bodies cleared; one still waiting is marked
not delivered and is never sent); their calendar address stops. In the notifications of other people the old full
name is replaced by the new one, as in the processes' data.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from engine.db.models import (
    CalendarFeed,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    OutgoingEmailStatus,
)

CLEARED_TEXT = "[обезличено]"


def forget_person(session: Session, person_id: int, old_name: str, new_name: str, now: datetime) -> None:
    session.execute(update(Notification).where(Notification.outgoing_email_id.in_(
        select(OutgoingEmail.id).where(OutgoingEmail.person_id == person_id)))
        .values(outgoing_email_id=None).execution_options(synchronize_session=False))
    session.execute(delete(Notification).where(Notification.person_id == person_id)
                    .execution_options(synchronize_session=False))
    session.execute(delete(NotificationPreference).where(NotificationPreference.person_id == person_id)
                    .execution_options(synchronize_session=False))
    for outgoing in session.scalars(select(OutgoingEmail).where(OutgoingEmail.person_id == person_id)):
        if outgoing.status == OutgoingEmailStatus.WAITING.value:
            outgoing.status = OutgoingEmailStatus.FAILED.value
        outgoing.to_address = ""
        outgoing.subject = CLEARED_TEXT
        outgoing.text_body = CLEARED_TEXT
        outgoing.html_body = CLEARED_TEXT
        outgoing.secret_scrubbed = True
    session.execute(update(CalendarFeed).where(CalendarFeed.person_id == person_id, CalendarFeed.revoked_at.is_(None))
                    .values(revoked_at=now).execution_options(synchronize_session=False))
    if old_name.strip():
        pattern = f"%{old_name}%"
        for notification in session.scalars(select(Notification).where(
                or_(Notification.title.like(pattern), Notification.body.like(pattern)))):
            notification.title = notification.title.replace(old_name, new_name)
            notification.body = notification.body.replace(old_name, new_name)
    session.flush()
