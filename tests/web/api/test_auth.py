"""Bearer tokens only: missing, malformed, unknown, expired or revoked → 401 with WWW-Authenticate;
the browser's session cookie is not accepted; another organization → 403; API POSTs need no CSRF."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.db.models import ApiToken, Person
from engine.db.types import utcnow
from engine.services import api_tokens
from engine.services.actor import SYSTEM
from tests.web.conftest import login


def _assert_401(response, *, invalid: bool):
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) >= {"code", "status", "message"} and body["code"] == 401 and body["status"] == "Unauthorized"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="nastavnik"')
    assert ('error="invalid_token"' in challenge) is invalid
    return body


@pytest.mark.parametrize("path", ["/api/v1/programs", "/api/v1/tasks", "/api/v1/orders/1", "/api/v1/rules"])
def test_no_token(api_world, path):
    body = _assert_401(api_world.get(path), invalid=False)
    assert "Bearer" in body["message"]


def test_no_token_before_validation(api_world):
    _assert_401(api_world.post("/api/v1/pairs", data="not json", content_type="application/json"), invalid=False)


@pytest.mark.parametrize("header", ["Basic Y3VyYXRvcjpzZWNyZXQ=", "Bearer", "Bearer ", "Token nst_abc"])
def test_malformed_header(api_world, header):
    _assert_401(api_world.get("/api/v1/programs", headers={"Authorization": header}), invalid=False)


def test_unknown_token(api_world):
    body = _assert_401(api_world.get("/api/v1/programs", headers={"Authorization": "Bearer nst_forged"}),
                       invalid=True)
    assert body["message"] == "неверный токен API"


def _token_row(world, login_name: str) -> tuple:
    session = world.session_factory()
    person_id = world.ids[login_name]
    return session, session.scalar(select(ApiToken).where(ApiToken.person_id == person_id))


def test_expired_revoked_inactive(api_world):
    session, row = _token_row(api_world, "curator")
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert "истёк" in _assert_401(api_world.get("/api/v1/programs", "curator"), invalid=True)["message"]

    session, row = _token_row(api_world, "head")
    api_tokens.revoke(session, SYSTEM, row.id)
    session.commit()
    assert "отозван" in _assert_401(api_world.get("/api/v1/programs", "head"), invalid=True)["message"]

    session = api_world.session_factory()
    session.get(Person, api_world.ids["methodologist"]).is_active = False
    session.commit()
    _assert_401(api_world.get("/api/v1/programs", "methodologist"), invalid=True)


def test_last_used_is_recorded(api_world):
    assert api_world.get("/api/v1/programs", "volkov").status_code == 200
    session, row = _token_row(api_world, "volkov")
    assert row.last_used_at is not None and utcnow() - row.last_used_at < timedelta(minutes=1)


def test_the_session_cookie_is_not_accepted(api_world):
    client = api_world.client
    assert login(client, "curator").status_code == 302
    assert client.get("/").status_code in (200, 302)  # logged in on the pages
    _assert_401(client.get("/api/v1/programs"), invalid=False)
    _assert_401(client.post("/api/v1/orders/1/sign"), invalid=False)


def test_posts_need_no_csrf_token(api_world):
    assert api_world.app.config["WTF_CSRF_ENABLED"]
    response = api_world.post("/api/v1/rules/mentor_eligibility_tomsk/evaluate", "curator", json={"facts": {}})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("login_name, method, path", [
    ("other_curator", "GET", "/api/v1/orders/{order}"),
    ("other_head", "POST", "/api/v1/orders/{order}/sign"),
    ("other_head", "POST", "/api/v1/tasks/{instance}/{task}/complete"),
    ("other_curator", "POST", "/api/v1/pairs"),
    ("volkov", "GET", "/api/v1/people"),
    ("nobody", "GET", "/api/v1/rules"),
    ("curator", "POST", "/api/v1/workflows/check"),
])
def test_other_organization_or_role_is_403(api_world, login_name, method, path):
    task = api_world.task("head", "sign_order")
    url = path.format(order=api_world.order_id, instance=task["instance_id"], task=task["task_id"])
    body = {"POST": {"json": {"data": {"signed": True}}}}.get(method, {})
    if path == "/api/v1/pairs":
        body = {"json": {"organization_id": api_world.org_id, "mentor_id": api_world.ids["volkov"],
                         "mentee_ids": [api_world.ids["novikova"]]}}
    if "workflows" in path:
        body = {"data": b"<x/>", "content_type": "application/xml"}
    response = api_world.call(method, url, login_name, **body)
    assert response.status_code == 403, response.get_json()
    payload = response.get_json()
    assert payload["code"] == 403 and payload["status"] == "Forbidden" and payload["message"]
    # nothing happened: the order still waits for the head
    assert api_world.get(f"/api/v1/orders/{api_world.order_id}", "head").get_json()["status"] == "awaiting_signature"
