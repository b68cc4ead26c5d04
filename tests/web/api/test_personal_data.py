"""Another school system answers a 152-ФЗ request through the API: the person's own token reads their data, the
administrator's token reads it and anonymizes the deactivated person; the OpenAPI document describes both."""
from __future__ import annotations

import pytest

from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.factories import make_person, make_role


@pytest.fixture
def tokens(seed, db_session_factory) -> dict[str, str]:
    session = db_session_factory()
    try:
        admin = make_person(session, login="dep_admin", organization_id=seed.org.id)
        make_role(session, admin, session.merge(seed.org), "admin")
        session.flush()
        found = {login: api_tokens.issue(session, SYSTEM, person_id, "проверка", None).token
                 for login, person_id in (("dep_admin", admin.id), ("mentor", seed.people["mentor"].id),
                                          ("other_curator", seed.people["other_curator"].id))}
        session.commit()
        return found
    finally:
        session.close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_export_for_oneself_and_the_administrator_only(client, seed, tokens):
    mentor_id = seed.people["mentor"].id
    own = client.get(f"/api/v1/people/{mentor_id}/personal-data", headers=_auth(tokens["mentor"]))
    assert own.status_code == 200 and own.json["person"]["full_name"] == "Смирнова Ольга Ивановна"
    assert own.json["sections"]["roles"]["rows"][0]["role"] == "mentor"
    assert client.get(f"/api/v1/people/{mentor_id}/personal-data", headers=_auth(tokens["dep_admin"])).status_code == 200
    other = client.get(f"/api/v1/people/{mentor_id}/personal-data", headers=_auth(tokens["other_curator"]))
    assert other.status_code == 403 and "администратору" in other.json["message"]


def test_anonymize_a_deactivated_person_through_the_api(client, seed, tokens):
    inactive = seed.people["inactive"].id
    path = f"/api/v1/people/{inactive}/anonymize"
    assert client.post(path, json={"reason": "заявление"}, headers=_auth(tokens["dep_admin"])).status_code == 422
    wrong = client.post(path, json={"reason": "заявление", "full_name": "Иванов"}, headers=_auth(tokens["dep_admin"]))
    assert wrong.status_code == 422 and "ФИО" in wrong.json["message"]
    done = client.post(path, json={"reason": "заявление", "full_name": "Уволен Уволенович"},
                       headers=_auth(tokens["dep_admin"]))
    assert done.status_code == 200 and done.json["full_name"] == f"Обезличенный участник №{inactive}"
    again = client.post(path, json={"reason": "заявление", "full_name": done.json["full_name"]},
                        headers=_auth(tokens["dep_admin"]))
    assert again.status_code == 409
    active = client.post(f"/api/v1/people/{seed.people['mentor'].id}/anonymize",
                         json={"reason": "заявление", "full_name": "Смирнова Ольга Ивановна"},
                         headers=_auth(tokens["dep_admin"]))
    assert active.status_code == 409 and "сначала отключите" in active.json["message"]


def test_the_openapi_document_describes_the_operations(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/people/{person_id}/personal-data"]
    assert "requestBody" in paths["/api/v1/people/{person_id}/anonymize"]["post"]
