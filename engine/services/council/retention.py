"""Signed protocols of the council are kept for the period the organization's regulation pack sets
(``council.protocol_retention_months``; 000 §5.3: «хранятся в течение 1 года в электронном виде»), counted from the
day both signatures were given; then the worker deletes them — the session with its agenda, attendance, votes and
decisions, which are the protocol's content — and audits each purge (``council.protocol_purged``: number, date,
SHA-256 of the text; no one's personal data). Nothing else is touched: the council, its members, sessions not yet
signed stay.

    SWEEPS: sweep_protocols(session, now)            each tick: the job of the (UTC) day, once (key ``council_retention:<day>``)
    JOBS:   purge_expired_protocols(session, now)    every signed protocol whose period is over on its organization's day
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Job, Organization, SessionStatus
from engine.db.models.council import Council, CouncilSession
from engine.documents.basics import zone_of
from engine.domain_time import add_months, local_day
from engine.regulations import pack_of
from engine.services.council.base import audit
from engine.services.jobs.queue import enqueue
from engine.workflow.clock import to_utc

COUNCIL_RETENTION = "council_retention"


def sweep_protocols(session: Session, now: datetime) -> None:
    day = to_utc(now).date()
    enqueue(session, COUNCIL_RETENTION, f"{COUNCIL_RETENTION}:{day.isoformat()}", {"day": day.isoformat()},
            run_after=now)


def retention_months(organization: Organization, body: str) -> int:
    """How long the body's signed protocols are kept (the pack's ``council_bodies[].protocol_retention_months``; a
    body the pack no longer lists: the mentors' council's period)."""
    pack = pack_of(organization)
    found = next((b for b in pack.council_bodies if b.id == body), None)
    return found.retention_months if found is not None else pack.council_retention_months


def kept_until(signed_on: date, organization: Organization, body: str = "mentors_council") -> date:
    """The last day a protocol of ``body`` signed on ``signed_on`` is kept."""
    return add_months(signed_on, retention_months(organization, body))


def purge_expired_protocols(session: Session, now: datetime) -> int:
    """Delete every signed protocol past its retention period; returns how many."""
    rows = session.scalars(select(CouncilSession).join(Council)
                           .where(CouncilSession.status == SessionStatus.SIGNED.value,
                                  CouncilSession.signed_on.is_not(None))
                           .order_by(CouncilSession.id)).all()
    purged = 0
    for found in rows:
        organization = found.council.organization
        signed_on = found.signed_on
        assert signed_on is not None
        until = kept_until(signed_on, organization, found.council.body)
        if local_day(now, zone_of(organization)) <= until:
            continue
        audit(session, "council.protocol_purged", None, found.council, found, number=found.number,
              held_on=found.held_on.isoformat(), signed_on=signed_on.isoformat(), kept_until=until.isoformat(),
              retention_months=retention_months(organization, found.council.body), body=found.council.body,
              document_sha256=found.protocol_sha256)
        session.delete(found)
        purged += 1
    session.flush()
    return purged


def _job(session: Session, job: Job, now: datetime) -> None:
    purge_expired_protocols(session, now)


JOBS = {COUNCIL_RETENTION: _job}
SWEEPS = (sweep_protocols,)
