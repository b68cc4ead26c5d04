"""Bearer tokens only: missing, malformed, unknown, expired or revoked → 401 with WWW-Authenticate;
the browser's session cookie is not accepted; another organization → 403; API POSTs need no CSRF."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.db.models import ApiToken, Person
from engine.db.types import utcnow
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import login


def _assert_401(response, *, invalid: bool):
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) >= {"code", "status", "message"} and body["code"] == 401 and body["status"] == "Unauthorized"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="nastavnik"')
    assert ('error="invalid_token"' in challenge) is invalid
    return body


def test_missing_malformed_or_unknown_token(api_world):
    for path in ["/api/v1/programs", "/api/v1/tasks", "/api/v1/orders/1", "/api/v1/rules"]:
        body = _assert_401(api_world.get(path), invalid=False)
        assert "Bearer" in body["message"]
    # before any validation of the body
    _assert_401(api_world.post("/api/v1/pairs", data="not json", content_type="application/json"), invalid=False)
    for header in ["Basic Y3VyYXRvcjpzZWNyZXQ=", "Bearer", "Bearer ", "Token nst_abc"]:
        _assert_401(api_world.get("/api/v1/programs", headers={"Authorization": header}), invalid=False)
    body = _assert_401(api_world.get("/api/v1/programs", headers={"Authorization": "Bearer nst_forged"}),
                       invalid=True)
    assert body["message"] == "неверный токен API"


def _token_row(session, world, login_name: str) -> ApiToken:
    return session.scalar(select(ApiToken).where(ApiToken.person_id == world.ids[login_name]))


def test_expired_revoked_inactive(api_world):
    with api_world.session_factory() as session:
        _token_row(session, api_world, "curator").expires_at = utcnow() - timedelta(seconds=1)
        api_tokens.revoke(session, SYSTEM, _token_row(session, api_world, "head").id)
        session.get(Person, api_world.ids["methodologist"]).is_active = False
        session.commit()
    assert "истёк" in _assert_401(api_world.get("/api/v1/programs", "curator"), invalid=True)["message"]
    assert "отозван" in _assert_401(api_world.get("/api/v1/programs", "head"), invalid=True)["message"]
    _assert_401(api_world.get("/api/v1/programs", "methodologist"), invalid=True)
    assert api_world.get("/api/v1/programs", "volkov").status_code == 200  # the others still work


def test_last_used_is_recorded(api_world):
    assert api_world.get("/api/v1/programs", "volkov").status_code == 200
    with api_world.session_factory() as session:
        row = _token_row(session, api_world, "volkov")
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


def test_other_organization_or_role_is_403(api_world):
    w = api_world
    task = w.task("head", "sign_order")
    pair = {"organization_id": w.org_id, "mentor_id": w.ids["volkov"], "mentee_ids": [w.ids["novikova"]]}
    cases = [
        ("other_curator", "GET", f"/api/v1/orders/{w.order_id}", {}),
        ("other_head", "POST", f"/api/v1/orders/{w.order_id}/sign", {}),
        ("other_head", "POST", f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}/complete",
         {"json": {"data": {"signed": True}}}),
        ("other_curator", "POST", "/api/v1/pairs", {"json": pair}),
        ("volkov", "GET", "/api/v1/people", {}),
        ("curator", "POST", "/api/v1/workflows/deploy", {"data": b"<x/>", "content_type": "application/xml"}),
        # the role is checked before the body: no 422 for someone who may not act at all
        ("head", "POST", "/api/v1/pairs", {"json": {}}),
        ("curator", "POST", f"/api/v1/orders/{w.order_id}/refuse", {"json": {}}),
        ("volkov", "POST", f"/api/v1/tasks/{task['instance_id']}/{task['task_id']}/complete",
         {"json": {"data": "not an object"}}),
    ]
    for login_name, method, url, body in cases:
        response = w.call(method, url, login_name, **body)
        assert response.status_code == 403, (login_name, url, response.get_json())
        payload = response.get_json()
        assert payload["code"] == 403 and payload["status"] == "Forbidden" and payload["message"]
    # nothing happened: the order still waits for the head, no pair was proposed
    assert w.get(f"/api/v1/orders/{w.order_id}", "head").get_json()["status"] == "awaiting_signature"
    assert len(w.get("/api/v1/pairs", "curator").get_json()) == 1
