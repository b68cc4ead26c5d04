"""The curator's registries: mentors with the term end, mentees with the category and why, pairs and
groups, programs; search, pages, a person's card; seeing them is logged; only curators."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engine.db import paging
from engine.db.models import AccessLogEntry, add_months
from tests.web.curator_world import curator_app, curator_client, day, log_in, world  # noqa: F401
from web.views import registries as registry_views

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_each_registry_lists_the_organizations_rows(curator_client, world, db_session_factory):
    index = curator_client.get("/registries").text
    assert 'href="/registries/mentors"' in index and 'href="/pairs/new"' in index

    mentors = curator_client.get("/registries/mentors").text
    assert "Волков Игорь Николаевич" in mentors and "Морозова Наталья Ивановна" in mentors
    term_end = add_months(world.started_on, 24) - timedelta(days=1)
    assert f"{day(world.started_on)} — {day(term_end)}" in mentors  # 24 months (003 §3.4)
    assert "Козлов" not in mentors  # never appointed

    mentees = curator_client.get("/registries/mentees").text
    assert "Вновь назначенный руководитель (003 §3.6.1)" in mentees
    assert "Педагог в резерве управленческих кадров (003 §3.6.1)" in mentees
    assert "вновь назначенный (не более 12 мес." in mentees  # the category's explanation

    pairs = curator_client.get("/registries/pairs").text
    assert "«руководитель – руководитель»" in pairs and "утверждена приказом" in pairs and "все (2)" in pairs

    programs = curator_client.get("/registries/programs").text
    assert f"Программа №{world.program_id}" in programs and "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in programs
    assert "выполняется" in programs
    curator_id = world.ids["curator"]
    with db_session_factory() as session:
        seen = set(session.scalars(select(AccessLogEntry.subject_id).where(AccessLogEntry.viewer_id == curator_id)))
    assert {world.ids["volkov"], world.ids["orlova"], world.ids["fedorov"]} <= seen


@SQLITE
def test_search_and_pages(curator_client, world, monkeypatch):
    found = curator_client.get("/registries/mentees?q=орлова").text
    assert "Орлова Ирина Сергеевна" in found and "Фёдоров" not in found and "Всего: 1" in found
    assert "Ничего не найдено." in curator_client.get("/registries/programs?q=%25%25").text
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 1)
    first = curator_client.get("/registries/mentors").text
    assert "Страница 1 из 2" in first and 'href="/registries/mentors?page=2"' in first
    searched = curator_client.get("/registries/pairs?q=а").text
    assert "Страница 1 из 2" in searched and 'href="/registries/pairs?page=2&amp;q=%D0%B0"' in searched


@pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_registry_longer_than_its_count_is_paged_from_both_ends(curator_client, world, monkeypatch):
    monkeypatch.setattr(registry_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(paging, "LIST_BOUND", 1)  # 2 mentors here; a department of 100 000 programs: «более 1 000»
    first = curator_client.get("/registries/mentors").text
    assert "Всего: более 1" in first and "Страница 1" in _pager(first) and "из" not in _pager(first)
    assert 'href="/registries/mentors?page=-1"' in first and 'rel="next"' not in first  # no more pages known
    last = curator_client.get("/registries/mentors?page=-1").text
    assert "Страница 1 с конца" in _pager(last) and 'href="/registries/mentors?page=1"' in last  # «В начало»
    assert 'rel="next"' not in last and 'rel="prev"' not in last
    names = _mentor_names(first) + _mentor_names(last)
    assert sorted(names) == ["Волков Игорь Николаевич", "Морозова Наталья Ивановна"]  # one from each end
    monkeypatch.setattr(paging, "LIST_BOUND", 1000)
    whole = curator_client.get("/registries/mentors?page=-1").text  # counted exactly: -1 is the last numbered page
    assert "Страница 2 из 2" in _pager(whole) and _mentor_names(whole) == _mentor_names(last)
    assert curator_client.get("/registries/mentors?page=-x").status_code == 200  # not a number: the first page


def _pager(html: str) -> str:
    return html[html.index('class="pager"'):].split("</nav>")[0]


def _mentor_names(html: str) -> list[str]:
    return [name for name in ("Волков Игорь Николаевич", "Морозова Наталья Ивановна")
            if name in html.split("<tbody>")[1]]


@SQLITE
def test_term_ending_soon_is_highlighted(curator_client, world, db_session_factory):
    from datetime import timedelta

    from engine.db.models import MentorAppointment
    from engine.documents.basics import today_in
    from engine.workflow import SystemClock

    with db_session_factory() as session:
        appointment = session.scalar(select(MentorAppointment).where(
            MentorAppointment.person_id == world.ids["volkov"]))
        today = today_in(appointment.organization, SystemClock())  # the registry counts on Tomsk's day
        appointment.ends_on = today + timedelta(days=5)
        other = session.scalar(select(MentorAppointment).where(MentorAppointment.person_id == world.ids["morozova"]))
        other.ends_on = today - timedelta(days=1)
        session.commit()
    html = curator_client.get("/registries/mentors").text
    assert "истекает через 5 дн." in html and "is-ending" in html
    assert "срок истёк" in html and "is-expired" in html
    assert "у 1 срок истекает в ближайшие 30 дней" in curator_client.get("/registries").text


@SQLITE
def test_a_persons_card_logs_the_access(curator_client, world, db_session_factory):
    def count() -> int:
        with db_session_factory() as session:
            return session.scalar(select(func.count()).select_from(AccessLogEntry).where(
                AccessLogEntry.subject_id == world.ids["orlova"], AccessLogEntry.purpose == "карточка в реестре"))

    assert count() == 0
    card = curator_client.get(f"/registries/people/{world.ids['orlova']}")
    assert card.status_code == 200 and "В должности руководителя, мес. (003 §3.6.1)" in card.text
    assert count() == 1
    assert curator_client.get("/registries/people/999999").status_code == 404


@SQLITE
@pytest.mark.parametrize("path", ["/registries", "/registries/mentors", "/registries/mentees", "/registries/pairs",
                                  "/registries/programs", "/registries/people/1"])
def test_only_curators(curator_app, world, path):
    client = curator_app.test_client()
    log_in(client, "volkov")
    assert client.get(path).status_code == 403
