"""The daily digest: each person who chose «раз в день» for some kinds gets one e-mail a day gathering them.

    SWEEPS: sweep_digests(session, now)   each tick: a person with notifications waiting for the digest from before
                                          this morning's digest hour gets the job ``send_digest`` keyed
                                          ``digest:<person>:<day>`` — once per person and local day
    JOBS:   send_digest(session, job, now) gathers them into one e-mail («Сводка уведомлений за 6 декабря:
                                          3 уведомления») queued for ``send_email``; nothing gathered, no e-mail

The digest hour is 07:00 where the person's organization is (``DIGEST_HOUR``): before the school day starts, so the
digest is read in the morning, and after midnight, when the day's timers (a stage due soon, a stage overdue) fire
— they are in that morning's digest, not a day late. The digest of the morning of 7 December gathers what came
until 07:00 that morning and is titled by the day before, 6 December (the day most of it came). A worker that
was down at 07:00 sends it when it is back (the key names the day: still once). A notification that arrives
after the digest was gathered waits for the next morning's.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import EmailState, Job, Notification, Person
from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue
from engine.services.notifications.email_compose import DIGEST_HOUR, digest_email
from engine.services.notifications.email_outbox import EMAIL_JOB_KINDS, Purpose, queue_email, zone_for
from engine.services.notifications.email_settings import mail_settings_of
from engine.workflow.clock import to_utc

SEND_DIGEST = EMAIL_JOB_KINDS[1]
MAX_ITEMS = 200  # one e-mail stays readable; the rest wait for the next morning


def digest_moment(now: datetime, zone_now: datetime) -> tuple[date, datetime]:
    """The latest digest hour at or before ``now`` (``zone_now``: the same moment where the person is): the day
    that digest is titled by (the day before) and its moment in UTC."""
    at = zone_now.replace(hour=DIGEST_HOUR.hour, minute=DIGEST_HOUR.minute, second=0, microsecond=0)
    if zone_now < at:
        at -= timedelta(days=1)
    return at.date() - timedelta(days=1), at.astimezone(UTC)


def sweep_digests(session: Session, now: datetime) -> None:
    """Enqueue the digest of each person whose digest hour has come and who has something waiting from before
    it (running twice enqueues nothing twice: the key names the person and the day)."""
    if not mail_settings_of(session).enabled:
        return
    moment = to_utc(now)
    waiting = session.execute(
        select(Notification.person_id, Person.organization_id, func.min(Notification.created_at))
        .join(Person, Person.id == Notification.person_id)
        .where(Notification.email_state == EmailState.IN_DIGEST.value, Notification.created_at < moment)
        .group_by(Notification.person_id, Person.organization_id)).all()
    zones: dict[int | None, datetime] = {}
    for person_id, organization_id, oldest in waiting:
        if organization_id not in zones:
            zones[organization_id] = moment.astimezone(zone_for(session, organization_id))
        day, until = digest_moment(moment, zones[organization_id])
        if to_utc(oldest) >= until:
            continue  # what waits came after this morning's digest: tomorrow's
        enqueue(session, SEND_DIGEST, f"digest:{person_id}:{day.isoformat()}",
                {"person": person_id, "day": day.isoformat(), "until": until.isoformat()},
                organization_id=organization_id, run_after=now)


def send_digest(session: Session, job: Job, now: datetime) -> None:
    payload = job.payload or {}
    try:
        person_id, day = int(payload["person"]), date.fromisoformat(payload["day"])
        until = datetime.fromisoformat(payload["until"])
    except (KeyError, TypeError, ValueError):
        raise NastavnikError("задание сводки без человека или дня", where=f"задание №{job.id}") from None
    gathered = list(session.scalars(
        select(Notification).where(Notification.person_id == person_id,
                                   Notification.email_state == EmailState.IN_DIGEST.value,
                                   Notification.created_at < until)
        .order_by(Notification.created_at, Notification.id).limit(MAX_ITEMS)))
    if not gathered:
        return  # nothing gathered, no e-mail
    person = session.get(Person, person_id)
    settings = mail_settings_of(session)
    if (person is None or not person.email or not person.is_active or person.anonymized_at is not None
            or not settings.enabled):
        for notification in gathered:  # no address any more (or e-mail off): in the app only
            notification.email_state = EmailState.NOT_WANTED.value
        return
    composed = digest_email(settings, person, gathered, day, zone_for(session, person.organization_id))
    queue_email(session, person, composed, Purpose.DIGEST, gathered, organization_id=person.organization_id)


JOBS = {SEND_DIGEST: send_digest}
SWEEPS = (sweep_digests,)
