"""Running one job exactly once: claim it, do its effect, commit both.

    run_job(session, table, job_id, *, now=None) -> Outcome
    run_jobs(session, table, job_ids, *, now=None) -> dict[int, Outcome]   # several, batched kinds in one transaction

The claim is in the transaction that does the effect: on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` (a second
worker holding the same message gets nothing at once and moves on), on SQLite an ``UPDATE`` of the waiting row
(SQLite's write lock serializes the writers). The effect and ``status = done`` are committed together, so a worker
killed mid-job leaves the job waiting, with nothing of its effect: the next dispatch (``scheduler.tick``, after the
lease) runs it again, once. A failure is rolled back and counted in a transaction of its own: the job waits
``backoff(attempts)`` and after ``max_attempts`` tries becomes an incident (``engine.services.jobs.incidents``).

``run_jobs`` (PostgreSQL): the jobs of batched kinds (``JobTable.handle(…, batch=True)``: effects in the database
only) claimed with one statement, run one after another and committed together — the claims, the commit and the
audit chain's append paid once for the batch, not per job; each is still its own job, done with its effect or not at
all. Any failure rolls the batch back and its jobs run one by one (``run_job``), so only the failing one counts a
try. The other jobs, and every job on SQLite, run one by one.
"""
from __future__ import annotations

import enum
import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import events
from engine.db.batching import batched_writes
from engine.db.models import Job, JobStatus
from engine.db.types import utcnow
from engine.errors import NastavnikError
from engine.events import emit
from engine.services.jobs.table import JobTable

log = logging.getLogger(__name__)

RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)


class Outcome(enum.StrEnum):
    DONE = "done"
    NOT_CLAIMED = "not_claimed"  # done already, skipped, not due yet, or another worker holds it
    RETRY = "retry"  # failed; waits for its next try
    INCIDENT = "incident"  # failed its last try


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 30 s, 1 min, 2 min, 4 min, … at most an hour."""
    return min(RETRY_BASE * (2 ** max(attempts - 1, 0)), RETRY_CAP)


def error_text(error: BaseException) -> str:
    """What the incident list says: the domain's Russian message (with where), or that something unforeseen
    happened (the details go to the server's log)."""
    if isinstance(error, NastavnikError):
        return str(error)
    return f"непредвиденная ошибка ({type(error).__name__}); подробности — в журнале сервера"


def _claim(session: Session, job_id: int, now: datetime) -> Job | None:
    due = (Job.id == job_id, Job.status == JobStatus.WAITING.value, Job.run_after <= now)
    if session.get_bind().dialect.name == "postgresql":
        return session.scalar(select(Job).where(*due).with_for_update(skip_locked=True)
                              .execution_options(populate_existing=True))
    claimed = session.execute(update(Job).where(*due).values(dispatched_at=now)
                              .execution_options(synchronize_session=False))
    if getattr(claimed, "rowcount", 0) != 1:
        return None
    return session.scalar(select(Job).where(Job.id == job_id).execution_options(populate_existing=True))


def run_job(session: Session, table: JobTable, job_id: int, *, now: datetime | None = None) -> Outcome:
    """Run the waiting job ``job_id`` if it is due and nobody else holds it; commits (the effect with ``done``, or
    the failure's count). ``session`` should have no work of its own pending: it is committed or rolled back."""
    moment = now or utcnow()
    session.rollback()  # a transaction of its own, started by the claim
    job = _claim(session, job_id, moment)
    if job is None:
        session.rollback()
        return Outcome.NOT_CLAIMED
    handler = table.handler(job.kind)
    try:
        if handler is None:
            raise NastavnikError(f"неизвестный вид фоновой работы «{job.kind}»: обработчика нет в этой версии",
                                 where=f"задание №{job.id}")
        handler(session, job, moment)
        job.status = JobStatus.DONE.value
        job.attempts += 1
        job.finished_at = moment
        job.last_error = None
        emit(session, events.JOB, kind=job.kind, outcome="done")
        session.commit()
        return Outcome.DONE
    except Exception as error:  # noqa: BLE001 - any failure of the effect is counted, never lost
        session.rollback()
        if not isinstance(error, NastavnikError):
            log.exception("job %s failed", job_id)
        return record_failure(session, table, job_id, error_text(error), moment)


def _tell_listeners(session: Session, table: JobTable, job: Job) -> None:
    """Every ``on_every_incident`` listener, each in a savepoint: one that fails is rolled back and logged, and the
    incident is still recorded (a job that could not be told about must not go on retrying for ever)."""
    for listener in table.incident_listeners():
        try:
            with session.begin_nested():
                listener(session, job)
        except Exception:  # noqa: BLE001 - the incident matters more than its notice
            log.exception("incident listener %s failed for job %s", getattr(listener, "__qualname__", listener), job.id)


def _claim_many(session: Session, job_ids: list[int], now: datetime) -> list[Job]:
    return list(session.scalars(
        select(Job).where(Job.id.in_(job_ids), Job.status == JobStatus.WAITING.value, Job.run_after <= now)
        .order_by(Job.id).with_for_update(skip_locked=True).execution_options(populate_existing=True)))


def run_jobs(session: Session, table: JobTable, job_ids: list[int], *,
             now: datetime | None = None) -> dict[int, Outcome]:
    """Run the waiting jobs ``job_ids`` (those due and not held elsewhere); each one's outcome. Commits."""
    moment = now or utcnow()
    ids = list(dict.fromkeys(job_ids))
    if len(ids) < 2 or session.get_bind().dialect.name != "postgresql":
        return {job_id: run_job(session, table, job_id, now=moment) for job_id in ids}
    session.rollback()
    claimed = _claim_many(session, ids, moment)
    batch = [job for job in claimed if table.batched(job.kind)]
    outcomes: dict[int, Outcome] = {job_id: Outcome.NOT_CLAIMED for job_id in ids}
    if len(batch) > 1:
        try:
            with batched_writes(session):
                for kind in dict.fromkeys(job.kind for job in batch):
                    prepare = table.preparer(kind)
                    if prepare is not None:
                        prepare(session, [job for job in batch if job.kind == kind])
                for job in batch:
                    handler = table.handler(job.kind)
                    assert handler is not None  # batched kinds have one
                    handler(session, job, moment)
            for job in batch:  # marked done together: one UPDATE for the batch
                job.status = JobStatus.DONE.value
                job.attempts += 1
                job.finished_at = moment
                job.last_error = None
                emit(session, events.JOB, kind=job.kind, outcome="done")
            session.commit()
            outcomes.update({job.id: Outcome.DONE for job in batch})
            batch_ids = {job.id for job in batch}
            rest = [job.id for job in claimed if job.id not in batch_ids]
        except Exception:  # noqa: BLE001 - rolled back; each runs alone, the failing one counts its try
            session.rollback()
            log.info("a batch of %s jobs failed; running them one by one", len(batch))
            rest = [job.id for job in claimed]
    else:
        session.rollback()
        rest = [job.id for job in claimed]
    for job_id in rest:
        outcomes[job_id] = run_job(session, table, job_id, now=moment)
    return outcomes


def record_failure(session: Session, table: JobTable, job_id: int, message: str, now: datetime) -> Outcome:
    """Count a failed try of ``job_id`` (committed): wait for the next one, or become an incident after the last."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None or job.status != JobStatus.WAITING.value:
        session.rollback()
        return Outcome.NOT_CLAIMED
    if job.attempts == 0:
        job.first_tried_at = now
    job.attempts += 1
    job.last_error = message[:4000]
    job.dispatched_at = None
    if job.attempts >= job.max_attempts:
        job.status = JobStatus.INCIDENT.value
        job.finished_at = now
        follow = table.incident_handler(job.kind)
        if follow is not None:
            follow(session, job)
        _tell_listeners(session, table, job)
        emit(session, events.JOB, kind=job.kind, outcome="incident")
        emit(session, events.INCIDENT, source="job", kind=job.kind)
        session.commit()
        log.warning("job %s (%s) became an incident after %s tries: %s", job_id, job.kind, job.attempts, message)
        return Outcome.INCIDENT
    job.run_after = now + backoff(job.attempts)
    emit(session, events.JOB, kind=job.kind, outcome="retry")
    session.commit()
    log.info("job %s (%s) failed try %s, next at %s: %s", job_id, job.kind, job.attempts, job.run_after, message)
    return Outcome.RETRY
