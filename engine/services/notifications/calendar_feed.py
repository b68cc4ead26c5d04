"""Each person's deadlines as an iCalendar feed (RFC 5545) at a secret address that Outlook, Яндекс Календарь and
Google Calendar subscribe to (issue 13, part 4).

    issue_feed(session, actor, *, now=None) -> str             # the new address's path, shown ONCE
    revoke_feed(session, actor, *, now=None) -> bool           # the address stops working
    feed_state(session, actor) -> FeedState                    # whether one is issued (never the secret)
    feed_for_token(session, token, now, *, base_url="") -> bytes   # the .ics; NotFound for a bad token
    deadlines(session, person_id, *, now=None)                 # what is in it (``calendar_deadlines``)

The address is ``/calendar/<token>.ics``: whoever has it reads the person's deadlines without logging in (that is
how calendar clients subscribe), so only the SHA-256 of the token is stored, a new address revokes the previous
one, and an unknown, revoked or deactivated person's token gets the same NotFound. Issuing and revoking are
audited. A fetch notes ``last_fetched_at`` (for the person to see that the calendar reads it); the caller commits.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CalendarFeed, Person, record_audit
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.notifications.calendar_deadlines import UID_DOMAIN, Deadline, deadlines
from engine.services.people.actor import Actor
from engine.workflow.clock import to_utc

__all__ = ["FeedState", "deadlines", "feed_for_token", "feed_path", "feed_state", "issue_feed", "revoke_feed"]

TOKEN_PREFIX = "nsc_"
MAX_TOKEN = 200
REFRESH = timedelta(hours=1)  # how often a client should fetch again (REFRESH-INTERVAL, X-PUBLISHED-TTL)
FETCH_RESOLUTION = timedelta(minutes=5)  # last_fetched_at is not rewritten on every fetch
PRODID = "-//Nastavnik//Calendar feed//RU"
GONE = "такого календаря нет: адрес неверен или отключён. Выдайте новый адрес на странице «Календарь сроков»"


@dataclass(frozen=True)
class FeedState:
    issued: bool
    created_at: datetime | None = None
    last_fetched_at: datetime | None = None


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_path(token: str) -> str:
    return f"/calendar/{token}.ics"


def _own(actor: Actor, action: str) -> int:
    if actor.person_id is None:
        raise PermissionDenied(f"{action}: календарь сроков есть только у человека, не у системы")
    return actor.person_id


def _active(session: Session, person_id: int) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.person_id == person_id,
                                                     CalendarFeed.revoked_at.is_(None))
                          .order_by(CalendarFeed.id.desc()).limit(1))


def _revoke_all(session: Session, person_id: int, moment: datetime) -> list[int]:
    rows = list(session.scalars(select(CalendarFeed).where(CalendarFeed.person_id == person_id,
                                                           CalendarFeed.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = moment
    return [row.id for row in rows]


def issue_feed(session: Session, actor: Actor, *, now: datetime | None = None) -> str:
    """A new secret address of the actor's own calendar (its path); the previous one stops working."""
    person_id = _own(actor, "выдача адреса календаря")
    person = session.get(Person, person_id)
    if person is None or not person.is_active:
        raise NotFound(f"нет активного пользователя с номером {person_id}")
    moment = to_utc(now) if now is not None else utcnow()
    revoked = _revoke_all(session, person_id, moment)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = CalendarFeed(person_id=person_id, token_sha256=token_sha256(token), created_at=moment)
    session.add(record)
    session.flush()
    record_audit(session, "calendar_feed.issued", actor=person_id, obj=record, organization=person.organization_id,
                 details={"person_id": person_id, "revoked_feed_ids": revoked})
    session.flush()
    return feed_path(token)


def revoke_feed(session: Session, actor: Actor, *, now: datetime | None = None) -> bool:
    """The actor's calendar address stops working; False when there was none (nothing changes)."""
    person_id = _own(actor, "отключение календаря")
    revoked = _revoke_all(session, person_id, to_utc(now) if now is not None else utcnow())
    if revoked:
        person = session.get(Person, person_id)
        record_audit(session, "calendar_feed.revoked", actor=person_id, object_type="person", object_id=person_id,
                     organization=person.organization_id if person else None, details={"feed_ids": revoked})
        session.flush()
    return bool(revoked)


def feed_state(session: Session, actor: Actor) -> FeedState:
    record = _active(session, _own(actor, "календарь сроков"))
    if record is None:
        return FeedState(False)
    return FeedState(True, record.created_at, record.last_fetched_at)


def _feed_of(session: Session, token: str | None) -> CalendarFeed:
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN:
        raise NotFound(GONE)
    digest = token_sha256(token)
    record = session.scalar(select(CalendarFeed).where(CalendarFeed.token_sha256 == digest))
    if record is None or not hmac.compare_digest(record.token_sha256, digest) or record.revoked_at is not None:
        raise NotFound(GONE)
    person = session.get(Person, record.person_id)
    if person is None or not person.is_active:
        raise NotFound(GONE)
    return record


def _event(item: Deadline, base_url: str, stamp: datetime) -> Event:
    url = base_url.rstrip("/") + item.link if base_url else item.link
    event = Event.new(uid=item.uid, summary=item.summary, description=f"{item.description}\n{url}", stamp=stamp,
                      url=url if base_url else None, categories=["Наставник"])
    if item.day is not None:  # a day: VALUE=DATE, the organization's date
        event.start = item.day
        event.end = item.day + timedelta(days=1)
    else:  # a moment: at its time with the organization's TZID
        assert item.moment is not None
        event.start = item.moment.astimezone(item.zone)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the person busy
    return event


def _home_zone(person: Person) -> ZoneInfo | None:
    """The time zone of the person's place of work (the calendar's own, X-WR-TIMEZONE)."""
    if person.organization is None:
        return None
    try:
        return zone_of(person.organization)
    except NastavnikError:
        return None


def render_feed(person: Person, items: list[Deadline], *, base_url: str = "",
                now: datetime | None = None) -> bytes:
    """The .ics of ``items`` for ``person``: the name, the time zones used, how often to refresh."""
    moment = to_utc(now) if now is not None else utcnow()
    calendar = Calendar.new(name=f"Наставник — сроки ({person.full_name})", prodid=PRODID,
                            uid=f"calendar-{person.id}@{UID_DOMAIN}",
                            description="Сроки задач, этапов программ наставничества, отчётов и приказов")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})  # RFC 7986
    calendar.add("x-published-ttl", vDuration(REFRESH))  # the same for Outlook
    zone = _home_zone(person) or (items[0].zone if items else None)
    if zone is not None:
        calendar.add("x-wr-timezone", zone.key)
    stamp = moment.replace(hour=0, minute=0, second=0, microsecond=0)  # DTSTAMP by the day: the same feed reads the
    for item in items:  # same all day (its ETag too, so a client's repeat fetch gets 304 until something changes)
        calendar.add_component(_event(item, base_url, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_for_token(session: Session, token: str | None, now: datetime | None = None, *,
                   base_url: str = "") -> bytes:
    """The .ics of the token's person (links to the pages under ``base_url``); NotFound — the same for an
    unknown, revoked or deactivated person's token. Notes the fetch (the caller commits)."""
    record = _feed_of(session, token)
    moment = to_utc(now) if now is not None else utcnow()
    if record.last_fetched_at is None or moment - to_utc(record.last_fetched_at) >= FETCH_RESOLUTION:
        record.last_fetched_at = moment
    person = session.get(Person, record.person_id)
    assert person is not None
    return render_feed(person, deadlines(session, person.id, now=moment), base_url=base_url, now=moment)
