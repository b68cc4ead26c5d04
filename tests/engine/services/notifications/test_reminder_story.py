"""The whole way of a deadline (issue 13): the stage's reminder timer comes due; the scheduler's tick makes it a job,
the job fires it, the reminder task tells the mentor in the same transaction, his e-mail is queued with it, the next
tick hands the e-mail to its job, and the real SMTP server in this process receives it — with the stage's due date as
the Tomsk department reads it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import Job, JobStatus, Notification, Person
from engine.services.jobs.runner import Outcome, run_job
from engine.services.jobs.scheduler import tick
from engine.services.notifications import kinds
from engine.services.notifications.email_settings import MAIL_KEY
from engine.services.process.domain import domain_of
from tests.mail_server import parts

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
          "декабря")


def _run_due(session, now) -> list[Outcome]:
    jobs = domain_of(session).jobs
    return [run_job(session, jobs, job_id, now=now) for job_id in tick(session, jobs, now, lease=timedelta(0))]


@BOTH
def test_the_reminder_timer_reaches_the_mentors_mailbox_with_the_departments_date(demo, db_session, mail_server):
    s = db_session
    s.info[MAIL_KEY] = mail_server.settings()
    demo.appoint("volkov")
    demo.register("novikova")
    program = demo.form_pair("volkov", "novikova")
    volkov = demo.person_id("volkov")
    s.get(Person, volkov).email = "volkov@school.tomsk.example.ru"
    s.commit()
    due = demo.stage_due(program)
    demo.clock.advance(timedelta(days=17))  # 14 days before the stage's due date: the reminder timer is due
    assert mail_server.messages == []

    assert set(_run_due(s, demo.clock.now())) == {Outcome.DONE}  # the timer's job (and the day's periodic ones)
    assert s.scalars(select(Job.status).where(Job.kind == "fire_timers")).all() == [JobStatus.DONE.value]
    s.expire_all()
    [reminder] = s.scalars(select(Notification).where(Notification.kind == kinds.STAGE_DUE_SOON)).all()
    assert (reminder.person_id, reminder.due_on) == (volkov, due)
    assert reminder.email_state == "pending"
    assert mail_server.messages == []  # the e-mail waits for its own job

    assert _run_due(s, demo.clock.now()) == [Outcome.DONE]  # the e-mail
    [message] = mail_server.messages
    assert message["To"].addresses[0].addr_spec == s.get(Person, volkov).email
    plain, html = parts(message)
    local_date = f"{due.day} {MONTHS[due.month - 1]} {due.year}"
    assert local_date in plain and local_date in html
    assert f"/my/programs/{program.id}" in plain
    assert [(j.kind, j.status, j.run_after) for j in s.scalars(select(Job)) if j.status != JobStatus.DONE.value] == []
    assert _run_due(s, demo.clock.now() + timedelta(hours=1)) == []  # nothing twice
    assert len(mail_server.messages) == 1
