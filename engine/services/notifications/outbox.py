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

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from engine import events
from engine.db.models import EmailChoice, EmailState, Notification, Person
from engine.db.types import insert_on_conflict, utcnow
from engine.events import emit
from engine.services.notifications import email_outbox
from engine.services.notifications.kinds import kind_of
from engine.services.notifications.preferences import email_choice


def notify(session: Session, person_id: int, kind: str, title: str, *, body: str = "", link: str | None = None,
           organization_id: int | None = None, instance_id: int | None = None, due_on: date | None = None,
           key: str | None = None) -> Notification | None:
    """Tell ``person_id`` (``kind`` of ``kinds``; ``title`` one line in Russian; ``link`` the path of the page to
    act on). Returns the new notification, or None when the person is not told (inactive, anonymized, or the
    ``key`` was told already)."""
    told = _tell(session, [person_id], kind, title, lambda _person_id: key, body=body, link=link,
                 organization_id=organization_id, instance_id=instance_id, due_on=due_on)
    return told[0] if told else None


def notify_many(session: Session, person_ids: Iterable[int], kind: str, title: str, *, key: str | None = None,
                **same: object) -> list[Notification]:
    """The same notification to each of ``person_ids`` (once each); ``key``, when given, is made per person.
    The people are read and their notifications written together (one statement each, however many people)."""
    return _tell(session, list(dict.fromkeys(person_ids)), kind, title,
                 lambda person_id: f"{key}:{person_id}" if key else None, **same)  # type: ignore[arg-type]


def _people(session: Session, person_ids: list[int]) -> list[Person]:
    """The people to tell, in the order asked: those not in the session already read in one statement; the
    inactive and the anonymized left out."""
    missing = [i for i in person_ids if session.identity_map.get(identity_key(Person, i)) is None]
    loaded = list(session.scalars(select(Person).where(Person.id.in_(missing)))) if len(missing) > 1 else []
    people = [session.get(Person, person_id) for person_id in person_ids]
    del loaded  # held until each was taken from the session above (its map holds objects weakly)
    return [p for p in people if p is not None and p.is_active and p.anonymized_at is None]


def _tell(session: Session, person_ids: list[int], kind: str, title: str, key_of: Callable[[int], str | None], *,
          body: str = "", link: str | None = None, organization_id: int | None = None, instance_id: int | None = None,
          due_on: date | None = None) -> list[Notification]:
    kind_of(kind)
    people = _people(session, person_ids)
    if not people:
        return []
    now = utcnow()
    rows = [{"person_id": person.id, "organization_id": organization_id, "kind": kind, "title": title[:500],
             "body": body, "link": link, "key": key[:255] if (key := key_of(person.id)) else None,
             "instance_id": instance_id, "due_on": due_on, "created_at": now,
             "email_state": EmailState.NOT_WANTED.value} for person in people]
    session.flush()
    keyed = [row for row in rows if row["key"] is not None]
    made: list[Notification] = []
    if keyed:  # the new rows come back whole (RETURNING), as the session's objects: no reading them back
        insert = insert_on_conflict(session.get_bind().dialect.name, Notification)
        insert = insert.values(**keyed[0]) if len(keyed) == 1 else insert.values(keyed)  # one row: a cached statement
        made += session.scalars(insert.on_conflict_do_nothing(index_elements=["key"]).returning(Notification)).all()
    unkeyed = [Notification(**row) for row in rows if row["key"] is None]
    if unkeyed:
        session.add_all(unkeyed)
        session.flush()
        made += unkeyed
    by_person = {person.id: person for person in people}
    order = {person.id: n for n, person in enumerate(people)}
    made.sort(key=lambda notification: order[notification.person_id])
    for notification in made:
        person = by_person[notification.person_id]
        choice = (email_choice(session, person.id, kind) if email_outbox.may_email(session, person)
                  else EmailChoice.NONE)
        email_outbox.route(session, notification, person, choice)
    emit(session, events.NOTIFICATION, len(made), kind=kind)
    return made
