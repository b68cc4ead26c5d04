"""A mentor and the curators are told once, 30 days ahead on the organization's own day, that the mentor's term
ends; the tick makes one job of it a day (engine.services.mentorship.mentor_terms)."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from engine.bootstrap import build_job_table
from engine.db.models import Job, MentorAppointment, Notification
from engine.services.jobs.runner import run_job
from engine.services.jobs.scheduler import tick
from engine.services.mentorship import mentor_terms
from engine.services.notifications import kinds
from engine.services.process.task_notifications import role_holders

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def _told(session) -> list[Notification]:
    session.expire_all()
    return list(session.scalars(select(Notification).where(Notification.kind == kinds.MENTOR_TERM_ENDING)
                                .order_by(Notification.id)))


@BOTH
def test_the_mentor_and_the_curators_are_told_thirty_days_ahead_on_the_organizations_day(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    mentor = demo.person_id("volkov")
    term = s.scalar(select(MentorAppointment).where(MentorAppointment.person_id == mentor))
    ends = term.ends_on
    # 18:00 UTC is already the next day in Tomsk (UTC+7): 30 days before the end there, 31 by the UTC calendar
    evening = datetime.combine(ends - timedelta(days=31), time(18, 0), tzinfo=UTC)
    assert mentor_terms.tell_ending_terms(s, None, evening - timedelta(hours=12)) == 0  # 31 days: not yet
    assert mentor_terms.tell_ending_terms(s, None, evening) == 1
    s.commit()
    told = _told(s)
    curators = role_holders(s, demo.department_id, "curator")
    assert sorted(n.person_id for n in told) == sorted([mentor, *curators])
    assert {n.due_on for n in told} == {ends} and all(f"{ends:%d.%m.%Y}" in n.title for n in told)
    assert all("через 30 дней" in n.body for n in told)
    assert {n.link for n in told if n.person_id != mentor} == {f"/registries/people/{mentor}"}
    assert mentor_terms.tell_ending_terms(s, None, evening + timedelta(days=5)) == 0  # once
    s.commit()
    assert len(_told(s)) == len(told)


@BOTH
def test_the_tick_makes_one_job_a_day_and_the_job_tells(demo, db_session):
    s = db_session
    demo.appoint("volkov")
    term = s.scalar(select(MentorAppointment).where(MentorAppointment.person_id == demo.person_id("volkov")))
    now = datetime.combine(term.ends_on - timedelta(days=10), time(3, 0), tzinfo=UTC)
    table = build_job_table()
    handed = tick(s, table, now)
    tick(s, table, now + timedelta(hours=1))  # the same day: the same job
    jobs = list(s.scalars(select(Job).where(Job.kind == mentor_terms.MENTOR_TERMS)))
    assert [j.key for j in jobs] == [f"mentor_terms:{now.date().isoformat()}"]
    assert jobs[0].id in handed
    run_job(s, table, jobs[0].id, now=now)
    told = _told(s)
    assert told and all("через 10 дней" in n.body for n in told)
