"""Putting work on the queue: one ``Job`` per idempotency key, ever.

    enqueue(session, kind, key, payload=None, *, organization_id=None, instance_id=None, element_id=None,
            run_after=None, max_attempts=None) -> int      # the job's id (the existing one for a known key)

The row is inserted in the caller's transaction (``INSERT … ON CONFLICT (key) DO NOTHING``): work enqueued by a
step that is rolled back never existed, and two workers enqueuing the same key make one job.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Job, JobStatus
from engine.db.types import insert_on_conflict, utcnow

DEFAULT_MAX_ATTEMPTS = 5
# «at once»: a job a step enqueues is due whatever clock the runner reads (the system's, or a test's or the demo's
# clock that may lag behind it); only a retry's backoff or an explicit ``run_after`` puts a job in the future
AT_ONCE = datetime(2000, 1, 1, tzinfo=UTC)


def _values(kind: str, key: str, payload: dict[str, Any] | None, *, organization_id: int | None = None,
            instance_id: int | None = None, element_id: str | None = None, run_after: datetime | None = None,
            max_attempts: int | None = None) -> dict[str, Any]:
    now = utcnow()
    return {
        "kind": kind, "key": key[:255], "payload": payload or {}, "status": JobStatus.WAITING.value, "attempts": 0,
        "max_attempts": max_attempts or DEFAULT_MAX_ATTEMPTS, "run_after": run_after or AT_ONCE,
        "organization_id": organization_id, "instance_id": instance_id, "element_id": element_id,
        "created_at": now,
    }


def _insert(session: Session):  # noqa: ANN202 - the dialect's INSERT … ON CONFLICT construct
    return insert_on_conflict(session.get_bind().dialect.name, Job)


def enqueue(session: Session, kind: str, key: str, payload: dict[str, Any] | None = None, *,
            organization_id: int | None = None, instance_id: int | None = None, element_id: str | None = None,
            run_after: datetime | None = None, max_attempts: int | None = None) -> int:
    """The job for ``key`` (created now, waiting from ``run_after``, default: due at once); a key already taken — whatever
    its job's state — is the same job, its id returned and nothing changed."""
    values = _values(kind, key, payload, organization_id=organization_id, instance_id=instance_id,
                     element_id=element_id, run_after=run_after, max_attempts=max_attempts)
    session.flush()  # rows this job may name (an outgoing e-mail, an instance) exist before it
    inserted = session.scalar(_insert(session).values(**values).on_conflict_do_nothing(index_elements=["key"])
                              .returning(Job.id))
    if inserted is not None:
        return int(inserted)
    existing = session.scalar(select(Job.id).where(Job.key == values["key"]))
    assert existing is not None  # the conflict was on this key
    return int(existing)


def enqueue_many(session: Session, kind: str, jobs: list[dict[str, Any]]) -> None:
    """Jobs of ``kind`` at once, each a dict of ``enqueue``'s arguments (``key``, ``payload``, ``instance_id``…):
    one multi-row INSERT, a key already taken skipped (that job stays as it is)."""
    if not jobs:
        return
    session.flush()
    rows = [_values(kind, job["key"], job.get("payload"), **{k: v for k, v in job.items() if k not in ("key", "payload")})
            for job in jobs]
    session.execute(_insert(session).on_conflict_do_nothing(index_elements=["key"]), rows)
