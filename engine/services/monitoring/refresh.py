"""The worker counts anew, every refresh period, the monitoring views people open by default, so they are served
from a snapshot (``snapshots``) instead of being counted while the viewer waits:

- each head's and curator's dashboard over the organizations where they hold the role and those under them, for
  the current half-year (the page's default);
- the semi-annual (current half-year) and the final (current year) analytic report of each organization where
  someone is head or curator.

    SWEEPS: sweep_monitoring(session, now)   each tick: the job of the refresh period, once
                                             (key ``monitoring_refresh:<period start>``)
    JOBS:   refresh_views(session, job, now) counts the views above anew; drops snapshots nobody opened for a day

Nothing is swept when the refresh period is 0 (every view counted when asked).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Job, Organization, RoleAssignment
from engine.services.jobs.queue import enqueue
from engine.services.monitoring import snapshots
from engine.services.monitoring.analytic_period import period_of
from engine.services.monitoring.analytic_report import counted_figures
from engine.services.monitoring.dashboard import dashboard_of
from engine.services.monitoring.scope import VIEWERS, scope_of_roots, without_jit
from engine.services.people.actor import subtree
from engine.services.process.domain import organization_today
from engine.workflow.clock import to_utc

MONITORING_REFRESH = "monitoring_refresh"
UNUSED_AFTER = timedelta(days=1)


def sweep_monitoring(session: Session, now: datetime) -> None:
    minutes = snapshots.refresh_minutes(session)
    if minutes == 0:
        return
    moment = to_utc(now)
    period = int(moment.timestamp()) // (minutes * 60) * (minutes * 60)
    enqueue(session, MONITORING_REFRESH, f"{MONITORING_REFRESH}:{period}", {"period": period}, run_after=now)


def viewers_roots(session: Session) -> dict[int, set[int]]:
    """{person id: the organizations where the person is head or curator}, of every such person."""
    found: dict[int, set[int]] = {}
    for person_id, organization_id in session.execute(
            select(RoleAssignment.person_id, RoleAssignment.organization_id).where(
                RoleAssignment.active.is_(True), RoleAssignment.role.in_([role.value for role in VIEWERS]))):
        found.setdefault(person_id, set()).add(organization_id)
    return found


def refresh_views(session: Session, job: Job | None, now: datetime) -> int:
    """Count anew the default views (above); how many were counted."""
    without_jit(session)
    counted = 0
    dashboards: set[tuple[int, ...]] = set()
    for roots in viewers_roots(session).values():
        scope = scope_of_roots(session, roots)
        if tuple(scope.shown_ids) in dashboards:
            continue
        dashboards.add(tuple(scope.shown_ids))
        dashboard_of(session, scope, fresh=True)
        counted += 1
    for organization_id in sorted({org for roots in viewers_roots(session).values() for org in roots}):
        organization = session.get(Organization, organization_id)
        if organization is None:
            continue
        orgs = sorted(subtree(session, {organization_id}))
        today = organization_today(session, organization)
        for kind in ("semiannual", "final"):
            period = period_of(kind, None, None, today=today)
            counted_figures(session, organization, orgs, period, period.at(today), fresh=True)
            counted += 1
    snapshots.purge_older_than(session, to_utc(now) - UNUSED_AFTER)
    return counted


def _job(session: Session, job: Job, now: datetime) -> None:
    refresh_views(session, job, now)


JOBS = {MONITORING_REFRESH: _job}
SWEEPS = (sweep_monitoring,)
