"""The administrator's people through the API: the school system of a department creates a teacher with the facts
the Tomsk rule files read, corrects them, gets her a one-time link, closes and reopens her access — the same
contract and the same permission checks as the pages; refused fields are named."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Organization, Person
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f

TEACHER = {"full_name": "Смирнова Елена Викторовна", "position": "Учитель", "email": "smirnova@school.ru",
           "years_as_head": 6, "efficiency_percent": 85.5, "contest_level": "regional",
           "has_mentorship_certificate": True}


@pytest.fixture
def admin(api_world):
    w = api_world
    with w.session_factory() as session:
        person = f.make_person(session, login="api_admin", full_name="Администратор Департамента",
                               organization_id=w.org_id)
        f.make_role(session, person, session.get(Organization, w.org_id), "admin")
        session.commit()
        w.tokens["api_admin"] = api_tokens.issue(session, SYSTEM, person.id, "тест", timedelta(days=1)).token
        session.commit()
    return w


def test_the_administrator_creates_corrects_and_deactivates_a_teacher(admin):
    w = admin
    created = w.post("/api/v1/people", "api_admin", json={"organization_id": w.org_id, "fields": TEACHER})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["login"] == "smirnova" and body["fields"]["years_as_head"] == 6 and body["has_password"] is False
    person_id = body["id"]
    changed = w.call("PATCH", f"/api/v1/people/{person_id}", "api_admin", json={"fields": {"years_as_head": 7}})
    assert changed.status_code == 200 and changed.get_json()["fields"]["years_as_head"] == 7
    with w.session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.changed",
                                                         AuditEntry.object_id == str(person_id))
                                .order_by(AuditEntry.id.desc())).first()
        assert entry.details["changes"] == [{"field": "years_as_head", "label": entry.details["changes"][0]["label"],
                                             "old": "6 лет", "new": "7 лет"}]
    listed = w.get("/api/v1/people?q=smirnova@", "api_admin").get_json()
    assert [p["id"] for p in listed] == [person_id] and listed[0]["email"] == "smirnova@school.ru"

    link = w.post(f"/api/v1/people/{person_id}/link", "api_admin")
    assert link.status_code == 201 and link.get_json()["purpose"] == "invitation"
    assert "/account/nsl_" in link.get_json()["url"]
    assert w.client.get(link.get_json()["url"].replace("http://localhost", "")).status_code == 200

    closed = w.post(f"/api/v1/people/{person_id}/deactivate", "api_admin")
    assert closed.status_code == 200 and closed.get_json()["is_active"] is False
    assert w.post(f"/api/v1/people/{person_id}/deactivate", "api_admin").status_code == 409
    assert w.get("/api/v1/people?state=deactivated", "api_admin").get_json()[0]["id"] == person_id
    assert w.post(f"/api/v1/people/{person_id}/reactivate", "api_admin").get_json()["is_active"] is True


def test_refused_fields_are_named(admin):
    w = admin
    refused = w.post("/api/v1/people", "api_admin", json={"organization_id": w.org_id, "fields": {
        **TEACHER, "years_as_head": "пять", "efficiency_percent": 140, "unknown": 1}})
    assert refused.status_code == 422
    named = refused.get_json()["errors"]["json"]["fields"]
    assert set(named) == {"years_as_head", "efficiency_percent", "unknown"}
    assert "такого поля нет" in named["unknown"][0]
    with w.session_factory() as session:
        assert session.scalar(select(Person).where(Person.full_name == TEACHER["full_name"])) is None
    assert w.post("/api/v1/people", "api_admin", json={"fields": TEACHER}).status_code == 422  # no organization
    w.post("/api/v1/people", "api_admin", json={"organization_id": w.org_id, "fields": TEACHER})
    taken = w.post("/api/v1/people", "api_admin", json={"organization_id": w.org_id, "fields": {
        "full_name": "Другая", "email": "SMIRNOVA@school.ru"}})
    assert taken.status_code == 422 and "Смирнова Елена Викторовна" in taken.get_json()["errors"]["json"]["fields"][
        "email"][0]


def test_only_administrators_of_the_workplace(admin):
    w = admin
    volkov = w.ids["volkov"]
    for login in ("curator", "head", "nobody", "volkov"):
        assert w.post("/api/v1/people", login, json={}).status_code == 403, login
        assert w.call("PATCH", f"/api/v1/people/{volkov}", login, json={}).status_code == 403, login
        assert w.post(f"/api/v1/people/{volkov}/deactivate", login).status_code == 403, login
    assert w.post("/api/v1/people", "api_admin", json={"organization_id": w.other_org_id,
                                                      "fields": TEACHER}).status_code == 403
    assert w.post("/api/v1/people/2147483647/link", "api_admin").status_code == 404
    staff = w.get("/api/v1/people?page_size=3", "curator").get_json()
    assert "email" not in staff[0]  # staff keep the minimal fields
