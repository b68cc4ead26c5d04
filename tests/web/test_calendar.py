"""The curator subscribes her calendar to her deadlines: she issues the address on «Календарь сроков» (shown once),
her calendar fetches it without logging in (text/calendar, no cookie), a new address or «Отключить» ends the old
one with a Russian 404 (web/views/calendar.py)."""
from __future__ import annotations

import re

from icalendar import Calendar
from sqlalchemy import select

from engine.db.models import CalendarFeed
from tests.web.conftest import csrf_token, login
from web.db import database

ADDRESS = re.compile(r'id="feed-url" type="text" value="(http://localhost/calendar/(nsc_[\w-]+)\.ics)"')


def _issue(client) -> tuple[str, str]:
    page = client.get("/calendar")
    response = client.post("/calendar/issue", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 200
    match = ADDRESS.search(response.text)
    assert match, response.text
    assert "webcal://localhost/calendar/" in response.text
    return match.group(1), match.group(2)


def test_the_curator_issues_an_address_and_her_calendar_reads_it(app, client, seed, db_session):
    login(client, "curator")
    page = client.get("/calendar")
    assert page.status_code == 200
    assert "Адрес ещё не выдан" in page.text and "Добавить по URL" in page.text and "Яндекс Календарь" in page.text
    assert "Получить согласие наставляемого" in page.text  # her task with a due date, in «Что будет в календаре»
    assert "Согласовать наставническую пару" not in page.text  # no due date: not a deadline

    url, token = _issue(client)
    stored = db_session.scalars(select(CalendarFeed.token_sha256)).all()
    assert len(stored) == 1 and token not in stored[0]
    again = client.get("/calendar").text
    assert token not in again and "повторно не показывается" in again and "Выдать новый адрес" in again

    calendar_client = app.test_client()  # a calendar program: no login
    feed = calendar_client.get(url)
    assert feed.status_code == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in feed.headers
    assert "private" in feed.headers["Cache-Control"] and feed.headers.get("ETag")
    parsed = Calendar.from_ical(feed.data)
    assert parsed.calendar_name == "Наставник — сроки (Кузнецова Анна Сергеевна)"
    summaries = {str(event["SUMMARY"]) for event in parsed.walk("VEVENT")}
    assert "Получить согласие наставляемого" in summaries
    assert "Проверить отчёт чужой организации" not in summaries
    assert calendar_client.get(url, headers={"If-None-Match": feed.headers["ETag"]}).status_code == 304


def test_a_new_address_or_switching_off_ends_the_old_one(app, client, seed):
    login(client, "mentor")
    first_url, _token = _issue(client)
    second_url, _token = _issue(client)
    calendar_client = app.test_client()
    gone = calendar_client.get(first_url)
    assert gone.status_code == 404 and gone.mimetype == "text/plain"
    assert "такого календаря нет" in gone.text and "Set-Cookie" not in gone.headers
    assert calendar_client.get(second_url).status_code == 200

    page = client.get("/calendar")
    response = client.post("/calendar/revoke", data={"csrf_token": csrf_token(page.text)}, follow_redirects=True)
    assert "Календарь отключён" in response.text and "Адрес ещё не выдан" in response.text
    assert calendar_client.get(second_url).status_code == 404
    assert calendar_client.get("/calendar/nsc_guessed.ics").text == gone.text  # the same answer for any bad one


def test_the_page_needs_a_login_and_a_forged_form_changes_nothing(app, client, seed, db_session):
    assert client.get("/calendar").status_code == 302
    login(client, "head")
    response = client.post("/calendar/issue", data={})  # no CSRF token: another site's form
    assert response.status_code == 400 and "<html lang=\"ru\">" in response.text
    assert db_session.scalars(select(CalendarFeed)).all() == []


def test_guessing_addresses_is_rate_limited(app, seed):
    from tests.web.conftest import make_test_app

    limited = make_test_app(app.config["DATABASE_URL"], CALENDAR_FEED_FAILURES_PER_ADDRESS="3 per minute")
    try:
        visitor = limited.test_client()
        statuses = [visitor.get(f"/calendar/nsc_guess{n}.ics").status_code for n in range(5)]
        assert statuses == [404, 404, 404, 429, 429]
    finally:
        database(limited).dispose()
