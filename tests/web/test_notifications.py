"""The bell and «Уведомления» (issue 13): a person sees the count of their unread notifications on every page (none
shown at 0, «99+» above 99), lists them newest first with the moment in the organization's time zone, marks one or
all read, opens one (read, then its page — never another site), chooses per kind how it is e-mailed; only their
own. The same through the API."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from engine.db import paging
from engine.db.models import Notification, NotificationPreference
from engine.services.notifications import kinds
from engine.services.notifications.outbox import notify
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.web.conftest import csrf_token, login

BELL = re.compile(r'<span class="bell__count" data-count="(\d+)">([^<]+)</span>')


def _tell(db_session_factory, seed, person: str, count: int, **extra) -> list[int]:
    session = db_session_factory()
    try:
        start = datetime(2025, 3, 1, 20, 30, tzinfo=UTC)
        ids = []
        for n in range(count):
            made = notify(session, seed.people[person].id, kinds.REPORT_RETURNED, f"Отчёт возвращён № {n + 1}",
                          body=f"Комментарий куратора № {n + 1}", organization_id=seed.org.id,
                          link=extra.get("link", "/my/programs/7"), key=f"test:{person}:{n}")
            assert made is not None
            made.created_at = start + timedelta(minutes=n)
            ids.append(made.id)
        session.commit()
        return ids
    finally:
        session.close()


def _bell(html: str) -> tuple[int, str] | None:
    found = BELL.search(html)
    return (int(found.group(1)), found.group(2)) if found else None


def test_the_bell_counts_my_unread_and_hides_at_zero(client, seed, db_session_factory):
    login(client, seed.login_of("mentor"))
    page = client.get("/notifications/settings").text  # any page of the app
    assert 'id="bell"' in page and _bell(page) is None and "Уведомления: новых нет" in page
    _tell(db_session_factory, seed, "mentor", 3)
    _tell(db_session_factory, seed, "curator", 2)  # not mine
    listing = client.get("/notifications")
    assert _bell(listing.text) == (3, "3")
    assert "3 новых уведомления" in listing.text and "Уведомления: 3 новых" in listing.text


def test_the_bell_caps_at_99_and_plural_forms_agree(client, seed, db_session_factory):
    _tell(db_session_factory, seed, "mentor", 101)
    login(client, seed.login_of("mentor"))
    page = client.get("/notifications").text
    assert _bell(page) == (100, "99+") and "101 новое уведомление" in page  # the bell reads 100 of them at most
    assert "Уведомления: более 99 новых" in page
    assert page.count('data-notification="') == 20  # a page of twenty
    assert "Страница 1 из 6" in page
    second = client.get("/notifications?page=6").text
    assert second.count('data-notification="') == 1 and "Отчёт возвращён № 1<" in second  # the oldest last


def test_a_long_list_is_counted_up_to_its_bound_and_says_more(client, seed, db_session_factory, monkeypatch):
    monkeypatch.setattr(paging, "LIST_BOUND", 30)  # a department's curator has hundreds of thousands
    _tell(db_session_factory, seed, "mentor", 45)
    login(client, seed.login_of("mentor"))
    page = client.get("/notifications").text
    assert "Более 30 новых уведомлений" in page and "Непрочитанные (более 30)" in page
    assert "Страница 1<" in page and "Страница 1 из" not in page and 'rel="next"' in page
    assert "В конец" not in page  # the list is not read from its end
    second = client.get("/notifications?page=2").text
    assert second.count('data-notification="') == 20  # counted up to its offset + the bound: all 45 now
    assert "Страница 2 из 3" in second and "45 новых уведомлений" in second


def test_the_list_is_newest_first_in_the_organizations_time_zone_and_marks_read(client, seed, db_session_factory):
    first, second = _tell(db_session_factory, seed, "mentor", 2)
    login(client, seed.login_of("mentor"))
    page = client.get("/notifications").text
    assert page.index("Отчёт возвращён № 2") < page.index("Отчёт возвращён № 1")
    assert "Комментарий куратора № 1" in page
    assert "02.03.2025 03:30" in page  # 20:30 UTC is 03:30 next day in Tomsk (UTC+7)
    assert "2 новых уведомления" in page
    response = client.post(f"/notifications/{first}/read", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    page = client.get("/notifications").text
    assert "1 новое уведомление" in page and _bell(page) == (1, "1")
    unread = client.get("/notifications?unread=1").text
    assert f'data-notification="{second}"' in unread and f'data-notification="{first}"' not in unread
    client.post("/notifications/read-all", data={"csrf_token": csrf_token(page)})
    page = client.get("/notifications").text
    assert _bell(page) is None and "Новых уведомлений нет" in page


def test_opening_marks_read_and_goes_only_to_a_page_of_this_site(client, seed, db_session_factory):
    [local] = _tell(db_session_factory, seed, "mentor", 1)
    session = db_session_factory()
    outside = notify(session, seed.people["mentor"].id, kinds.TASK_ASSIGNED, "Чужая ссылка",
                     link="//evil.example/steal", key="test:evil")
    session.commit()
    outside_id = outside.id
    session.close()
    login(client, seed.login_of("mentor"))
    token = csrf_token(client.get("/notifications").text)
    opened = client.post(f"/notifications/{local}/open", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"] == "/my/programs/7"
    evil = client.post(f"/notifications/{outside_id}/open", data={"csrf_token": token})
    assert evil.headers["Location"] == "/"
    session = db_session_factory()
    assert all(n.read_at is not None for n in session.scalars(select(Notification)))
    session.close()


def test_another_persons_notification_is_refused(client, seed, db_session_factory):
    [theirs] = _tell(db_session_factory, seed, "curator", 1)
    login(client, seed.login_of("mentor"))
    token = csrf_token(client.get("/notifications").text)
    assert client.post(f"/notifications/{theirs}/read", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/notifications/{theirs}/open", data={"csrf_token": token}).status_code == 403
    assert client.post("/notifications/999999/read", data={"csrf_token": token}).status_code == 404
    assert "Отчёт возвращён" not in client.get("/notifications").text
    session = db_session_factory()
    assert session.get(Notification, theirs).read_at is None
    session.close()


def test_settings_choose_per_kind_and_refuse_a_wrong_choice(client, seed, db_session_factory):
    login(client, seed.login_of("mentor"))
    page = client.get("/notifications/settings")
    assert page.status_code == 200 and "Отчёт принят" in page.text and "раз в день (сводка)" in page.text
    token = csrf_token(page.text)
    saved = client.post("/notifications/settings", data={"csrf_token": token, kinds.REPORT_RETURNED: "digest",
                                                         kinds.STAGE_DUE_SOON: "none"})
    assert saved.status_code == 302
    session = db_session_factory()
    rows = {(p.kind, p.email) for p in session.scalars(select(NotificationPreference))}
    session.close()
    assert rows == {(kinds.REPORT_RETURNED, "digest"), (kinds.STAGE_DUE_SOON, "none")}
    wrong = client.post("/notifications/settings", data={"csrf_token": token, kinds.REPORT_RETURNED: "weekly"})
    assert wrong.status_code == 422 and "выберите «сразу», «раз в день» или «не присылать»" in wrong.text


def test_the_api_lists_marks_and_sets_choices(client, seed, db_session_factory):
    first, second = _tell(db_session_factory, seed, "mentor", 2)
    [theirs] = _tell(db_session_factory, seed, "curator", 1)
    session = db_session_factory()
    token = api_tokens.issue(session, SYSTEM, seed.people["mentor"].id, "тест", timedelta(days=1)).token
    session.commit()
    session.close()
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/notifications", headers=headers)
    assert listed.status_code == 200 and [n["id"] for n in listed.json] == [second, first]
    assert listed.json[0]["link"] == "/my/programs/7" and listed.json[0]["read_at"] is None
    assert client.post(f"/api/v1/notifications/{first}/read", headers=headers).json["read_at"] is not None
    assert [n["id"] for n in client.get("/api/v1/notifications?unread=true", headers=headers).json] == [second]
    assert client.post(f"/api/v1/notifications/{theirs}/read", headers=headers).status_code == 403
    assert client.post("/api/v1/notifications/read-all", headers=headers).json == {"marked": 1, "unread": 0}
    choices = client.get("/api/v1/notifications/preferences", headers=headers).json["choices"]
    assert choices[kinds.REPORT_ACCEPTED] == "digest" and choices[kinds.TASK_ASSIGNED] == "immediate"
    put = client.put("/api/v1/notifications/preferences", json={"choices": {kinds.TASK_ASSIGNED: "none"}},
                     headers=headers)
    assert put.status_code == 200 and put.json["choices"][kinds.TASK_ASSIGNED] == "none"
    bad = client.put("/api/v1/notifications/preferences", json={"choices": {"weekly_news": "none"}},
                     headers=headers)
    assert bad.status_code == 422
