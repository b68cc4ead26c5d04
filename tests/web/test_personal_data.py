"""The administrator answers a 152-ФЗ request on the person's page of personal data: reads everything stored,
downloads it as JSON, and anonymizes a deactivated person after typing their name; a person downloads their own
data at «/my/personal-data»; nobody else sees it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Person
from tests.factories import make_person, make_role
from tests.web.conftest import csrf_token, login, password_hash


@pytest.fixture
def admin(seed, db_session_factory):
    session = db_session_factory()
    try:
        person = make_person(session, login="dep_admin", full_name="Администратор Департамента",
                             password_hash=password_hash(), organization_id=seed.org.id)
        make_role(session, person, session.merge(seed.org), "admin")
        session.commit()
        return person.login
    finally:
        session.close()


def _url(seed, key: str, tail: str = "personal-data") -> str:
    return f"/admin/people/{seed.people[key].id}/{tail}"


def test_the_administrator_reads_downloads_and_anonymizes_a_deactivated_person(client, seed, admin,
                                                                              db_session_factory):
    login(client, admin)
    page = client.get(_url(seed, "inactive"))
    assert page.status_code == 200 and "Уволен Уволенович" in page.text and "Роли в организациях" in page.text
    assert "Обезличить данные" in page.text
    download = client.get(_url(seed, "inactive", "personal-data.json"))
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert json.loads(download.text)["person"]["full_name"] == "Уволен Уволенович"

    refused = client.post(_url(seed, "inactive", "anonymize"), data={
        "csrf_token": csrf_token(page.text), "reason": "заявление от 01.12.2026", "confirmation": "Кто-то другой"})
    assert refused.status_code == 422 and "введите ФИО человека точно как в записи" in refused.text
    done = client.post(_url(seed, "inactive", "anonymize"), data={
        "csrf_token": csrf_token(page.text), "reason": "заявление от 01.12.2026", "confirmation": "уволен уволенович"},
        follow_redirects=True)
    person_id = seed.people["inactive"].id
    assert done.status_code == 200 and f"Обезличенный участник №{person_id}" in done.text
    assert "Персональные данные обезличены" in done.text and "Данные уже обезличены" in done.text
    session = db_session_factory()
    try:
        assert session.get(Person, person_id).login == f"anonymized-{person_id}"
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(person_id))).all()[-1:] \
            == ["person.data_exported"]  # the page shown after the anonymization is an export too
    finally:
        session.close()


def test_an_active_person_is_not_anonymized(client, seed, admin):
    login(client, admin)
    page = client.get(_url(seed, "mentor"))
    assert "сначала отключите учётную запись" in page.text and "Обезличить данные" not in page.text
    response = client.post(_url(seed, "mentor", "anonymize"), data={
        "csrf_token": csrf_token(page.text), "reason": "заявление", "confirmation": "Смирнова Ольга Ивановна"})
    assert response.status_code == 409 and "сначала отключите учётную запись" in response.text


def test_a_person_downloads_their_own_data_and_not_others(client, seed):
    login(client, "mentor")
    page = client.get("/my/personal-data")
    assert page.status_code == 200 and "Смирнова Ольга Ивановна" in page.text and "Обезличивание" not in page.text
    assert json.loads(client.get("/my/personal-data.json").text)["person"]["login"] == "mentor"
    assert client.get(_url(seed, "mentee")).status_code == 403
    assert client.get(_url(seed, "mentor")).status_code == 403  # the administrator's page, even for oneself
