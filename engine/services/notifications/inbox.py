"""A person's own notifications in the app: the bell's count, the list, marking them read, opening one.

    unread_count(session, person_id) -> int                     # one COUNT
    unread_up_to(session, person_id, bound) -> Counted          # the bell on every page: at most bound + 1 rows read
    listing(session, actor, *, unread_only=False, offset=0, limit=PER_PAGE, exact=False) -> NotificationList
    mark_read(session, actor, notification_id) -> Notification
    mark_all_read(session, actor) -> int                        # how many were unread
    open_notification(session, actor, notification_id) -> str  # marks it read; the local path to go to

Only the person's own: another's is refused (``PermissionDenied``), a missing one ``NotFound``. The caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from urllib.parse import urlsplit

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from engine.db import paging
from engine.db.models import Notification, Organization
from engine.db.paging import Counted, count_up_to
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.people.actor import Actor

PER_PAGE = 20
MAX_PER_PAGE = 100


@dataclass
class NotificationList:
    items: list[Notification]
    total: int  # of the filter (exact unless ``more``: then there are more than ``total``)
    unread: Counted  # all unread of the person
    shown_at: dict[int, datetime]  # each one's moment in its organization's time zone (else the person's)
    more: bool = False


def _person(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotFound("уведомления есть только у людей")
    return actor.person_id


def _unread(person_id: int) -> Select:
    return select(Notification.id).where(Notification.person_id == person_id, Notification.read_at.is_(None))


def unread_count(session: Session, person_id: int) -> int:
    return session.scalar(select(func.count()).select_from(_unread(person_id).subquery())) or 0


def unread_up_to(session: Session, person_id: int, bound: int) -> Counted:
    """The person's unread notifications counted up to ``bound`` (a curator of a large department may have hundreds
    of thousands: the bell reads «99+» after reading 100 entries of the index)."""
    return count_up_to(session, _unread(person_id), bound)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _zone(session: Session, organization_id: int | None, fallback: tzinfo) -> tzinfo:
    organization = session.get(Organization, organization_id) if organization_id is not None else None
    return zone_of(organization) if organization is not None else fallback


def listing(session: Session, actor: Actor, *, unread_only: bool = False, offset: int = 0,
            limit: int = PER_PAGE, exact: bool = False) -> NotificationList:
    """The person's notifications, newest first: ``limit`` of them from ``offset``; the total and the unread counted
    up to ``offset + LIST_BOUND`` (``exact``: all of them)."""
    if offset < 0:
        raise NastavnikError("смещение — целое число от 0", where="offset")
    if not 1 <= limit <= MAX_PER_PAGE:
        raise NastavnikError(f"на странице — от 1 до {MAX_PER_PAGE} уведомлений", where="limit")
    person_id = _person(actor)
    condition = [Notification.person_id == person_id]
    if unread_only:
        condition.append(Notification.read_at.is_(None))
    listed = select(Notification.id).where(*condition)
    counted = (Counted(session.scalar(select(func.count()).select_from(listed.subquery())) or 0) if exact
               else count_up_to(session, listed, offset + paging.LIST_BOUND))
    items = list(session.scalars(select(Notification).where(*condition)
                                 .order_by(Notification.created_at.desc(), Notification.id.desc())
                                 .offset(offset).limit(limit)))
    mine = sorted(actor.organizations())
    fallback = _zone(session, mine[0], UTC) if mine else UTC
    zones: dict[int | None, tzinfo] = {}
    shown = {}
    for item in items:
        if item.organization_id not in zones:
            zones[item.organization_id] = _zone(session, item.organization_id, fallback)
        shown[item.id] = _aware(item.created_at).astimezone(zones[item.organization_id])
    unread = (Counted(unread_count(session, person_id)) if exact
              else unread_up_to(session, person_id, offset + paging.LIST_BOUND))
    return NotificationList(items, counted.value, unread, shown, counted.more)


def own(session: Session, actor: Actor, notification_id: int) -> Notification:
    """The person's own notification; another's is refused (403), a missing one not found (404)."""
    found = session.get(Notification, notification_id)
    if found is None:
        raise NotFound(f"уведомление № {notification_id} не найдено", where=str(notification_id))
    if found.person_id != _person(actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: это уведомление адресовано не вам",
                               where=str(notification_id))
    return found


def mark_read(session: Session, actor: Actor, notification_id: int, *, at: datetime | None = None) -> Notification:
    found = own(session, actor, notification_id)
    if found.read_at is None:
        found.read_at = at or utcnow()
        session.flush()
    return found


def mark_all_read(session: Session, actor: Actor, *, at: datetime | None = None) -> int:
    result = session.execute(update(Notification).where(
        Notification.person_id == _person(actor), Notification.read_at.is_(None)).values(read_at=at or utcnow())
        .execution_options(synchronize_session=False))
    session.expire_all()
    return int(getattr(result, "rowcount", 0) or 0)


def local_path(link: str | None) -> str:
    """``link`` when it is a path of this site («/my/programs/7»), else the start page: never another site."""
    if not link:
        return "/"
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith("//") or "\\" in link:
        return "/"
    return link


def open_notification(session: Session, actor: Actor, notification_id: int) -> str:
    """Mark it read and return the page to act on (a local path)."""
    return local_path(mark_read(session, actor, notification_id).link)
