"""Logging in and out: argon2 passwords, no user enumeration, safe redirects, sessions end."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from tests.web.conftest import PASSWORD, csrf_token, login, make_test_app
from web.auth import hash_password, verify_password
from web.db import database


def test_hash_password_is_argon2id_and_salted():
    first, second = hash_password("пароль"), hash_password("пароль")
    assert first.startswith("$argon2id$") and first != second
    assert verify_password(first, "пароль") and not verify_password(first, "Пароль")
    assert PasswordHasher().verify(first, "пароль")
    assert not verify_password(None, "пароль") and not verify_password("not-a-hash", "пароль")


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/inbox")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/inbox")


def test_anonymous_home_goes_to_login_and_pages_explain_why(client):
    assert client.get("/").headers["Location"] == "/login"
    client.get("/inbox")
    assert "Войдите, чтобы продолжить." in client.get("/login").text


def test_curator_logs_in_and_lands_on_inbox(client):
    response = login(client, "curator")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/inbox"
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert "Кузнецова Анна Сергеевна" in inbox.text
    assert "Согласовать наставническую пару" in inbox.text


def test_wrong_password_and_unknown_login_look_the_same(client):
    wrong = login(client, "curator", "не тот пароль")
    unknown = login(client, "no_such_person", PASSWORD)
    assert wrong.status_code == unknown.status_code == 422
    assert "Неверный логин или пароль." in wrong.text
    strip = lambda html: html.replace(csrf_token(html), "").replace("no_such_person", "curator")  # noqa: E731
    assert strip(wrong.text) == strip(unknown.text)
    assert client.get("/inbox").status_code == 302  # still not logged in


def test_inactive_person_cannot_log_in(client):
    response = login(client, "inactive")
    assert response.status_code == 422 and "Неверный логин или пароль." in response.text


def test_empty_form_shows_field_messages(client):
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 422
    assert "Введите логин" in response.text and "Введите пароль" in response.text


def test_next_is_followed_only_within_the_site(client):
    page = client.get("/login")
    token = csrf_token(page.text)
    ok = client.post("/login?next=/inbox", data={"login": "curator", "password": PASSWORD, "csrf_token": token})
    assert ok.headers["Location"] == "/inbox"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        token = csrf_token(client.get("/login").text)
        response = client.post(f"/login?next={evil}",
                               data={"login": "curator", "password": PASSWORD, "csrf_token": token})
        assert response.headers["Location"] == "/", evil
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})


def test_logout_ends_the_session(client):
    login(client, "curator")
    page = client.get("/inbox")
    response = client.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "Вы вышли из системы." in client.get("/login").text
    assert client.get("/inbox").status_code == 302


def kept_cookie(app, client):
    """Another browser holding a copy of ``client``'s session cookie (as an attacker who copied it would)."""
    cookie = client.get_cookie("nastavnik_session")
    other = app.test_client()
    other.set_cookie("nastavnik_session", cookie.value, domain=cookie.domain)
    return other


def test_a_cookie_kept_from_before_logout_is_no_longer_a_session(app, client, seed):
    from sqlalchemy import select

    from engine.db.models import AuditEntry

    login(client, "curator")
    copy = kept_cookie(app, client)
    assert copy.get("/inbox").status_code == 200  # the copy works while the session lives
    elsewhere = app.test_client()
    login(elsewhere, "curator")  # the same person in a second browser
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})
    assert copy.get("/inbox").status_code == 302  # ended on the server, not only in this browser
    assert elsewhere.get("/inbox").status_code == 302  # logout ends the person's sessions everywhere
    assert copy.get("/api/v1/programs").status_code == 401
    login(client, "curator")
    assert client.get("/inbox").status_code == 200  # a new login is a new session
    assert copy.get("/inbox").status_code == 302
    with database(app).session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.actor_id == seed.people["curator"].id).order_by(AuditEntry.id)).all()
    assert actions == ["auth.login", "auth.login", "auth.logout", "auth.login"]


def test_a_password_change_and_deactivation_end_sessions_and_stop_api_tokens(app, client, seed):
    from datetime import timedelta

    from engine.db.models import Person
    from engine.services.people import accounts, api_tokens
    from engine.services.people.actor import SYSTEM

    login(client, "curator")
    other = app.test_client()
    login(other, "head")
    with database(app).session_factory() as session:
        token = api_tokens.issue(session, SYSTEM, seed.people["head"].id, "журнал", timedelta(days=1)).token
        session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert other.get("/api/v1/programs", headers=bearer).status_code == 200
    with database(app).session_factory() as session:
        accounts.set_password(session.get(Person, seed.people["curator"].id), "новый пароль 2026")
        accounts.deactivate(session, session.get(Person, seed.people["head"].id))
        session.commit()
    assert client.get("/inbox").status_code == 302
    assert other.get("/inbox").status_code == 302
    assert other.get("/api/v1/programs", headers=bearer).status_code == 401
    assert login(client, "curator", "новый пароль 2026").status_code == 302


def test_logout_needs_csrf_token(client):
    login(client, "curator")
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/inbox").status_code == 200  # still logged in


def test_changing_the_password_ends_other_sessions(client, app, seed):
    from engine.db.models import Person

    login(client, "curator")
    assert client.get("/inbox").status_code == 200
    with database(app).session_factory() as session:
        session.get(Person, seed.people["curator"].id).password_hash = hash_password("новый пароль")
        session.commit()
    assert client.get("/inbox").status_code == 302


def test_login_is_audited(client, app, seed):
    from sqlalchemy import select

    from engine.db.models import AuditEntry

    login(client, "curator")
    with database(app).session_factory() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.actor_id == seed.people["curator"].id)).all()
    assert actions == ["auth.login"]


def from_address(app, address: str, forwarded_for: str | None = None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_failed_logins_are_limited_per_account_from_any_address_and_look_the_same_for_unknown_logins(app):
    client = app.test_client()
    for _ in range(3):  # successful logins are not counted
        assert login(client, "curator").status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/inbox").text)})
    for attempt in range(10):  # ten wrong passwords for one account, each from another address
        assert login(from_address(app, f"10.0.1.{attempt}"), " Curator ", "wrong").status_code == 422, attempt
        assert login(from_address(app, f"10.0.2.{attempt}"), "no_such_person", "wrong").status_code == 422
    blocked = login(from_address(app, "10.0.3.1"), "curator")  # even the right password waits now
    unknown = login(from_address(app, "10.0.3.2"), "no_such_person")
    assert blocked.status_code == unknown.status_code == 429
    assert "Слишком много неудачных попыток входа" in blocked.text and "Traceback" not in blocked.text
    strip = lambda html: html.replace(csrf_token(html), "") if 'name="csrf_token"' in html else html  # noqa: E731
    assert strip(blocked.text) == strip(unknown.text)  # a limited account looks like a limited unknown login
    assert login(from_address(app, "10.0.1.1"), "head").status_code == 302  # other accounts are not affected


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_failed_logins_are_limited_per_address_across_accounts(db_url, db_engine, seed):
    app = make_test_app(db_url, LOGIN_FAILURES_PER_ADDRESS="5 per minute")
    sprayer = from_address(app, "10.0.0.66")
    for attempt, name in enumerate(("curator", "head", "mentor", "mentee", "nobody")):
        assert login(sprayer, name, "wrong").status_code == 422, attempt
    assert login(sprayer, "methodologist").status_code == 429
    assert login(from_address(app, "10.0.0.7"), "methodologist").status_code == 302


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(db_url, db_engine, seed):
    proxied = make_test_app(db_url, TRUSTED_PROXIES=1, LOGIN_FAILURES_PER_ADDRESS="5 per minute")
    for name in ("curator", "head", "mentor", "mentee", "nobody", "other_curator"):
        login(from_address(proxied, "192.168.0.1", "203.0.113.9"), name, "wrong")
    assert login(from_address(proxied, "192.168.0.1", "203.0.113.9"), "methodologist").status_code == 429
    # the proxy's address is everyone's: another client behind it logs in
    assert login(from_address(proxied, "192.168.0.1", "203.0.113.10"), "methodologist").status_code == 302
    direct = make_test_app(db_url, LOGIN_FAILURES_PER_ADDRESS="5 per minute")  # no proxy trusted: the header
    for attempt, name in enumerate(("curator", "head", "mentor", "mentee", "nobody")):  # cannot dodge the limit
        login(from_address(direct, "198.51.100.5", f"203.0.113.{attempt}"), name, "wrong")
    assert login(from_address(direct, "198.51.100.5", "203.0.113.99"), "methodologist").status_code == 429


@pytest.mark.parametrize("evil", ["/inbox%0d%0aSet-Cookie:%20x=1", "/%0a/evil.example", "/inbox%09", "/x%00y"])
def test_next_with_control_characters_lands_home_instead_of_failing(client, evil):
    token = csrf_token(client.get("/login").text)
    response = client.post(f"/login?next={evil}", data={"login": "curator", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Set-Cookie: x" not in str(response.headers) and "x=1" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_two_processes_share_the_login_counters_through_redis(db_url, db_engine, seed):
    import uuid

    import redis

    prefix = f"nastavnik-test-{uuid.uuid4().hex}"
    config = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "RATELIMIT_KEY_PREFIX": prefix}
    first, second = make_test_app(db_url, **config), make_test_app(db_url, **config)  # two server processes
    try:
        for attempt in range(10):
            app = (first, second)[attempt % 2]
            assert login(from_address(app, f"10.0.4.{attempt}"), "curator", "wrong").status_code == 422
        assert login(from_address(first, "10.0.5.1"), "curator").status_code == 429
        assert login(from_address(second, "10.0.5.2"), "curator").status_code == 429
    finally:
        server = redis.Redis.from_url("redis://127.0.0.1:6379")
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)
        server.close()
