"""The school's administrator moves the days of the curator's calendar (001 §2.4: monitoring «до 20 декабря и до
20 мая»; the base review by 15 September) on the organization's page and through ``PATCH
/api/v1/organizations/<id>``: each entry shown with the pack's label, clause and day; 31.02 named under its field and
nothing stored; the change in the history; the curator's monitoring page shows the dates in force. Only the
organization's administrator may (web/views/admin.py, engine.regulations.calendar_days)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.db.models import Organization
from engine.services.curation import calendar
from engine.services.people import api_tokens
from engine.services.people.actor import SYSTEM
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import app_on_clock, csrf_token, login, password_hash

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
DETAILS = {"name": "МАОУ Кунарская СОШ", "short_name": "Кунарская СОШ", "kind": "school", "document_kind": "ПРИКАЗ",
           "time_zone": "", "place": ""}


@pytest.fixture
def school(db_session_factory):
    """A school on the pack «school», its calendar started; its administrator and curator log in."""
    session = db_session_factory()
    world = PackWorld(session, "school", START, name="МАОУ Кунарская СОШ", short_name="Кунарская СОШ")
    admin = world.person("Белова Анна Сергеевна", "admin", position="специалист", password_hash=password_hash())
    world.curator.password_hash = password_hash()
    calendar.start_calendar(session, world.actor(world.curator), world.organization.id)
    tokens = {person.login: api_tokens.issue(session, SYSTEM, person.id, "тест", timedelta(days=1)).token
              for person in (admin, world.curator)}
    session.commit()
    yield world, admin, tokens
    session.close()


@pytest.fixture
def app(db_url, db_engine, seed, school):
    with app_on_clock(db_url, school[0].clock) as application:
        yield application


def _field(html: str, entry_id: str) -> str:
    return html.split(f'id="calendar_day_{entry_id}"')[1].split("</div>")[0]


@SQLITE
def test_the_administrator_moves_the_december_monitoring_on_the_page(client, school, db_session_factory):
    world, admin, _tokens = school
    login(client, admin.login)
    path = f"/admin/organizations/{world.organization.id}"
    page = client.get(path)
    assert page.status_code == 200 and "Календарь куратора: мониторинг и сверка базы" in page.text
    assert "Мониторинг и оценка результатов реализации системы наставничества (до 20 декабря)" in page.text
    assert "По положению: 20.12 (001 §2.4)." in page.text and "По положению: 15.09 (001 не задаёт)." in page.text
    assert 'value="20.12"' in page.text and 'value="20.05"' in page.text and 'value="15.09"' in page.text
    days = {"calendar_day_monitoring_december": "31.02", "calendar_day_monitoring_may": "20.05",
            "calendar_day_base_review": "15.09"}
    wrong = client.post(path, data={"csrf_token": csrf_token(page.text), **DETAILS, **days})
    assert wrong.status_code == 422
    assert "«31.02»: такой даты нет — в феврале 28 дней" in _field(wrong.text, "monitoring_december")
    with db_session_factory() as session:
        assert session.get(Organization, world.organization.id).calendar_days is None
    saved = client.post(path, data={"csrf_token": csrf_token(page.text), **DETAILS, **days,
                                    "calendar_day_monitoring_december": "25.12"}, follow_redirects=True)
    assert "Изменения сохранены: Сроки мониторинга и сверки базы." in saved.text
    assert 'value="25.12"' in _field(saved.text, "monitoring_december")
    assert ("Сроки мониторинга и сверки базы: «—» → «Мониторинг и оценка результатов реализации системы "
            "наставничества (до 20 декабря): 25.12»") in saved.text
    with db_session_factory() as session:
        assert session.get(Organization, world.organization.id).calendar_days == {"monitoring_december": "12-25"}

    client.post("/logout", data={"csrf_token": csrf_token(saved.text)})
    login(client, world.curator.login)
    monitoring = client.get(f"/monitoring?org={world.organization.id}")
    assert monitoring.status_code == 200
    assert "Сроки мониторинга: Мониторинг и оценка результатов реализации системы наставничества (до 25 декабря)" \
        in monitoring.text
    row = monitoring.text.split('data-calendar="monitoring_december"')[1].split("</tr>")[0]
    assert "(до 25 декабря)" in row and "25.12.2026" in row
    assert client.get(path).status_code == 403  # the curator is no administrator


@BOTH
def test_the_api_moves_a_day_and_names_a_wrong_one(client, school, db_session_factory):
    world, admin, tokens = school
    path = f"/api/v1/organizations/{world.organization.id}"

    def call(method: str, who: str, **kwargs):
        return client.open(path, method=method, headers={"Authorization": f"Bearer {tokens[who]}"}, **kwargs)

    shown = call("GET", admin.login).get_json()
    assert shown["calendar_days"] is None
    assert [(d["id"], d["day"], d["pack_day"]) for d in shown["effective_calendar_days"]] == [
        ("monitoring_december", "12-20", "12-20"), ("monitoring_may", "05-20", "05-20"),
        ("base_review", "09-15", "09-15")]
    wrong = call("PATCH", admin.login, json={"calendar_days": {"monitoring_december": "31.02"}})
    assert wrong.status_code == 422
    [problem] = wrong.get_json()["errors"]["problems"]
    assert problem["element_name"] == "calendar_days.monitoring_december"
    assert "(до 20 декабря)»: «31.02»: такой даты нет — в феврале 28 дней" in problem["message"]
    assert call("PATCH", world.curator.login, json={"calendar_days": {"monitoring_december": "25.12"}}
                ).status_code == 403
    patched = call("PATCH", admin.login, json={"calendar_days": {"monitoring_december": "25.12"}})
    assert patched.status_code == 200
    body = patched.get_json()
    assert body["calendar_days"] == {"monitoring_december": "12-25"}
    assert [c["field"] for c in body["changes"]] == ["calendar_days"]
    [december] = [d for d in body["effective_calendar_days"] if d["id"] == "monitoring_december"]
    assert december["day"] == "12-25" and december["label"].endswith("(до 25 декабря)")
    with db_session_factory() as session:
        slots = {slot.day.id: slot.due_on for slot in calendar.calendar_slots(
            session, session.get(Organization, world.organization.id))}
    assert slots["monitoring_december"] == date(2026, 12, 25)
    back = call("PATCH", admin.login, json={"calendar_days": None}).get_json()
    assert back["calendar_days"] is None
