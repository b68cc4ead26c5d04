"""``/api/v1/people/import``: the pages' contract over the API — preview with an upload id and a digest (nothing
written), confirm, the template; refusals as JSON with the problems named; administrators only."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Person
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests import factories as f


@pytest.fixture
def admin_token(api_world, tmp_path) -> str:
    api_world.app.config["STAFF_IMPORT_FOLDER"] = str(tmp_path / "imports")
    with api_world.session_factory() as session:
        from engine.db.models import Organization

        admin = f.make_person(session, login="api_admin", full_name="Администратор API")
        f.make_role(session, admin, session.get(Organization, api_world.org_id), "admin")
        token = api_tokens.issue(session, SYSTEM, admin.id, "импорт", timedelta(days=1)).token
        session.commit()
    return token


def people_and_audit(api_world) -> tuple[int, int]:
    with api_world.session_factory() as session:
        return (session.scalar(select(func.count()).select_from(Person)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def post_file(api_world, token: str, data: bytes, name: str = "staff.csv", organization_id=None):
    return api_world.client.post("/api/v1/people/import", headers={"Authorization": f"Bearer {token}"},
                                 data={"organization_id": str(organization_id or api_world.org_id),
                                       "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


CSV = ("ФИО,Электронная почта,Табельный номер\r\n"
       "Зайцева Ольга Игоревна,zaitseva@school.ru,Т-1\r\n"
       "Гусев Павел Андреевич,gusev@school.ru,Т-2\r\n").encode("utf-8-sig")


def test_preview_then_confirm_then_the_same_file_changes_nothing(api_world, admin_token):
    before = people_and_audit(api_world)
    shown = post_file(api_world, admin_token, CSV)
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert body["counts"] == {"created": 2, "changed": 0, "unchanged": 0, "problem_rows": 0}
    assert len(body["upload_id"]) == 64 and body["format"] == "csv"
    assert people_and_audit(api_world) == before
    done = api_world.client.post(f"/api/v1/people/import/{body['upload_id']}/confirm",
                                 headers={"Authorization": f"Bearer {admin_token}"},
                                 json={"organization_id": api_world.org_id, "digest": body["digest"]})
    assert done.status_code == 200 and done.get_json()["created"] == 2
    again = post_file(api_world, admin_token, CSV).get_json()
    assert again["counts"] == {"created": 0, "changed": 0, "unchanged": 2, "problem_rows": 0}


def test_a_stale_digest_is_a_conflict_and_writes_nothing(api_world, admin_token):
    body = post_file(api_world, admin_token, CSV).get_json()
    before = people_and_audit(api_world)
    stale = api_world.client.post(f"/api/v1/people/import/{body['upload_id']}/confirm",
                                  headers={"Authorization": f"Bearer {admin_token}"},
                                  json={"organization_id": api_world.org_id, "digest": "0" * 64})
    assert stale.status_code == 409 and "изменились" in stale.get_json()["message"]
    assert people_and_audit(api_world) == before


def test_a_refused_file_names_its_problems_in_json(api_world, admin_token):
    refused = post_file(api_world, admin_token, "ФИО;Стаж\nИванов;5\n".encode(), "staff.csv")
    assert refused.status_code == 422
    body = refused.get_json()
    assert "столбец B «Стаж»: такого поля нет — возможно, «Стаж работы" in body["message"]
    assert any("нет столбца «Электронная почта» или «Табельный номер»" in p["message"]
               for p in body["errors"]["problems"])


def test_the_template_and_who_may_import(api_world, admin_token):
    xlsx = api_world.client.get(f"/api/v1/people/import/template?format=xlsx&organization_id={api_world.org_id}",
                                headers={"Authorization": f"Bearer {admin_token}"})
    assert xlsx.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(xlsx.data)).sheetnames == ["Сотрудники", "Справка"]
    assert post_file(api_world, api_world.tokens["curator"], CSV).status_code == 403
    assert post_file(api_world, admin_token, CSV, organization_id=api_world.other_org_id).status_code == 403


def test_an_upload_over_the_server_limit_is_a_json_413(api_world, admin_token):
    before = people_and_audit(api_world)
    huge = post_file(api_world, admin_token, b"x" * (50 * 1024 * 1024))
    assert huge.status_code == 413 and huge.get_json()["message"] == "Файл больше 10 МБ: разделите его на части."
    assert people_and_audit(api_world) == before
