"""With e-mail on, the administrator's invitation goes to the teacher's mailbox (a real SMTP server in this
process): the page says where it went and shows no link; the e-mail's link opens the set-password page, sets the
password, and the teacher logs in; once sent, the token is gone from the stored e-mail. A reset likewise; a person
without an address still gets the link shown to the administrator (engine.services.administration.account_links,
engine.services.notifications.email_delivery)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from engine.db.models import Job, OutgoingEmail
from engine.db.types import utcnow
from engine.services.jobs.runner import Outcome, run_job
from tests.factories import make_person
from tests.mail_server import MailServer, parts
from tests.web.conftest import csrf_token, login
from tests.web.test_admin_people import admin  # noqa: F401 - the department's administrator, logged in
from web.db import database

BASE_URL = "http://localhost"  # the test client's address: the e-mail's link opens in it


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def app_config(mail_server):
    return {"MAIL": mail_server.settings(base_url=BASE_URL)}


def _issue(client, person_id: int):
    card = f"/admin/people/{person_id}"
    token = csrf_token(client.get(card).text)
    return client.post(f"{card}/link", data={"csrf_token": token})


def _send_waiting(app, db_engine) -> list[int]:
    """Run the waiting e-mail jobs as the worker would (sessions of the app's domain: its e-mail settings)."""
    with database(app).domain.session_factory(db_engine)() as session:
        ids = list(session.scalars(select(Job.id).where(Job.kind == "send_email", Job.status == "waiting")))
        for job_id in ids:
            assert run_job(session, database(app).domain.jobs, job_id, now=utcnow()) is Outcome.DONE
        return ids


def _stored(db_session_factory) -> list[OutgoingEmail]:
    with db_session_factory() as session:
        rows = list(session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))
        session.expunge_all()
        return rows


def test_the_invitation_goes_by_email_and_its_link_sets_the_password(admin, seed, app, db_engine, mail_server,
                                                                      db_session_factory):
    with db_session_factory() as session:
        teacher = make_person(session, login="smirnova", full_name="Смирнова Елена Викторовна",
                              email="smirnova@school.ru", organization_id=seed.org.id)
        session.commit()
        teacher_id = teacher.id

    issued = _issue(admin, teacher_id)
    assert issued.status_code == 200
    assert "отправлена письмом на адрес smirnova@school.ru" in issued.text
    assert "/account/nsl_" not in issued.text and "Копировать" not in issued.text  # the administrator never sees it
    [waiting] = _stored(db_session_factory)
    assert waiting.purpose == "invitation" and not waiting.secret_scrubbed
    assert re.search(r"/account/nsl_", waiting.text_body)  # kept only until it is sent
    assert mail_server.messages == []  # sent by the job, after the commit

    assert len(_send_waiting(app, db_engine)) == 1
    [message] = mail_server.messages
    assert str(message["Subject"]) == "Приглашение в «Наставник»: задайте пароль"
    assert str(message["To"]) == "smirnova@school.ru"
    plain, html = parts(message)
    url = re.search(r"http://localhost/account/nsl_[A-Za-z0-9_\-]+", plain).group(0)
    assert f'href="{url}"' in html and "Ваш логин: smirnova." in plain

    [sent] = _stored(db_session_factory)
    token = url.rsplit("/", 1)[1]
    assert sent.status == "sent" and sent.secret_scrubbed
    assert token not in sent.text_body and token not in sent.html_body
    assert "[ссылка удалена после отправки]" in sent.text_body

    teacher_client = admin.application.test_client()
    path = urlsplit(url).path
    page = teacher_client.get(path)
    assert page.status_code == 200 and "smirnova" in page.text
    done = teacher_client.post(path, data={"password": "длинный-пароль", "confirm": "длинный-пароль",
                                           "csrf_token": csrf_token(page.text)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert login(teacher_client, "smirnova", "длинный-пароль").status_code == 302

    reset = _issue(admin, teacher_id)
    assert "сброс пароля" in reset.text.lower() and "smirnova@school.ru" in reset.text
    _send_waiting(app, db_engine)
    assert str(mail_server.messages[1]["Subject"]) == "«Наставник»: пароль сброшен, задайте новый"
    assert len(mail_server.messages) == 2 and not _send_waiting(app, db_engine)  # nothing sent twice


def test_without_an_address_the_link_is_shown_to_the_administrator(admin, seed, db_session_factory, mail_server):
    with db_session_factory() as session:
        teacher = make_person(session, login="orlova", full_name="Орлова Анна Павловна", email=None,
                              organization_id=seed.org.id)
        session.commit()
        teacher_id = teacher.id
    issued = _issue(admin, teacher_id)
    assert re.search(r'value="http://localhost/account/nsl_[^"]+"', issued.text) and "Копировать" in issued.text
    assert _stored(db_session_factory) == [] and mail_server.messages == []
