"""A former mentor asks to be forgotten (152-ФЗ, ст. 21): the administrator anonymizes the deactivated person.
Their name, e-mail, phone and facts leave the person's row, their tokens and links stop, they cannot log in; the
order they were appointed by still reads their name as signed, and the journals' and orders' chains still verify."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import AccountLink, ApiToken, AuditEntry, Order, Person, RoleAssignment
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError, PermissionDenied
from engine.services.administration.anonymization import anonymize_person
from engine.services.administration.personal_data import export_person
from engine.services.audit.integrity import verify_all
from engine.services.people import accounts, api_tokens
from engine.services.people.actor import SYSTEM, load_actor
from tests import factories as f
from tests.tampering import signed_order_world


@pytest.fixture(autouse=True)
def _own_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SIGNING_DIR", str(tmp_path / "signing"))
    monkeypatch.delenv("NASTAVNIK_SIGNING_KEY", raising=False)


@pytest.fixture
def world(db_session):
    world = signed_order_world(db_session)
    mentor = db_session.get(Person, world["mentor"])
    mentor.email, mentor.phone, mentor.personnel_number = "petrov@school.ru", "+7 913 000-00-00", "T-17"
    mentor.years_as_head, mentor.extra_facts = 7, {"olympiad_coach": True}
    accounts.set_password(mentor, "старый-пароль")
    admin = f.make_person(db_session, login="pd_admin", organization_id=world["department"])
    db_session.add(RoleAssignment(person=admin, organization_id=world["department"], role="admin"))
    db_session.add(AccountLink(person_id=mentor.id, purpose="password_reset", token_sha256="a" * 64,
                               expires_at=utcnow() + timedelta(days=1)))
    db_session.commit()
    world["token"] = api_tokens.issue(db_session, SYSTEM, mentor.id, "Журнал", None).token
    db_session.commit()
    return world


def test_an_active_person_is_refused_until_deactivated(db_session, world):
    admin = load_actor(db_session, "pd_admin")
    with pytest.raises(ConflictError, match="сначала отключите учётную запись"):
        anonymize_person(db_session, admin, world["mentor"], "заявление от 01.12.2026")
    db_session.rollback()
    assert db_session.get(Person, world["mentor"]).full_name == "Петров Пётр Петрович"


def test_after_anonymization_no_trace_of_the_name_yet_the_signed_order_keeps_it(db_session, world):
    mentor = db_session.get(Person, world["mentor"])
    accounts.deactivate(db_session, mentor)
    db_session.commit()
    admin = load_actor(db_session, "pd_admin")
    with pytest.raises(NastavnikError, match="для подтверждения введите ФИО человека точно как в записи"):
        anonymize_person(db_session, admin, mentor.id, "заявление", confirmation="Иванов")
    with pytest.raises(NastavnikError, match="укажите основание обезличивания"):
        anonymize_person(db_session, admin, mentor.id, "   ", confirmation="петров  пётр петрович")
    anonymize_person(db_session, admin, mentor.id, "заявление от 01.12.2026", confirmation="петров  пётр петрович")
    db_session.commit()

    db_session.expire_all()
    mentor = db_session.get(Person, world["mentor"])
    assert mentor.full_name == f"Обезличенный участник №{mentor.id}" and mentor.login == f"anonymized-{mentor.id}"
    assert mentor.anonymized_at is not None and mentor.password_hash is None
    for name in ("email", "phone", "personnel_number", "birth_date", "position", "years_as_head", "extra_facts"):
        assert getattr(mentor, name) is None, name
    assert accounts.authenticate(db_session, f"anonymized-{mentor.id}", "старый-пароль") is None
    assert all(t.revoked_at is not None for t in db_session.scalars(select(ApiToken).where(ApiToken.person_id == mentor.id)))
    assert all(link.revoked_at is not None for link in db_session.scalars(
        select(AccountLink).where(AccountLink.person_id == mentor.id)))
    with pytest.raises(Exception, match="недействителен|не действует|отозван|нет"):
        api_tokens.authenticate(db_session, world["token"])

    order = db_session.get(Order, world["order"])
    assert order.is_signed and "Петров" in order.body  # the name the order was signed with stays
    report = verify_all(db_session)
    assert report.intact, [str(b) for b in report.breaks]

    entry = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "person.anonymized")).one()
    assert entry.details["reason"] == "заявление от 01.12.2026" and entry.object_id == str(mentor.id)
    row = export_person(db_session, SYSTEM, mentor.id).json_text()
    assert "petrov@school.ru" not in row and "+7 913" not in row
    with pytest.raises(ConflictError, match="уже обезличены"):
        anonymize_person(db_session, admin, mentor.id, "ещё раз")


def test_only_the_persons_administrator_may_anonymize(db_session, world):
    mentor = db_session.get(Person, world["mentor"])
    accounts.deactivate(db_session, mentor)
    elsewhere = f.make_department(db_session)
    f.make_role(db_session, f.make_person(db_session, login="far_admin", organization=elsewhere), elsewhere, "admin")
    db_session.commit()
    for login in ("far_admin", world["head"]):
        with pytest.raises(PermissionDenied, match="администратору"):
            anonymize_person(db_session, load_actor(db_session, login), mentor.id, "заявление")
    anonymize_person(db_session, SYSTEM, mentor.id, "заявление (командная строка)")
    db_session.commit()
    assert db_session.get(Person, mentor.id).anonymized_at is not None


def test_a_process_that_keeps_the_name_in_its_data_still_runs_without_it(demo):
    """The mentor appointment keeps the candidate's name in its data (for the order): after the anonymization the
    name is gone from every stored process, and each of them still loads."""
    from engine.db.models import WorkflowInstance
    from engine.services.process import instances

    demo.appoint("volkov")
    volkov = demo.world.people["volkov"]
    holding = demo.session.scalars(select(WorkflowInstance.id).where(
        WorkflowInstance.state.contains(volkov.full_name))).all()
    assert holding, "the appointment process keeps the candidate's name"
    accounts.deactivate(demo.session, volkov)
    anonymize_person(demo.session, SYSTEM, volkov.id, "заявление")
    demo.session.commit()

    assert demo.session.scalars(select(WorkflowInstance.id).where(
        WorkflowInstance.state.contains("Волков Игорь"))).all() == []
    for instance_id in holding:
        assert instances.snapshot(demo.session, instance_id) is not None
        assert f"Обезличенный участник №{volkov.id}" in demo.session.get(WorkflowInstance, instance_id).state
    entry = demo.session.scalars(select(AuditEntry).where(AuditEntry.action == "person.anonymized")).one()
    assert entry.details["processes"] == sorted(holding)


def test_the_notifications_forget_the_person_and_their_waiting_mail_is_never_sent(db_session, world):
    """Their notifications and choices go, their e-mail keeps no address or text, their calendar stops; another
    person's notification naming them names them no more."""
    from engine.db.models import CalendarFeed, Notification, NotificationPreference, OutgoingEmail
    from engine.services.notifications import kinds
    from engine.services.notifications.calendar_feed import issue_feed
    from engine.services.notifications.email_settings import MAIL_KEY, MailSettings
    from engine.services.notifications.outbox import notify

    db_session.info[MAIL_KEY] = MailSettings.from_env({"NASTAVNIK_SMTP_HOST": "127.0.0.1",
                                                        "NASTAVNIK_BASE_URL": "https://nastavnik.example.ru"})
    mentor = db_session.get(Person, world["mentor"])
    curator = f.make_person(db_session, login="pd_curator", email="curator@school.ru")
    db_session.commit()
    notify(db_session, mentor.id, kinds.REPORT_RETURNED, "Отчёт возвращён на доработку", key="anon:1")
    notify(db_session, curator.id, kinds.TASK_ASSIGNED, f"Отчёт наставника {mentor.full_name} ждёт проверки")
    issue_feed(db_session, load_actor(db_session, mentor.login))
    db_session.commit()
    assert db_session.scalars(select(OutgoingEmail).where(OutgoingEmail.person_id == mentor.id)).one().status == "waiting"
    accounts.deactivate(db_session, mentor)
    anonymize_person(db_session, load_actor(db_session, "pd_admin"), mentor.id, "заявление")
    db_session.commit()

    assert db_session.scalars(select(Notification).where(Notification.person_id == mentor.id)).all() == []
    assert db_session.scalars(select(NotificationPreference).where(NotificationPreference.person_id == mentor.id)
                              ).all() == []
    mail = db_session.scalars(select(OutgoingEmail).where(OutgoingEmail.person_id == mentor.id)).one()
    assert (mail.status, mail.to_address, mail.subject) == ("failed", "", "[обезличено]")
    assert "petrov" not in mail.text_body + mail.html_body
    assert db_session.scalars(select(CalendarFeed).where(CalendarFeed.person_id == mentor.id)).one().revoked_at
    told = db_session.scalars(select(Notification).where(Notification.person_id == curator.id)).one()
    assert "Петров" not in told.title and f"Обезличенный участник №{mentor.id}" in told.title
