"""The monitoring views as last counted (issue 15: the dashboard and the analytic report over 100k programs, p95 <
1 s): a view is counted once and served to the next viewers while younger than one and a half refresh periods; a
change in between shows after the worker's next count or at «Пересчитать сейчас» (``fresh``); the worker counts the
views heads and curators open by default every period; an analytic report keeps counts only, never names."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.bootstrap import REFRESH_ENV, bootstrap, refresh_minutes_from_env
from engine.db.models import Job, MonitoringSnapshot, Person
from engine.errors import NastavnikError
from engine.services.monitoring import analytic_report, refresh
from engine.services.monitoring import dashboard as board
from tests import factories as f
from tests.engine.services.monitoring.dashboard_world import build

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def keeping(session, world, minutes: int = 10):
    """The session's domain keeps the views for ``minutes`` on the world's clock."""
    bootstrap(clock=world.clock, monitoring_refresh_minutes=minutes).attach(session)


def snapshots(session) -> int:
    return int(session.scalar(select(func.count(MonitoringSnapshot.id))) or 0)


@BOTH
def test_a_dashboard_is_counted_once_and_served_until_the_next_count(db_session):
    world = build(db_session)
    keeping(db_session, world)
    first = board.dashboard(db_session, world.head)
    assert first.counted_at == world.clock.now() and first.coverage.staff == 10
    assert snapshots(db_session) == 1
    f.make_person(db_session, organization_id=world.school_b, participant_kind="pedagogue")  # one more teacher

    world.clock.advance(timedelta(minutes=14))  # younger than 1.5 periods: as counted, with its moment
    served = board.dashboard(db_session, world.head)
    assert (served.coverage.staff, served.counted_at) == (10, first.counted_at)
    assert served.as_dict()["counted_at"] == first.counted_at

    recounted = board.dashboard(db_session, world.head, fresh=True)  # «Пересчитать сейчас»
    assert (recounted.coverage.staff, recounted.counted_at) == (11, world.clock.now())
    world.clock.advance(timedelta(minutes=16))  # older than 1.5 periods: counted anew when asked
    f.make_person(db_session, organization_id=world.school_b, participant_kind="pedagogue")
    assert board.dashboard(db_session, world.head).coverage.staff == 12
    assert snapshots(db_session) == 1  # one view, one row: replaced, not added


@BOTH
def test_each_scope_and_period_is_a_view_of_its_own(db_session):
    world = build(db_session)
    keeping(db_session, world)
    whole = board.dashboard(db_session, world.head)
    school = board.dashboard(db_session, world.head, organization_id=world.school_b)
    curator = board.dashboard(db_session, world.curator_a)
    assert (whole.coverage.staff, school.coverage.staff, curator.coverage.staff) == (10, 4, 6)
    assert snapshots(db_session) == 3
    earlier = board.dashboard(db_session, world.head, period_from=whole.scope.period_from - timedelta(days=181),
                              period_to=whole.scope.period_from - timedelta(days=1))
    assert earlier.breakdowns["ground"] != whole.breakdowns["ground"] and snapshots(db_session) == 4
    # the head of school B sees what the department's head sees of school B, from the same kept view
    own = board.dashboard(db_session, world.head_b)
    assert own.coverage_by_organization == school.coverage_by_organization and own.breakdowns == school.breakdowns
    assert snapshots(db_session) == 4


@BOTH
def test_nothing_is_kept_when_the_refresh_period_is_zero(db_session):
    world = build(db_session)
    keeping(db_session, world, minutes=0)
    found = board.dashboard(db_session, world.head)
    assert found.counted_at is None and snapshots(db_session) == 0
    refresh.sweep_monitoring(db_session, world.clock.now())
    assert db_session.scalar(select(func.count(Job.id)).where(Job.kind == refresh.MONITORING_REFRESH)) == 0


@BOTH
def test_the_worker_counts_the_default_views_every_period(db_session):
    world = build(db_session)
    keeping(db_session, world)
    for _ in range(3):  # ticks within one period: one job
        refresh.sweep_monitoring(db_session, world.clock.now())
    world.clock.advance(timedelta(minutes=10))
    refresh.sweep_monitoring(db_session, world.clock.now())
    assert db_session.scalar(select(func.count(Job.id)).where(Job.kind == refresh.MONITORING_REFRESH)) == 2

    counted = refresh.refresh_views(db_session, None, world.clock.now())
    # dashboards: the department's head, school A's curator, school B's head; the reports (half-year and year) of
    # the three organizations where someone is head or curator
    assert counted == 3 + 3 * 2
    at = world.clock.now()
    world.clock.advance(timedelta(minutes=5))
    for actor in (world.head, world.curator_a, world.head_b):
        assert board.dashboard(db_session, actor).counted_at == at
    report = analytic_report.analytic_report(db_session, world.curator_a, organization_id=None, kind="semiannual")
    assert report.counted_at == at
    final = analytic_report.analytic_report(db_session, world.head, organization_id=None, kind="final")
    assert final.counted_at == at

    board.dashboard(db_session, world.head, period_from=at.date() - timedelta(days=30), period_to=at.date())
    assert snapshots(db_session) == 3 + 3 * 2 + 1
    world.clock.advance(timedelta(days=2))  # a view nobody opened for a day is dropped at the next count
    refresh.refresh_views(db_session, None, world.clock.now())
    assert snapshots(db_session) == 3 + 3 * 2


@BOTH
def test_an_analytic_report_keeps_counts_and_reads_the_overdue_mentors_anew(db_session):
    world = build(db_session)
    keeping(db_session, world)
    first = analytic_report.analytic_report(db_session, world.head, organization_id=None, kind="semiannual")
    assert first.counted_at == world.clock.now()
    payload = json.dumps(db_session.scalars(select(MonitoringSnapshot.payload)).all(), ensure_ascii=False)
    names = [name for name in db_session.scalars(select(Person.full_name)) if name]
    assert names and not any(name in payload for name in names)  # no person's name is kept
    overdue = first.figures["mentor_reports"]["overdue_mentors"]
    assert overdue  # shown by name, read anew each time
    assert first.figures["programs"] == analytic_report.analytic_report(
        db_session, world.head, organization_id=None, kind="semiannual", fresh=True).figures["programs"]


def test_the_refresh_period_setting_is_checked(monkeypatch):
    monkeypatch.setenv(REFRESH_ENV, "15")
    assert refresh_minutes_from_env() == 15
    monkeypatch.delenv(REFRESH_ENV)
    assert refresh_minutes_from_env() == 10
    for bad in ("десять", "-5", "99999"):
        monkeypatch.setenv(REFRESH_ENV, bad)
        with pytest.raises(NastavnikError, match="NASTAVNIK_MONITORING_REFRESH_MINUTES: ожидается целое число минут"):
            refresh_minutes_from_env()
