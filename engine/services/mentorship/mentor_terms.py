"""«Заканчивается срок назначения наставника»: a daily job tells the mentor and the curators of his organization
``TERM_NOTICE_DAYS`` days before his appointment ends (003 §3.4: a mentor is appointed by order for a term).

    SWEEPS: sweep_mentor_terms(session, now)    each tick: the job of the (UTC) day, once (key ``mentor_terms:<day>``)
    JOBS:   tell_ending_terms(session, job, now) every active appointment ending within the notice period, on the
                                                 organization's own day, told once (key: appointment and end date)

Why 30 days: a new term needs the curator's proposal, the head's order and the mentor's consent — the appointment
process takes days to weeks, and a stage's reminder (14 days) comes inside that month, so the curator still has
time to appoint again before the programs of the mentor are left without one. A term extended (a new end date) is
told again; a worker that was down for days tells on its first day back (every term still within the period).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import Job, MentorAppointment, Role
from engine.db.models.mentorship import AppointmentStatus
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.services.jobs.queue import enqueue
from engine.services.notifications.kinds import MENTOR_TERM_ENDING
from engine.services.notifications.outbox import notify_many
from engine.services.process.task_notifications import role_holders
from engine.vocabulary import plural
from engine.workflow.clock import to_utc

TERM_NOTICE_DAYS = 30
MENTOR_TERMS = "mentor_terms"


def sweep_mentor_terms(session: Session, now: datetime) -> None:
    day = to_utc(now).date()
    enqueue(session, MENTOR_TERMS, f"{MENTOR_TERMS}:{day.isoformat()}", {"day": day.isoformat()}, run_after=now)


def term_key(appointment: MentorAppointment) -> str:
    return f"mentor_term:{appointment.id}:{appointment.ends_on.isoformat()}"


def tell_ending_terms(session: Session, job: Job | None, now: datetime) -> int:
    """Tell of every active term ending within ``TERM_NOTICE_DAYS`` of the organization's today; returns how many
    appointments were told of now (those told before are not told again)."""
    utc_day = to_utc(now).date()
    rows = session.scalars(
        select(MentorAppointment).options(joinedload(MentorAppointment.person))
        .where(MentorAppointment.status == AppointmentStatus.ACTIVE.value,
               MentorAppointment.released_on.is_(None),
               MentorAppointment.ends_on >= utc_day - timedelta(days=1),
               MentorAppointment.ends_on <= utc_day + timedelta(days=TERM_NOTICE_DAYS + 1))
        .order_by(MentorAppointment.id))
    told = 0
    for appointment in rows:
        organization = appointment.organization
        today = local_day(now, zone_of(organization))
        if not today <= appointment.ends_on <= today + timedelta(days=TERM_NOTICE_DAYS):
            continue
        left = (appointment.ends_on - today).days
        name = appointment.person.full_name
        title = f"Срок назначения наставника заканчивается {appointment.ends_on:%d.%m.%Y}: {name}"
        body = (f"Срок назначения наставником ({name}) заканчивается {appointment.ends_on:%d.%m.%Y}"
                + (" — сегодня." if left == 0 else f", через {days_text(left)}.")
                + " Чтобы продолжить наставническую деятельность, нужно новое назначение приказом.")
        curators = [p for p in role_holders(session, appointment.organization_id, Role.CURATOR)
                    if p != appointment.person_id]
        made = []
        for people, link in (([appointment.person_id], "/my"), (curators, f"/registries/people/{appointment.person_id}")):
            made += notify_many(session, people, MENTOR_TERM_ENDING, title, body=body, link=link,
                                organization_id=appointment.organization_id, due_on=appointment.ends_on,
                                key=term_key(appointment))
        told += bool(made)
    return told


def days_text(days: int) -> str:
    """«1 день», «3 дня», «12 дней» (the Russian plural forms of Babel's CLDR rules: ``engine.vocabulary``)."""
    return f"{days} {plural(days, 'день', 'дня', 'дней')}"


def _job(session: Session, job: Job, now: datetime) -> None:
    tell_ending_terms(session, job, now)


JOBS = {MENTOR_TERMS: _job}
SWEEPS = (sweep_mentor_terms,)
