"""A job's effect happens once: the key makes one job, the claim makes one run, a failure is counted and retried
with backoff until it becomes an incident (engine.services.jobs)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from engine.db.models import AuditEntry, Job, JobStatus, record_audit
from engine.db.types import utcnow
from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue
from engine.services.jobs.runner import Outcome, backoff, run_job
from engine.services.jobs.scheduler import tick
from engine.services.jobs.table import JobTable


def _table(fail_times: list[int]) -> JobTable:
    table = JobTable()

    def note(session, job, now):
        if fail_times and fail_times[0] > 0:
            fail_times[0] -= 1
            record_audit(session, "job.half_done", details={"job": job.id})  # rolled back with the failure
            raise NastavnikError("почтовый сервер не отвечает", where="smtp")
        record_audit(session, "job.effect", details={"job": job.id})

    table.handle("note", note)
    return table


def _effects(session, action="job.effect"):
    return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_one_key_one_job_and_one_effect(db_session):
    table = _table([0])
    first = enqueue(db_session, "note", "note:1", {"a": 1})
    again = enqueue(db_session, "note", "note:1", {"a": 2})
    db_session.commit()
    assert first == again
    assert db_session.scalar(select(func.count()).select_from(Job)) == 1
    assert tick(db_session, table) == [first]
    assert tick(db_session, table) == []  # handed out within the lease
    assert run_job(db_session, table, first) is Outcome.DONE
    assert run_job(db_session, table, first) is Outcome.NOT_CLAIMED  # the broker's second delivery
    assert _effects(db_session) == 1
    assert db_session.get(Job, first).status == JobStatus.DONE.value


def test_failures_back_off_then_become_an_incident(db_session):
    table = _table([10])
    job_id = enqueue(db_session, "note", "note:2", max_attempts=3)
    db_session.commit()
    now = utcnow()
    assert run_job(db_session, table, job_id, now=now) is Outcome.RETRY
    job = db_session.get(Job, job_id)
    assert job.attempts == 1 and job.last_error.startswith("smtp: почтовый сервер не отвечает")
    assert job.run_after == now + backoff(1)
    assert run_job(db_session, table, job_id, now=now) is Outcome.NOT_CLAIMED  # not due before the backoff
    assert tick(db_session, table, now + timedelta(seconds=10)) == []
    assert tick(db_session, table, now + backoff(1)) == [job_id]
    assert run_job(db_session, table, job_id, now=now + backoff(1)) is Outcome.RETRY
    later = now + backoff(1) + backoff(2)
    assert run_job(db_session, table, job_id, now=later) is Outcome.INCIDENT
    job = db_session.get(Job, job_id, populate_existing=True)
    assert (job.status, job.attempts) == (JobStatus.INCIDENT.value, 3)
    assert _effects(db_session, "job.half_done") == 0  # nothing of a failed try stays
    assert tick(db_session, table, later + timedelta(days=1)) == []  # an incident waits for a person
