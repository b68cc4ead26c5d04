"""The administrator's people pages: she adds a teacher with the facts the Tomsk rule files read (errors next to
their fields, in Russian), corrects them and sees old → new on the card, issues an invitation link shown once, the
teacher sets her password by it and logs in; a reset stops the old password; deactivation closes the door."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.db.models import AccountLink, Person
from tests.factories import make_person, make_role
from tests.web.conftest import PASSWORD, csrf_token, login, password_hash

NEW_TEACHER = {"full_name": "Смирнова Елена Викторовна", "position": "Учитель", "email": "smirnova@school.ru",
               "years_as_head": "6", "efficiency_percent": "85", "contest_level": "regional",
               "has_mentorship_certificate": "да", "login": ""}


@pytest.fixture
def admin(client, seed, db_session_factory):
    with db_session_factory() as session:
        person = make_person(session, login="admin", full_name="Администратор Департамента",
                             password_hash=password_hash(), organization_id=seed.org.id)
        make_role(session, person, session.merge(seed.org), "admin")
        session.commit()
    login(client, "admin")
    return client


def _post(client, path: str, data: dict, page: str | None = None):
    token = csrf_token(client.get(page or path).text)
    return client.post(path, data={**data, "csrf_token": token})


def _person(db_session_factory, login_name: str) -> Person:
    with db_session_factory() as session:
        person = session.scalar(select(Person).where(Person.login == login_name))
        session.expunge_all()
        return person


def test_the_form_is_generated_from_the_rule_files(admin, seed):
    html = admin.get(f"/admin/people/new?organization_id={seed.org.id}").text
    assert "Стаж работы в должности руководителя" in html  # the Tomsk rule file's label
    assert re.search(r'type="number" id="f-years_as_head" name="years_as_head" value=""\s+min="0"\s+max="70"', html)
    assert '<option value="regional">региональный</option>' in html
    assert 'name="has_mentorship_certificate"' in html and ">неизвестно<" in html
    assert 'type="email"' in html and 'type="tel"' in html


def test_the_administrator_adds_corrects_and_invites_a_teacher(admin, seed, client, db_session_factory):
    path = f"/admin/people/new?organization_id={seed.org.id}"
    refused = _post(admin, path, {**NEW_TEACHER, "years_as_head": "пять", "efficiency_percent": "140"})
    assert refused.status_code == 422
    assert "не число" in refused.text and "вне допустимого диапазона" in refused.text
    assert 'value="пять"' in refused.text  # what was typed stays in the form
    assert _person(db_session_factory, "smirnova") is None
    created = _post(admin, path, NEW_TEACHER)
    assert created.status_code == 302
    person = _person(db_session_factory, "smirnova")
    assert person.years_as_head == 6 and person.contest_level == "regional" and person.password_hash is None
    card = f"/admin/people/{person.id}"
    html = admin.get(card).text
    assert "Смирнова Елена Викторовна" in html and "Человек добавлен" in html and "пароль" in html.lower()
    form = {name: value for name, value in NEW_TEACHER.items() if name != "login"}
    changed = _post(admin, card, {**form, "years_as_head": "7", "organization_id": str(seed.org.id)})
    assert changed.status_code == 302
    html = admin.get(card).text
    assert "Изменены сведения" in html and "6 лет" in html and "7 лет" in html

    issued = _post(admin, f"{card}/link", {}, page=card)
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    url = re.search(r'value="(http://localhost/account/nsl_[^"]+)"', issued.text).group(1)
    assert "Копировать" in issued.text and "один раз" in issued.text
    link = url.replace("http://localhost", "")
    assert url not in admin.get(card).text  # shown once

    teacher = client.application.test_client()
    page = teacher.get(link)
    assert page.status_code == 200 and "smirnova" in page.text
    mismatch = teacher.post(link, data={"password": "длинный-пароль", "confirm": "другой-пароль",
                                        "csrf_token": csrf_token(page.text)})
    assert mismatch.status_code == 422 and "Пароли не совпадают" in mismatch.text
    same = teacher.post(link, data={"password": "smirnova", "confirm": "smirnova",
                                    "csrf_token": csrf_token(page.text)})
    assert same.status_code == 422 and "короче 8" in same.text
    done = teacher.post(link, data={"password": "длинный-пароль", "confirm": "длинный-пароль",
                                    "csrf_token": csrf_token(page.text)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert teacher.get(link).status_code == 410  # one-time
    assert "больше не действует" in teacher.get(link).text or "уже задан" in teacher.get(link).text
    assert login(teacher, "smirnova", "длинный-пароль").status_code == 302

    reset = _post(admin, f"{card}/link", {}, page=card)
    assert "сброс пароля" in reset.text.lower()
    again = client.application.test_client()
    assert login(again, "smirnova", "длинный-пароль").status_code == 422  # the old password stopped at once
    assert teacher.get("/").status_code == 302  # and her session ended


def test_unknown_and_malformed_links_are_russian_404s(client):
    for path in ("/account/nsl_nothing", "/account/" + "x" * 300, "/account/%00"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<html" in response.text


def test_deactivation_closes_the_door_and_reactivation_opens_it(admin, seed, client, db_session_factory):
    mentor = seed.people["mentor"]
    with db_session_factory() as session:
        session.get(Person, mentor.id).organization_id = seed.org.id
        session.commit()
    card = f"/admin/people/{mentor.id}"
    own = client.application.test_client()
    assert login(own, "mentor").status_code == 302
    assert _post(admin, f"{card}/deactivate", {}, page=card).status_code == 302
    assert "доступ закрыт" in admin.get(card).text
    assert own.get("/my").status_code == 302  # the session ended
    assert login(client.application.test_client(), "mentor").status_code == 422
    listed = admin.get("/admin/people?state=deactivated").text
    assert mentor.full_name in listed and mentor.full_name not in admin.get("/admin/people").text
    assert _post(admin, f"{card}/deactivate", {}, page=card).status_code == 409
    assert _post(admin, f"{card}/reactivate", {}, page=card).status_code == 302
    assert login(client.application.test_client(), "mentor", PASSWORD).status_code == 302


def test_the_list_searches_by_name_and_email(admin, seed, db_session_factory):
    with db_session_factory() as session:
        make_person(session, full_name="Орлова Анна", email="orlova@school.ru", organization_id=seed.org.id)
        session.commit()
    assert "Орлова Анна" in admin.get("/admin/people?q=орлова").text
    assert "Орлова Анна" in admin.get("/admin/people?q=ORLOVA@").text
    assert "Орлова Анна" not in admin.get("/admin/people?q=петров").text


def test_other_people_cannot_open_the_pages(client, seed):
    login(client, "curator")
    assert client.get("/admin/people").status_code == 403
    assert client.get(f"/admin/people/{seed.people['mentor'].id}").status_code == 403
    assert client.post(f"/admin/people/{seed.people['mentor'].id}/link").status_code in (400, 403)


def test_links_are_stored_as_digests_only(admin, seed, db_session_factory):
    card = f"/admin/people/{seed.people['mentor'].id}"
    with db_session_factory() as session:
        session.get(Person, seed.people["mentor"].id).organization_id = seed.org.id
        session.commit()
    issued = _post(admin, f"{card}/link", {}, page=card)
    token = re.search(r"/account/(nsl_[^\"]+)", issued.text).group(1)
    with db_session_factory() as session:
        stored = session.scalars(select(AccountLink)).one()
        assert token not in (stored.token_sha256, str(stored.id)) and len(stored.token_sha256) == 64


def test_the_pages_read_in_russian(admin, seed, db_session_factory):
    """No Latin identifier, English phrase or unfilled placeholder on the list, the forms, the card and the link page
    (the logins they show on purpose pass)."""
    from tests.web.visible_text import leaks, visible_text

    path = f"/admin/people/new?organization_id={seed.org.id}"
    _post(admin, path, NEW_TEACHER)
    person = _person(db_session_factory, "smirnova")
    card = f"/admin/people/{person.id}"
    _post(admin, card, {**{k: v for k, v in NEW_TEACHER.items() if k != "login"}, "years_as_head": "8",
                        "organization_id": str(seed.org.id)})
    pages = {"list": admin.get("/admin/people").text, "new": admin.get(path).text, "card": admin.get(card).text,
             "refused": _post(admin, path, {**NEW_TEACHER, "email": "x"}).text,
             "link": _post(admin, f"{card}/link", {}, page=card).text}
    allowed = frozenset({"smirnova", "admin", "school", "ru", "school.ru"})  # logins and the e-mail typed
    found = {name: leaks(visible_text(html), allowed) for name, html in pages.items()}
    assert found == {name: [] for name in pages}


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_guessing_links_is_limited_per_address(app):
    """20 failed link requests a minute from one address, then the Russian 429 — other addresses go on."""
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.0.9.1"
    for attempt in range(20):
        assert guesser.get(f"/account/nsl_guess{attempt}").status_code == 404, attempt
    blocked = guesser.get("/account/nsl_guess-more")
    assert blocked.status_code == 429 and "Traceback" not in blocked.text
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.9.2"
    assert other.get("/account/nsl_guess").status_code == 404


def test_a_fact_added_to_a_rule_file_appears_in_the_form(admin, seed, client):
    """The methodologist declares a new fact in the Tomsk mentor file and deploys it: the administrator's next form
    offers it with its label, unit and limits — no code changed."""
    from engine.regulations import rule_file_paths, shipped_rule_file
    from engine.rules import default_registry

    shipped = shipped_rule_file("mentor_eligibility_tomsk").read_text(encoding="utf-8")
    edited = shipped.replace('version: "1"', 'version: "2"').replace("\nfacts:\n", (
        "\nfacts:\n  olympiad_winners:\n    type: number\n    unit: [победитель, победителя, победителей]\n"
        "    min: 0\n    max: 300\n    label: Подготовлено победителей олимпиад\n"), 1)
    methodologist = client.application.test_client()
    login(methodologist, "methodologist")
    base = "/methodology/rules/mentor_eligibility_tomsk"
    try:
        saved = methodologist.post(base, data={"content": edited, "comment": "новый факт", "base_version": "1",
                                               "csrf_token": csrf_token(methodologist.get(base).text)})
        assert saved.status_code == 302, saved.text
        deployed = methodologist.post(f"{base}/versions/2/deploy",
                                      data={"csrf_token": csrf_token(methodologist.get(base).text)})
        assert deployed.status_code == 302
        html = admin.get(f"/admin/people/new?organization_id={seed.org.id}").text
        assert "Подготовлено победителей олимпиад" in html
        assert re.search(r'name="olympiad_winners" value=""\s+min="0"\s+max="300"', html)
    finally:  # the process's registry: the shipped files for the tests after this one
        for path in rule_file_paths():
            assert default_registry().install(path.read_bytes(), str(path)) == []
