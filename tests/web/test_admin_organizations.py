"""The administrator's pages: the department's administrator sees the tree, creates a school under it with its
document settings (a wrong one is named under its field, nothing stored), edits it and sees the order's heading as
its documents will read it, then gives and takes back a role; the last administrator of the root cannot remove
their own role; nobody else reaches these pages."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.db.models import AuditEntry, Organization, Person, RoleAssignment
from tests.factories import make_person, make_role
from tests.web.conftest import csrf_token, login, password_hash


@pytest.fixture
def admins(seed, db_session_factory):
    with db_session_factory() as session:
        admin = make_person(session, login="admin", full_name="Администраторова Анна Петровна",
                            organization_id=seed.org.id, password_hash=password_hash())
        make_role(session, admin, session.get(Organization, seed.org.id), "admin")
        for key in ("mentor", "mentee"):  # they work in the department
            session.get(Person, seed.people[key].id).organization_id = seed.org.id
        session.commit()
        return {"admin": admin.id}


def _form(page_text: str, **data) -> dict:
    return {"csrf_token": csrf_token(page_text), **data}


def test_the_department_administrator_builds_a_school(client, seed, admins, db_session_factory):
    login(client, "admin")
    home = client.get("/admin")
    assert home.status_code == 200
    assert "Департамент образования г. Томска" in home.text or "ДО Томска" in home.text
    assert "СОШ № 8" in home.text and "Администрирование" in home.text
    page = client.get(f"/admin/organizations/new?parent={seed.org.id}")
    assert page.status_code == 200 and "общеобразовательная организация" in page.text
    refused = client.post("/admin/organizations/new", data=_form(
        page.text, parent_id=seed.org.id, name="МАОУ СОШ № 40 г. Томска", kind="school", inn="7707083894",
        document_kind="РАСПОРЯЖЕНИЕ", number_suffix="1р", time_zone="", place=""))
    assert refused.status_code == 422
    assert "неверное контрольное число ИНН" in refused.text and "не начинается с цифры" in refused.text
    with db_session_factory() as session:
        assert session.scalar(select(Organization).where(Organization.name.like("%СОШ № 40%"))) is None
    created = client.post("/admin/organizations/new", data=_form(
        page.text, parent_id=seed.org.id, name="МАОУ СОШ № 40 г. Томска", short_name="СОШ № 40", kind="school",
        inn="7707083893", document_kind="РАСПОРЯЖЕНИЕ", number_suffix="р", time_zone="", place="г. Томск"))
    assert created.status_code == 302
    shown = client.get(created.headers["Location"])
    assert "РАСПОРЯЖЕНИЕ № 1р" in shown.text and "г. Томск" in shown.text
    assert "МАОУ СОШ № 40 Г. ТОМСКА" in shown.text  # the header from the name
    edited = client.post(created.headers["Location"], data=_form(
        shown.text, name="МАОУ СОШ № 40 г. Томска", short_name="Школа № 40", kind="school", inn="7707083893",
        document_kind="ПРИКАЗ", number_suffix="", issuer_lines="ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ\nМАОУ СОШ № 40",
        time_zone="Asia/Tomsk", place="г. Томск"), follow_redirects=True)
    assert "Изменения сохранены" in edited.text and "ПРИКАЗ № 1" in edited.text
    assert "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ" in edited.text
    assert "Краткое наименование: «СОШ № 40» → «Школа № 40»" in edited.text  # the history: who, when, old → new
    assert "Администраторова Анна Петровна" in edited.text and "Организация создана" in edited.text
    with db_session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "organization.changed")).one()
        changed = {c["field"]: c for c in entry.details["changes"]}
        assert changed["short_name"]["old"] == "СОШ № 40" and changed["short_name"]["new"] == "Школа № 40"


def test_roles_given_and_taken_back(client, seed, admins, db_session_factory):
    login(client, "admin")
    page = client.get(f"/admin/organizations/{seed.org.id}/roles")
    assert page.status_code == 200 and "Администратор" in page.text and "Куратор" in page.text
    mentor_id = seed.people["mentor"].id
    granted = client.post(f"/admin/organizations/{seed.org.id}/roles",
                          data=_form(page.text, person_id=mentor_id, role="methodologist"), follow_redirects=True)
    assert "назначена роль «Методист»" in granted.text
    again = client.post(f"/admin/organizations/{seed.org.id}/roles",
                        data=_form(page.text, person_id=mentor_id, role="methodologist"))
    assert again.status_code == 409 and "уже имеет роль" in again.text
    with db_session_factory() as session:
        assignment = session.scalar(select(RoleAssignment).where(RoleAssignment.person_id == mentor_id,
                                                                 RoleAssignment.role == "methodologist"))
        own = session.scalar(select(RoleAssignment).where(RoleAssignment.person_id == admins["admin"]))
        assignment_id, own_id = assignment.id, own.id
    revoked = client.post(f"/admin/organizations/{seed.org.id}/roles/{assignment_id}/revoke",
                          data=_form(page.text), follow_redirects=True)
    assert "роль «Методист» снята" in revoked.text
    locked = client.post(f"/admin/organizations/{seed.org.id}/roles/{own_id}/revoke", data=_form(page.text))
    assert locked.status_code == 409 and "последняя роль администратора" in locked.text


def test_nobody_else_reaches_the_administration(client, seed, admins):
    login(client, "curator")
    assert client.get("/admin").status_code == 403
    assert client.get(f"/admin/organizations/{seed.org.id}").status_code == 403
    assert "Администрирование" not in client.get("/inbox").text
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})
    login(client, "admin")
    assert client.get(f"/admin/organizations/{seed.other_org.id}").status_code == 403
    assert client.get(f"/admin/organizations/{seed.other_org.id}/roles").status_code == 403
    assert 'href="/admin"' in client.get("/admin").text


def test_the_administrator_sets_the_dates_the_mentors_report_by(client, seed, admins, db_session_factory):
    """003 п. 3: «до 10 июня, 10 декабря» are the pack's; the department's administrator moves one, a day that does
    not exist is named under the field, the change is in the history."""
    login(client, "admin")
    path = f"/admin/organizations/{seed.org.id}"
    page = client.get(path)
    assert "Календарь отчётов наставников" in page.text and "Пусто — как в положении: 10.06, 10.12." in page.text
    details = {"name": "Департамент образования г. Томска", "short_name": "ДО Томска", "kind": "department",
               "document_kind": "ПРИКАЗ", "time_zone": "", "place": ""}
    wrong = client.post(path, data=_form(page.text, **details, report_dates="10.06, 31.02"))
    assert wrong.status_code == 422
    field = wrong.text.split('id="report_dates"')[1].split("</div>")[0]
    assert "«31.02»: такой даты нет — в феврале 28 дней" in field
    with db_session_factory() as session:
        assert session.get(Organization, seed.org.id).report_dates is None
    saved = client.post(path, data=_form(page.text, **details, report_dates="25.06; 10.12"), follow_redirects=True)
    assert "Изменения сохранены: Даты отчётов наставников." in saved.text
    assert 'value="25.06, 10.12"' in saved.text
    assert "Даты отчётов наставников: «—» → «25.06, 10.12»" in saved.text
    with db_session_factory() as session:
        assert session.get(Organization, seed.org.id).report_dates == ["06-25", "12-10"]
    client.post(path, data=_form(page.text, **details, report_dates=""))  # empty: the pack's again
    with db_session_factory() as session:
        assert session.get(Organization, seed.org.id).report_dates is None
