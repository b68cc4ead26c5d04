"""Background work the database decides (issue 13): jobs, the workers' heartbeats.

A ``Job`` is one piece of work with an idempotency ``key`` (unique: a second enqueue of the same key is the same
job — a due timer of an instance at its moment, the e-mail of one notification, a periodic job's period). Whoever
runs it — a Celery worker of several, or the embedded scheduler thread — claims it in the transaction that does its
effect (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so the effect is committed together with ``status = done``:
once, however many workers received the broker's message. A job that fails is retried with backoff
(``run_after``); after ``max_attempts`` it becomes an incident (``status = incident``) for the administrator and the
curator, who retry or skip it. The rows: ``engine.services.jobs``.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db.base import Base, check_in
from engine.db.models.lifecycle import Lifecycle, status_validator
from engine.db.types import UTCDateTime, utcnow


class JobStatus(enum.StrEnum):
    WAITING = "waiting"  # to run at ``run_after`` (first try or a retry)
    DONE = "done"  # its effect is committed
    INCIDENT = "incident"  # failed ``max_attempts`` times: waits for a person («Повторить» / «Пропустить»)
    SKIPPED = "skipped"  # a person chose not to run it (the key stays taken: it is not enqueued again)


JOB_STATUS_LABELS: dict[str, str] = {
    JobStatus.WAITING: "ожидает",
    JobStatus.DONE: "выполнено",
    JobStatus.INCIDENT: "инцидент",
    JobStatus.SKIPPED: "пропущено",
}

JOB_LIFECYCLE = Lifecycle(
    statuses=JobStatus, table="jobs", entity="фоновое задание № {id}", labels=JOB_STATUS_LABELS,
    transitions={
        JobStatus.WAITING: frozenset({JobStatus.DONE, JobStatus.INCIDENT}),
        JobStatus.INCIDENT: frozenset({JobStatus.WAITING, JobStatus.SKIPPED}),
        JobStatus.DONE: frozenset(),
        JobStatus.SKIPPED: frozenset(),
    },
    doc="""The deadlines the regulations set (the stage terms of 003 §7 and its appendix 1, the report dates of
    003 order item 3) are kept by jobs. A job waits until a worker runs it (``engine.services.jobs.runner``): done with its effect, or after its
    last failed try an incident; the administrator or the curator retries an incident (waiting again, its tries
    counted anew) or skips it (``engine.services.jobs.incidents``).""",
)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        check_in("status", JobStatus, "status"),
        Index("ix_jobs_status_run_after", "status", "run_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))  # a handler's name: fire_timers, send_email, …
    key: Mapped[str] = mapped_column(String(255), unique=True)  # idempotency: one job per key, ever
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.WAITING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # tries that ended (failed or done)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # not before (backoff after a failure)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # handed to a worker (the broker) last
    last_error: Mapped[str | None] = mapped_column(Text)  # in Russian, for the incident list
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    element_id: Mapped[str | None] = mapped_column(String(255))  # the BPMN element it concerns, if any
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_tried_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # its first failed try (since the last retry)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # done, skipped, or became an incident
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))  # who retried or skipped it
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    _check_status = status_validator(JOB_LIFECYCLE)


class WorkerHeartbeat(Base):
    """The last sign of life of each runner of jobs (a Celery worker's scheduler tick, the embedded thread)."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)  # host:pid or «embedded»
    mode: Mapped[str] = mapped_column(String(16))  # celery | embedded
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
