"""A job's effect happens once: the key makes one job, the claim makes one run, a failure is counted and retried
with backoff until it becomes an incident (engine.services.jobs)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text

from engine.db.models import AuditEntry, Job, JobStatus, record_audit
from engine.db.types import utcnow
from engine.errors import NastavnikError
from engine.services.jobs.queue import enqueue
from engine.services.jobs.runner import Outcome, backoff, run_job, run_jobs
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


def _batched_table(failing: set[int]) -> JobTable:
    """«fire» jobs whose effect is the database's only (batched); the payload's ``n`` in ``failing`` fails."""
    table = JobTable()

    def fire(session, job, now):
        record_audit(session, "job.fired", details={"n": job.payload["n"]})
        if job.payload["n"] in failing:
            raise NastavnikError("таймер не сработал", where=f"n{job.payload['n']}")

    table.handle("fire", fire, batch=True)
    table.handle("mail", lambda session, job, now: record_audit(session, "job.mailed"))  # not batched
    return table


def test_a_batch_commits_its_jobs_together_and_each_once(db_session):
    table = _batched_table(set())
    ids = [enqueue(db_session, "fire", f"fire:{n}", {"n": n}) for n in range(4)]
    mail = enqueue(db_session, "mail", "mail:1")
    db_session.commit()
    outcomes = run_jobs(db_session, table, [*ids, mail, ids[0]])  # a duplicate id is one job
    assert outcomes == {**dict.fromkeys(ids, Outcome.DONE), mail: Outcome.DONE}
    assert _effects(db_session, "job.fired") == 4 and _effects(db_session, "job.mailed") == 1
    assert run_jobs(db_session, table, ids) == dict.fromkeys(ids, Outcome.NOT_CLAIMED)  # delivered again
    assert _effects(db_session, "job.fired") == 4
    jobs = [db_session.get(Job, job_id, populate_existing=True) for job_id in ids]
    assert {(job.status, job.attempts) for job in jobs} == {(JobStatus.DONE.value, 1)}
    if db_session.get_bind().dialect.name == "postgresql":  # one transaction wrote them all (SQLite: one by one)
        writers = db_session.scalars(text("SELECT DISTINCT xmin::text FROM jobs WHERE id = ANY(:ids)"),
                                     {"ids": ids}).all()
        assert len(writers) == 1


def test_a_failing_job_spoils_nothing_of_its_batch(db_session):
    table = _batched_table({2})
    ids = [enqueue(db_session, "fire", f"fire:{n}", {"n": n}) for n in range(4)]
    db_session.commit()
    outcomes = run_jobs(db_session, table, ids)
    assert outcomes == {ids[0]: Outcome.DONE, ids[1]: Outcome.DONE, ids[2]: Outcome.RETRY, ids[3]: Outcome.DONE}
    fired = db_session.scalars(select(AuditEntry.details).where(AuditEntry.action == "job.fired")).all()
    assert sorted(d["n"] for d in fired) == [0, 1, 3]  # each effect once, the failed one's not at all
    failed = db_session.get(Job, ids[2], populate_existing=True)
    assert (failed.status, failed.attempts) == (JobStatus.WAITING.value, 1)  # only the failing job counted a try
    assert failed.last_error.startswith("n2: таймер не сработал")
    assert [db_session.get(Job, i).attempts for i in (ids[0], ids[1], ids[3])] == [1, 1, 1]
