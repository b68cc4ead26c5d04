"""The daily digest: a mentor in Yakutsk who chose «раз в день» gets, at 07:00 where her school is, one e-mail
gathering the day's notifications; once per day however often the sweep runs; what came after the morning's
digest waits for the next one; nothing waiting, no e-mail (engine.services.notifications.email_digest)."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from engine.db.models import EmailState, Job, JobStatus, Notification
from engine.db.types import utcnow
from engine.services.jobs.runner import Outcome, run_job
from engine.services.notifications import kinds
from engine.services.notifications.email_digest import sweep_digests
from engine.services.notifications.email_settings import MAIL_KEY
from engine.services.notifications.outbox import notify
from engine.services.notifications.preferences import set_choices
from engine.services.people.actor import load_actor
from engine.services.process.domain import domain_of
from engine.workflow.clock import to_utc
from tests import factories as f
from tests.mail_server import BASE_URL, parts

YAKUTSK = ZoneInfo("Asia/Yakutsk")


def _run_due(session, now) -> list[str]:
    """Run every waiting job due at ``now`` (as the worker would, oldest first); their kinds."""
    ran = []
    for job in session.scalars(select(Job).where(Job.status == JobStatus.WAITING.value).order_by(Job.id)).all():
        if run_job(session, domain_of(session).jobs, job.id, now=now) is Outcome.DONE:
            ran.append(job.kind)
    return ran


def _jobs(session) -> list[str]:
    return list(session.scalars(select(Job.key).order_by(Job.id)))


def test_the_digest_gathers_a_days_notifications_into_one_email_once(db_session, mail_server):
    db_session.info[MAIL_KEY] = mail_server.settings()
    department = f.make_department(db_session, regulation="yakutsk")
    school = f.make_organization(db_session, parent=department)
    mentor = f.make_person(db_session, full_name="Николаева Сардана Петровна", email="nikolaeva@example.ru",
                           organization_id=school.id)
    db_session.commit()
    set_choices(db_session, load_actor(db_session, mentor.login), mentor.id,
                {kinds.REPORT_ACCEPTED: "digest", kinds.TASK_ASSIGNED: "digest", kinds.STAGE_DUE_SOON: "digest"})
    db_session.commit()
    told = [notify(db_session, mentor.id, kind, title, link=link, organization_id=school.id)
            for kind, title, link in ((kinds.TASK_ASSIGNED, "Новая задача: проверить план", "/tasks/3"),
                                      (kinds.REPORT_ACCEPTED, "Отчёт по этапу «Диагностика» принят", "/programs/7"),
                                      (kinds.STAGE_DUE_SOON, "Через 3 дня срок этапа «Адаптация»", "/programs/8"))]
    db_session.commit()
    assert {n.email_state for n in told} == {EmailState.IN_DIGEST.value}
    assert _jobs(db_session) == []  # nothing is sent at once

    last = max(to_utc(n.created_at) for n in told)
    local = last.astimezone(YAKUTSK)
    seven = local.replace(hour=7, minute=0, second=0, microsecond=0)
    if seven <= local:
        seven += timedelta(days=1)
    digest_at = seven.astimezone(YAKUTSK)  # the next 07:00 in Yakutsk after they came
    day = (digest_at - timedelta(days=1)).date()

    sweep_digests(db_session, digest_at - timedelta(seconds=1))  # 06:59:59: not yet
    assert _jobs(db_session) == []
    sweep_digests(db_session, digest_at + timedelta(minutes=1))
    sweep_digests(db_session, digest_at + timedelta(minutes=2))  # every tick sweeps: still one digest
    db_session.commit()
    assert _jobs(db_session) == [f"digest:{mentor.id}:{day.isoformat()}"]

    assert _run_due(db_session, digest_at + timedelta(minutes=2)) == ["send_digest"]
    assert _run_due(db_session, digest_at + timedelta(minutes=3)) == ["send_email"]
    [message] = mail_server.messages
    heading = f"Сводка уведомлений за {format_date(day, 'd MMMM', locale='ru')}: 3 уведомления"
    assert str(message["Subject"]) == heading
    plain, html = parts(message)
    assert heading in plain and heading in html
    assert plain.index("Новая задача: проверить план") < plain.index("принят") < plain.index("«Адаптация»")
    assert f"{BASE_URL}/tasks/3" in plain and f'href="{BASE_URL}/programs/8"' in html
    assert "якутское время, UTC+9" in plain and "раз в день, в 07:00" in plain
    db_session.expire_all()
    assert {db_session.get(Notification, n.id).email_state for n in told} == {EmailState.SENT.value}

    late = notify(db_session, mentor.id, kinds.REPORT_ACCEPTED, "Отчёт по этапу «Адаптация» принят",
                  organization_id=school.id)  # comes after this morning's digest was gathered
    db_session.commit()
    sweep_digests(db_session, digest_at + timedelta(hours=3))
    db_session.commit()
    assert _run_due(db_session, digest_at + timedelta(hours=3)) == []  # today's digest is done: no second one
    assert db_session.get(Notification, late.id).email_state == EmailState.IN_DIGEST.value

    tomorrow = digest_at + timedelta(days=1)
    sweep_digests(db_session, tomorrow)
    db_session.commit()
    assert _run_due(db_session, tomorrow) == ["send_digest"]
    assert _run_due(db_session, tomorrow) == ["send_email"]
    assert [str(m["Subject"]) for m in mail_server.messages][1] == \
        f"Сводка уведомлений за {format_date(day + timedelta(days=1), 'd MMMM', locale='ru')}: 1 уведомление"

    sweep_digests(db_session, tomorrow + timedelta(days=1))  # nothing waiting: no job, no e-mail
    db_session.commit()
    assert _run_due(db_session, tomorrow + timedelta(days=1)) == []
    assert len(mail_server.messages) == 2


def test_the_digest_hour_is_where_the_person_is(db_session, mail_server):
    """At 07:00 in Yakutsk it is 05:00 in Tomsk: the Yakutsk mentor's digest is due, the Tomsk mentor's not yet."""
    db_session.info[MAIL_KEY] = mail_server.settings()
    people = {}
    for regulation in ("yakutsk", "tomsk"):
        school = f.make_organization(db_session, parent=f.make_department(db_session, regulation=regulation))
        people[regulation] = f.make_person(db_session, email=f"{regulation}@example.ru", organization_id=school.id)
    db_session.commit()
    local = (utcnow() + timedelta(days=1)).astimezone(YAKUTSK)
    yakutsk_seven = local.replace(hour=7, minute=0, second=0, microsecond=0)
    for person in people.values():
        set_choices(db_session, load_actor(db_session, person.login), person.id, {kinds.REPORT_ACCEPTED: "digest"})
        told = notify(db_session, person.id, kinds.REPORT_ACCEPTED, "Отчёт принят",
                      organization_id=person.organization_id)
        told.created_at = yakutsk_seven - timedelta(hours=3)  # 04:00 in Yakutsk, 02:00 in Tomsk
    db_session.commit()
    sweep_digests(db_session, yakutsk_seven + timedelta(minutes=1))
    db_session.commit()
    day = (yakutsk_seven - timedelta(days=1)).date().isoformat()
    assert _jobs(db_session) == [f"digest:{people['yakutsk'].id}:{day}"]
    sweep_digests(db_session, yakutsk_seven + timedelta(hours=2, minutes=1))  # 07:01 in Tomsk
    db_session.commit()
    assert _jobs(db_session)[1:] == [f"digest:{people['tomsk'].id}:{day}"]
