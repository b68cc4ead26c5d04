"""The scheduler's tick: what is due becomes jobs, the runner's heartbeat, the jobs to hand to workers.

    tick(session, table, now=None, *, runner="embedded", mode="embedded", limit=500, lease=LEASE) -> list[int]

1. Every sweep of the table (due timers → one job per instance and moment, the periodic jobs of the period), each
   committed on its own: a sweep that fails is logged and rolled back, the others still run.
2. The heartbeat of ``runner`` (``/healthz`` reads its age).
3. The waiting jobs that are due and not handed out within ``lease`` — never, or to a worker that has since died
   or lost the message — are marked handed out now and returned, oldest first; the caller gives each to a worker
   (Celery: one task per job) or runs it (the embedded thread). Several ticks at once (two beats) hand a job to
   at most one of them per lease (``SKIP LOCKED`` on PostgreSQL); a job handed out twice still runs once
   (``runner.run_job``).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from engine.db.models import Job, JobStatus, WorkerHeartbeat
from engine.db.types import utcnow
from engine.services.jobs.table import JobTable

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # a job handed out and still waiting after this is handed out again


def tick(session: Session, table: JobTable, now: datetime | None = None, *, runner: str = "embedded",
         mode: str = "embedded", limit: int = 500, lease: timedelta = LEASE) -> list[int]:
    moment = now or utcnow()
    session.rollback()
    for sweep in table.sweeps():
        try:
            sweep(session, moment)
            session.commit()
        except Exception:  # noqa: BLE001 - one sweep's failure does not stop the others
            session.rollback()
            log.exception("sweep %s failed", getattr(sweep, "__qualname__", sweep))
    beat(session, runner, mode, moment)
    return due_jobs(session, moment, limit=limit, lease=lease)


def beat(session: Session, runner: str, mode: str, now: datetime | None = None) -> None:
    """Record that ``runner`` is alive (committed)."""
    row = session.get(WorkerHeartbeat, runner)
    if row is None:
        session.add(WorkerHeartbeat(name=runner, mode=mode, seen_at=now or utcnow()))
    else:
        row.mode, row.seen_at = mode, now or utcnow()
    try:
        session.commit()
    except Exception:  # noqa: BLE001 - two first beats of one name at once: the other one is recorded
        session.rollback()


def due_jobs(session: Session, now: datetime, *, limit: int = 500, lease: timedelta = LEASE) -> list[int]:
    """Hand out (mark and return, committed) the due waiting jobs not handed out within ``lease``."""
    stmt = (select(Job.id)
            .where(Job.status == JobStatus.WAITING.value, Job.run_after <= now,
                   or_(Job.dispatched_at.is_(None), Job.dispatched_at < now - lease))
            .order_by(Job.run_after, Job.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(session.scalars(stmt))
    if ids:
        session.execute(update(Job).where(Job.id.in_(ids)).values(dispatched_at=now)
                        .execution_options(synchronize_session=False))
    session.commit()
    return ids
