"""CSRF on every form, cookie flags, security headers, secret key."""
from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, csrf_token, login, make_test_app
from web import create_app
from web.db import database


def test_login_without_csrf_token_is_refused_with_a_russian_page(client):
    response = client.post("/login", data={"login": "curator", "password": PASSWORD})
    assert response.status_code == 400
    assert "Форма устарела или пришла без защитного токена" in response.text
    assert "Traceback" not in response.text
    assert client.get("/inbox").status_code == 302


def test_login_with_a_forged_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"login": "curator", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400


def test_every_form_carries_a_csrf_token(client):
    assert 'name="csrf_token"' in client.get("/login").text
    login(client, "curator")
    assert 'name="csrf_token"' in client.get("/inbox").text  # the logout form


def test_session_cookie_flags(client):
    response = login(client, "curator")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("nastavnik_session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
    assert "secure" in flags and "httponly" in flags
    assert flags["samesite"].lower() == "samesite=lax"
    assert "expires" in flags  # a login lasts PERMANENT_SESSION_LIFETIME, not forever


def test_session_cookie_secure_can_be_turned_off(db_url, db_engine, seed):
    app = make_test_app(db_url, SESSION_COOKIE_SECURE=False)
    try:
        response = login(app.test_client(), "curator")
        cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("nastavnik_session="))
        assert "secure" not in cookie.lower() and "httponly" in cookie.lower()
    finally:
        database(app).dispose()


def test_security_headers(client):
    for path in ("/login", "/no-such-page", "/static/app.css"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_pages_use_no_external_resources(client):
    login(client, "curator")
    html = client.get("/inbox").text
    assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_secret_key_defaults(db_url, monkeypatch):
    monkeypatch.delenv("NASTAVNIK_SECRET_KEY", raising=False)
    first, second = create_app({"DATABASE_URL": db_url}), create_app({"DATABASE_URL": db_url})
    assert len(first.secret_key) >= 32 and first.secret_key != second.secret_key
    assert first.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("NASTAVNIK_SECRET_KEY", "from-the-environment")
    assert create_app({"DATABASE_URL": db_url}).secret_key == "from-the-environment"
    for app in (first, second):
        database(app).dispose()


def test_csrf_token_of_another_session_is_refused(app):
    thief, victim = app.test_client(), app.test_client()
    stolen = csrf_token(thief.get("/login").text)
    victim.get("/login")
    response = victim.post("/login", data={"login": "curator", "password": PASSWORD, "csrf_token": stolen})
    assert response.status_code == 400


DEEP_JSON = '{"content": ' + "[" * 5000 + "]" * 5000 + "}"


def test_a_deeply_nested_json_body_gets_a_russian_400_on_the_api_and_the_pages(app, client, seed, db_session_factory):
    from datetime import timedelta

    from engine.services.people import api_tokens
    from engine.services.people.actor import SYSTEM

    with db_session_factory() as session:
        token = api_tokens.issue(session, SYSTEM, seed.people["curator"].id, "проба", timedelta(days=1)).token
        session.commit()
    response = client.post("/api/v1/pairs", data=DEEP_JSON, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400 and response.is_json
    assert "вложено слишком глубоко" in response.get_json()["message"]
    shallow = client.post("/api/v1/pairs", data='{"mentor_id": [[[1]]]}', content_type="application/json",
                          headers={"Authorization": f"Bearer {token}"})
    assert shallow.status_code == 422  # an ordinary body is the schema's to judge
    login(client, "methodologist")
    page_token = csrf_token(client.get("/methodology/rules/mentor_eligibility_tomsk").text)
    page = client.post("/methodology/rules/mentor_eligibility_tomsk/validate", data=DEEP_JSON,
                       content_type="application/json", headers={"X-CSRFToken": page_token})
    assert page.status_code == 400 and "вложено слишком глубоко" in page.text and "Traceback" not in page.text
