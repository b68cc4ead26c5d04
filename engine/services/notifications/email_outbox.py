"""A notification's way to the person's mailbox, by their choice: an e-mail at once, the daily digest, or none.

    route(session, notification, person, choice)   # sets ``notification.email_state``
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import EmailChoice, EmailState, Notification, Person


def route(session: Session, notification: Notification, person: Person, choice: EmailChoice) -> None:
    if not person.email or choice is EmailChoice.NONE:
        notification.email_state = EmailState.NOT_WANTED.value
    elif choice is EmailChoice.DIGEST:
        notification.email_state = EmailState.IN_DIGEST.value
    else:
        notification.email_state = EmailState.PENDING.value
