"""The installation's health for a load balancer and monitoring (``GET /healthz``, issue 13).

    report(session, *, broker=None, tick_seconds=None, now=None) -> Health   # .ok, .as_dict()

What is checked, each cheaply (a handful of one-row queries, no personal data):

    database     reachable: ``SELECT 1``
    migrations   current: the database's Alembic revision is the code's head (``engine.db.migrate``)
    worker       a runner of jobs — a Celery worker's beat or the embedded thread — was seen lately: the newest
                 ``WorkerHeartbeat.seen_at`` is no older than 3 ticks (``NASTAVNIK_TICK_SECONDS``, default 5 s),
                 and never less than 60 s
    broker       reachable, when one is configured: ``broker`` is a callable (``worker.broker.broker_reachable``
                 bound to ``NASTAVNIK_BROKER_URL``, handed in by the web app: the engine never imports the worker)
    jobs         reported only: how many waiting jobs are due, and the age of the oldest
    incidents    reported only: how many are open

Healthy (``ok``, HTTP 200) when the database, the migrations, the worker and — if configured — the broker are fine;
otherwise 503. Waiting jobs and open incidents never make it 503: they are work for people (the incident list) or a
sign to look at, not a reason for a load balancer to take the server out.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from engine import settings
from engine.db.migrate import head_revision
from engine.db.models import Job, JobStatus, WorkerHeartbeat
from engine.db.types import utcnow
from engine.workflow.clock import to_utc

log = logging.getLogger(__name__)

DEFAULT_TICK_SECONDS = 5.0
MIN_STALE_SECONDS = 60.0


def tick_seconds_setting() -> float:
    """``NASTAVNIK_TICK_SECONDS`` (default 5); a value that is not a positive number counts as the default."""
    try:
        value = float(settings.value("NASTAVNIK_TICK_SECONDS") or DEFAULT_TICK_SECONDS)
    except ValueError:
        return DEFAULT_TICK_SECONDS
    return value if value > 0 else DEFAULT_TICK_SECONDS


def stale_after(tick_seconds: float) -> float:
    """Seconds without a heartbeat after which the worker counts as gone: 3 ticks, at least a minute."""
    return max(3 * tick_seconds, MIN_STALE_SECONDS)


@lru_cache(maxsize=1)
def _head() -> str | None:
    return head_revision()  # the scripts do not change while the server runs


@dataclass
class Health:
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(check.get("ok", True) for check in self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "fail", "checks": self.checks}


def _seconds(later: datetime, earlier: datetime | None) -> float | None:
    return None if earlier is None else round(max((to_utc(later) - to_utc(earlier)).total_seconds(), 0.0), 1)


def _database(session: Session) -> dict[str, Any]:
    try:
        session.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as error:  # noqa: BLE001 - unreachable is the answer, not a crash
        session.rollback()
        log.warning("health: database unreachable: %s", error)
        return {"ok": False, "error": "база данных недоступна"}


def _migrations(session: Session) -> dict[str, Any]:
    head = _head()
    try:
        current = MigrationContext.configure(session.connection()).get_current_revision()
    except Exception as error:  # noqa: BLE001
        session.rollback()
        log.warning("health: the migration revision could not be read: %s", error)
        current = None
    return {"ok": current is not None and current == head, "current": current, "head": head}


def _worker(session: Session, now: datetime, tick_seconds: float) -> dict[str, Any]:
    newest = session.scalar(select(func.max(WorkerHeartbeat.seen_at)))
    age = _seconds(now, newest)
    limit = stale_after(tick_seconds)
    return {"ok": age is not None and age <= limit, "last_seen_seconds_ago": age, "stale_after_seconds": limit}


def _jobs(session: Session, now: datetime) -> dict[str, Any]:
    count, oldest = session.execute(select(func.count(), func.min(Job.run_after)).where(
        Job.status == JobStatus.WAITING.value, Job.run_after <= now)).one()
    return {"waiting_due": int(count or 0), "oldest_due_seconds": _seconds(now, oldest)}


def _incidents(session: Session) -> dict[str, Any]:
    count = session.scalar(select(func.count()).select_from(Job).where(Job.status == JobStatus.INCIDENT.value))
    return {"open": int(count or 0)}


def report(session: Session, *, broker: Callable[[], bool] | None = None, tick_seconds: float | None = None,
           now: datetime | None = None) -> Health:
    """The checks above; ``broker`` None: no broker configured (the embedded mode), not checked. Reads only; the
    session is rolled back at the end."""
    moment = now or utcnow()
    health = Health()
    health.checks["database"] = _database(session)
    if health.checks["database"]["ok"]:
        health.checks["migrations"] = _migrations(session)
        try:
            health.checks["worker"] = _worker(session, moment, tick_seconds or tick_seconds_setting())
            health.checks["jobs"] = _jobs(session, moment)
            health.checks["incidents"] = _incidents(session)
        except Exception as error:  # noqa: BLE001 - tables missing: the migrations' check already says why
            session.rollback()
            log.warning("health: the jobs' tables could not be read: %s", error)
            health.checks["worker"] = {"ok": False, "error": "таблицы фоновых заданий недоступны"}
    health.checks["broker"] = {"ok": broker(), "configured": True} if broker is not None else {"configured": False}
    session.rollback()
    return health
