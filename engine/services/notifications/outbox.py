"""Notifications, written in the transaction of the step that caused them (an outbox: a rolled-back step tells
nobody).

    notify(session, person_id, kind, title, *, body="", link=None, organization_id=None, instance_id=None,
           due_on=None, key=None) -> Notification | None
    notify_many(session, person_ids, kind, title, **same) -> list[Notification]

``key`` tells one event once: a second notification with the same key (a step retried, a sweep run twice) is not
written (``INSERT … ON CONFLICT DO NOTHING``, so two workers racing never fail each other's step). A person who is
deactivated or anonymized is not notified. Whether and how it is e-mailed — at once, in the daily digest, not at
all — is the person's choice for the kind (``preferences``), handed to ``email_outbox.route``.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from engine.db.models import EmailChoice, EmailState, Notification, Person
from engine.db.types import insert_on_conflict, utcnow
from engine.services.notifications import email_outbox
from engine.services.notifications.kinds import kind_of
from engine.services.notifications.preferences import email_choice


def notify(session: Session, person_id: int, kind: str, title: str, *, body: str = "", link: str | None = None,
           organization_id: int | None = None, instance_id: int | None = None, due_on: date | None = None,
           key: str | None = None) -> Notification | None:
    """Tell ``person_id`` (``kind`` of ``kinds``; ``title`` one line in Russian; ``link`` the path of the page to
    act on). Returns the new notification, or None when the person is not told (inactive, anonymized, or the
    ``key`` was told already)."""
    kind_of(kind)
    person = session.get(Person, person_id)
    if person is None or not person.is_active or person.anonymized_at is not None:
        return None
    values = {"person_id": person_id, "organization_id": organization_id, "kind": kind, "title": title[:500],
              "body": body, "link": link, "key": key[:255] if key else None, "instance_id": instance_id,
              "due_on": due_on, "created_at": utcnow(), "email_state": EmailState.NOT_WANTED.value}
    session.flush()
    if key is not None:  # the new row comes back whole (RETURNING), as the session's object: no reading it back
        made = session.scalars(insert_on_conflict(session.get_bind().dialect.name, Notification).values(**values)
                               .on_conflict_do_nothing(index_elements=["key"]).returning(Notification)).first()
        if made is None:
            return None
        notification = made
    else:
        notification = Notification(**values)
        session.add(notification)
        session.flush()
    choice = email_choice(session, person_id, kind) if email_outbox.may_email(session, person) else EmailChoice.NONE
    email_outbox.route(session, notification, person, choice)
    return notification


def notify_many(session: Session, person_ids: Iterable[int], kind: str, title: str, *, key: str | None = None,
                **same: object) -> list[Notification]:
    """The same notification to each of ``person_ids`` (once each); ``key``, when given, is made per person."""
    told = []
    for person_id in dict.fromkeys(person_ids):
        made = notify(session, person_id, kind, title, key=f"{key}:{person_id}" if key else None,
                      **same)  # type: ignore[arg-type]
        if made is not None:
            told.append(made)
    return told
