"""The figures of a monitoring view as last counted (issue 15: the dashboard and the analytic report over 100k
programs, p95 < 1 s). Counting a department's figures aggregates every program of its tree (seconds at 100k on a
busy machine); a view's figures are therefore kept in ``monitoring_snapshots`` and served while younger than
``max_age`` (one and a half refresh periods), with the moment they were counted, which the page shows («данные
на 09:40»). The worker counts anew every refresh period the views people open by default
(``engine.services.monitoring.refresh``); a view nobody asked for lately is counted when asked, then kept; «Обновить»
(``fresh``) counts anew at once. The lists behind the figures are always read live.

The refresh period is the domain's ``monitoring_refresh_minutes`` (env ``NASTAVNIK_MONITORING_REFRESH_MINUTES``,
default 10; 0: every view counted when asked, nothing kept).

    cached(session, kind, parts, compute, *, organization_id=None, fresh=False) -> (payload, counted_at | None)
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.db.models import MonitoringSnapshot
from engine.db.types import insert_on_conflict
from engine.services.process.domain import domain_of

KINDS = ("dashboard", "analytic")


def refresh_minutes(session: Session) -> int:
    return max(0, int(domain_of(session).monitoring_refresh_minutes))


def max_age(minutes: int) -> timedelta:
    """How long a snapshot is served: one and a half refresh periods, so the worker's next count replaces it first."""
    return timedelta(minutes=minutes * 1.5)


def key_of(kind: str, parts: dict[str, Any]) -> str:
    """The view's key: its kind and a digest of what it counts over (organizations, period, day)."""
    canonical = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()}"


def cached(session: Session, kind: str, parts: dict[str, Any], compute: Callable[[], dict[str, Any]], *,
           organization_id: int | None = None, fresh: bool = False) -> tuple[dict[str, Any], datetime | None]:
    """The view's figures: the kept ones while young enough (and not ``fresh``), else ``compute()``'s, kept for the
    next viewer (in the caller's transaction). The moment they were counted, or None when nothing is kept (refresh
    period 0). ``compute`` must return plain JSON (numbers, strings, lists, dicts)."""
    minutes = refresh_minutes(session)
    if minutes == 0:
        return compute(), None
    now = domain_of(session).clock.now()
    key = key_of(kind, parts)
    if not fresh:
        row = session.scalar(select(MonitoringSnapshot).where(MonitoringSnapshot.key == key))
        if row is not None and now - max_age(minutes) < row.computed_at <= now:
            return row.payload, row.computed_at
    started = time.perf_counter()
    payload = compute()
    spent_ms = int((time.perf_counter() - started) * 1000)
    values = {"key": key, "kind": kind, "organization_id": organization_id, "payload": payload, "computed_at": now,
              "compute_ms": spent_ms}
    stmt = insert_on_conflict(session.get_bind().dialect.name, MonitoringSnapshot).values(**values)
    session.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={
        name: getattr(stmt.excluded, name) for name in ("payload", "computed_at", "compute_ms", "organization_id")}))
    return payload, now


def purge_older_than(session: Session, moment: datetime) -> int:
    """Drop the snapshots counted before ``moment`` (views nobody opened for a while); how many."""
    result = session.execute(delete(MonitoringSnapshot).where(MonitoringSnapshot.computed_at < moment))
    return int(getattr(result, "rowcount", 0) or 0)
