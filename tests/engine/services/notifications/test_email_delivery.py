"""A notification reaches the mailbox over a real SMTP server (aiosmtpd in this process): the mentor of a school
in Yakutsk gets the stage reminder with the due date and the time where the school is, a working absolute link,
plain text and HTML, a Russian subject; sent once however often its job is run; a server that refuses makes the
job retry with backoff and, finally, an incident — the notification stays in the app, nothing is lost, nothing
is sent twice, and retrying the incident delivers it (engine.services.notifications.email_delivery)."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from engine.db.models import EmailState, Job, JobStatus, Notification, OutgoingEmail, OutgoingEmailStatus
from engine.db.types import utcnow
from engine.errors import NastavnikError
from engine.services.jobs.runner import Outcome, run_job
from engine.services.notifications import email_delivery, kinds
from engine.services.notifications.email_settings import MAIL_KEY, MailSettings
from engine.services.notifications.outbox import notify
from engine.services.process.domain import domain_of
from engine.workflow.clock import to_utc
from tests import factories as f
from tests.mail_server import BASE_URL, MailServer, parts

YAKUTSK = ZoneInfo("Asia/Yakutsk")


def _mentor_in_yakutsk(session):
    department = f.make_department(session, regulation="yakutsk", name="Управление образования г. Якутска")
    school = f.make_organization(session, parent=department, name="МОБУ СОШ № 5 г. Якутска")
    mentor = f.make_person(session, full_name="Николаева Сардана Петровна", email="nikolaeva@school5.example.ru",
                           organization_id=school.id)
    session.commit()
    return school, mentor


def _remind(session, school, mentor, key="due_soon:7:diagnosis"):
    made = notify(session, mentor.id, kinds.STAGE_DUE_SOON, "Через 3 дня срок этапа «Диагностика»",
                  body="Программа наставничества: Николаева С. П. — Егоров А. В.", link="/programs/7/stages/diagnosis",
                  organization_id=school.id, due_on=date(2026, 12, 9), key=key)
    session.commit()
    assert made is not None
    return made


def _job_of(session, outgoing_id: int) -> Job:
    return session.scalars(select(Job).where(Job.key == f"email:{outgoing_id}")).one()


def test_the_stage_reminder_arrives_once_with_the_schools_date_and_a_working_link(db_session, mail_server):
    db_session.info[MAIL_KEY] = mail_server.settings()
    school, mentor = _mentor_in_yakutsk(db_session)
    notification = _remind(db_session, school, mentor)
    assert notification.email_state == EmailState.PENDING.value
    outgoing = db_session.get(OutgoingEmail, notification.outgoing_email_id)
    job = _job_of(db_session, outgoing.id)
    assert mail_server.messages == []  # queued with the step, sent by the job

    now = utcnow()
    assert run_job(db_session, domain_of(db_session).jobs, job.id, now=now) is Outcome.DONE
    [message] = mail_server.messages
    assert str(message["Subject"]) == "Через 3 дня срок этапа «Диагностика»"
    assert "=?utf-8?" in mail_server.handler.envelopes[0].original_content.decode().lower()  # RFC 2047 on the wire
    assert message["From"].addresses[0].display_name == "Наставник"
    assert message["From"].addresses[0].addr_spec == "nastavnik@example.ru"
    assert str(message["To"]) == "nikolaeva@school5.example.ru"
    assert message["Message-ID"] == outgoing.message_id and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    link = f"{BASE_URL}/programs/7/stages/diagnosis"
    assert "Здравствуйте, Николаева Сардана Петровна!" in plain
    assert "Срок: 9 декабря 2026 г." in plain and "Срок: 9 декабря 2026 г." in html
    assert link in plain and f'href="{link}"' in html
    local = to_utc(notification.created_at).astimezone(YAKUTSK)
    assert f"{local:%H:%M} (якутское время, UTC+9)" in plain  # when it was told, where the school is
    assert f"{BASE_URL}/notifications/settings" in plain and f'href="{BASE_URL}/notifications/settings"' in html
    assert "«Скоро срок этапа программы»" in plain

    db_session.expire_all()
    assert db_session.get(OutgoingEmail, outgoing.id).status == OutgoingEmailStatus.SENT.value
    told = db_session.get(Notification, notification.id)
    assert told.email_state == EmailState.SENT.value and told.emailed_at is not None
    assert told.read_at is None  # in the app it is still unread

    assert run_job(db_session, domain_of(db_session).jobs, job.id, now=now + timedelta(hours=1)) \
        is Outcome.NOT_CLAIMED
    email_delivery.send_email(db_session, db_session.get(Job, job.id), now)  # even the handler itself: a sent row
    db_session.rollback()
    assert len(mail_server.messages) == 1  # never twice


def test_html_is_escaped_and_mail_off_leaves_notifications_in_the_app(db_session, mail_server):
    school, mentor = _mentor_in_yakutsk(db_session)
    off = _remind(db_session, school, mentor, key="off")  # the session's domain: no SMTP host in the environment
    assert off.email_state == EmailState.NOT_WANTED.value and off.outgoing_email_id is None
    assert db_session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    assert db_session.scalar(select(func.count()).select_from(Job)) == 0

    db_session.info[MAIL_KEY] = mail_server.settings()
    made = notify(db_session, mentor.id, kinds.REPORT_RETURNED, "Отчёт возвращён: <b>доработать</b> & «выводы»",
                  body="Комментарий: <script>alert(1)</script>", link="/programs/7", organization_id=school.id)
    db_session.commit()
    outgoing = db_session.get(OutgoingEmail, made.outgoing_email_id)
    assert run_job(db_session, domain_of(db_session).jobs, _job_of(db_session, outgoing.id).id) is Outcome.DONE
    [message] = mail_server.messages
    plain, html = parts(message)
    assert str(message["Subject"]) == "Отчёт возвращён: <b>доработать</b> & «выводы»"
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;доработать&lt;/b&gt; &amp; «выводы»" in html
    assert "Комментарий: <script>alert(1)</script>" in plain  # plain text is plain


def test_a_refusing_server_means_retries_with_backoff_then_an_incident_and_nothing_lost(
        db_session, refusing_mail_server):
    db_session.info[MAIL_KEY] = refusing_mail_server.settings()
    school, mentor = _mentor_in_yakutsk(db_session)
    notification = _remind(db_session, school, mentor)
    outgoing_id = notification.outgoing_email_id
    job_id = _job_of(db_session, outgoing_id).id
    jobs = domain_of(db_session).jobs

    moment, waits = utcnow(), []
    for attempt in range(1, 5):
        assert run_job(db_session, jobs, job_id, now=moment) is Outcome.RETRY
        job = db_session.get(Job, job_id)
        assert job.attempts == attempt and job.status == JobStatus.WAITING.value
        assert "почтовый сервер 127.0.0.1" in job.last_error and "отказал" in job.last_error
        assert "451 4.3.0 Mailbox temporarily unavailable" in job.last_error  # the server's own reply, quoted
        waits.append(to_utc(job.run_after) - moment)
        assert run_job(db_session, jobs, job_id, now=moment + waits[-1] - timedelta(seconds=1)) \
            is Outcome.NOT_CLAIMED  # not before its time
        moment += waits[-1]
    assert waits == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert run_job(db_session, jobs, job_id, now=moment) is Outcome.INCIDENT
    assert refusing_mail_server.handler.refusals == 5

    db_session.expire_all()
    job = db_session.get(Job, job_id)
    assert job.status == JobStatus.INCIDENT.value and job.attempts == 5
    assert db_session.get(OutgoingEmail, outgoing_id).status == OutgoingEmailStatus.FAILED.value
    kept = db_session.get(Notification, notification.id)
    assert kept.email_state == EmailState.FAILED.value and kept.read_at is None  # still in the app, unread
    assert run_job(db_session, jobs, job_id, now=moment + timedelta(days=1)) is Outcome.NOT_CLAIMED

    admin = f.make_person(db_session, email="admin@example.ru", organization_id=school.id)
    db_session.commit()
    about = notify(db_session, admin.id, kinds.JOB_INCIDENT, "Письмо не доставлено: инцидент", key="incident:1")
    db_session.commit()  # mail is failing: the incident is told in the app only, no e-mail to fail again
    assert about.email_state == EmailState.NOT_WANTED.value and about.outgoing_email_id is None
    assert db_session.scalar(select(func.count()).select_from(OutgoingEmail)) == 1

    with MailServer() as working:  # the server is fixed; a person retries the incident
        db_session.info[MAIL_KEY] = working.settings()
        job.status, job.attempts, job.run_after = JobStatus.WAITING.value, 0, moment
        db_session.commit()
        assert run_job(db_session, jobs, job_id, now=moment) is Outcome.DONE
        assert run_job(db_session, jobs, job_id, now=moment + timedelta(hours=1)) is Outcome.NOT_CLAIMED
        [message] = working.messages
        assert message["Message-ID"] == db_session.get(OutgoingEmail, outgoing_id).message_id
    db_session.expire_all()
    assert db_session.get(OutgoingEmail, outgoing_id).status == OutgoingEmailStatus.SENT.value
    assert db_session.get(Notification, notification.id).email_state == EmailState.SENT.value
    again = notify(db_session, admin.id, kinds.JOB_INCIDENT, "Сбой фоновой работы", key="incident:2")
    assert again.email_state == EmailState.PENDING.value  # mail works again: incidents are e-mailed


def test_settings_are_read_once_and_a_wrong_one_is_refused_by_name():
    assert not MailSettings.from_env({}).enabled
    on = MailSettings.from_env({"NASTAVNIK_SMTP_HOST": "smtp.example.ru", "NASTAVNIK_SMTP_SECURITY": "ssl",
                                "NASTAVNIK_BASE_URL": "https://nastavnik.example.ru/"})
    assert (on.port, on.from_address, on.base_url) == (465, "nastavnik@nastavnik.example.ru",
                                                       "https://nastavnik.example.ru")
    assert on.absolute("/programs/7") == "https://nastavnik.example.ru/programs/7"
    for wrong, where in (({"NASTAVNIK_SMTP_SECURITY": "tls"}, "NASTAVNIK_SMTP_SECURITY"),
                         ({"NASTAVNIK_SMTP_PORT": "семь"}, "NASTAVNIK_SMTP_PORT"),
                         ({"NASTAVNIK_BASE_URL": ""}, "NASTAVNIK_BASE_URL"),
                         ({"NASTAVNIK_SMTP_FROM": "Наставник <a@b>"}, "NASTAVNIK_SMTP_FROM")):
        env = {"NASTAVNIK_SMTP_HOST": "smtp.example.ru", "NASTAVNIK_BASE_URL": "https://n.example.ru", **wrong}
        with pytest.raises(NastavnikError) as refused:
            MailSettings.from_env(env)
        assert refused.value.where == where


def test_a_person_deactivated_after_the_step_is_not_mailed(db_session, mail_server):
    db_session.info[MAIL_KEY] = mail_server.settings()
    school, mentor = _mentor_in_yakutsk(db_session)
    notification = _remind(db_session, school, mentor)
    mentor.is_active = False
    db_session.commit()
    job = _job_of(db_session, notification.outgoing_email_id)
    assert run_job(db_session, domain_of(db_session).jobs, job.id) is Outcome.DONE
    assert mail_server.messages == []
    db_session.expire_all()
    assert db_session.get(OutgoingEmail, notification.outgoing_email_id).status == OutgoingEmailStatus.FAILED.value
    assert db_session.get(Notification, notification.id).email_state == EmailState.FAILED.value
