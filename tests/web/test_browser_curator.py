"""The curator on the demo data in a real browser: filters the inbox, opens the waiting stage report,
tries to return it without a comment (refused), returns it with one; the registries; proposing a pair
with the eligibility explanation before and after starting the process. Screenshots: curator-*.png."""
from __future__ import annotations

import re
from datetime import UTC

from playwright.sync_api import expect
from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import Mentee, Person
from engine.demo.world import DEMO_PASSWORD


def _person_id(demo_server, login: str) -> int:
    engine = make_engine(demo_server.database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(Person.id).where(Person.login == login))
    finally:
        engine.dispose()


def _new_mentee_like(demo_server, login: str, full_name: str, new_login: str) -> None:
    """A person entered in the mentee registry with the same registry facts as ``login`` (every demo mentee is
    in a pair already: one mentee, one program); the registry page to add people is issue 12's."""
    from engine.services.mentorship import mentee_registry
    from engine.services.people.actor import load_actor
    from engine.workflow import SystemClock

    engine = make_engine(demo_server.database_url)
    try:
        with make_session_factory(engine)() as session:
            model = session.scalar(select(Person).where(Person.login == login))
            person = Person(full_name=full_name, login=new_login, organization_id=model.organization_id,
                            position=model.position, is_head=model.is_head, years_as_head=model.years_as_head,
                            months_as_head=model.months_as_head, in_management_reserve=model.in_management_reserve,
                            school_low_results=model.school_low_results)
            session.add(person)
            session.flush()
            organization_id = session.scalar(select(Mentee.organization_id).where(Mentee.person_id == model.id))
            mentee_registry.register_mentee(session, load_actor(session, "curator"), organization_id, person.id,
                                            clock=SystemClock())
            session.commit()
    finally:
        engine.dispose()


def test_curator_filters_the_inbox_and_returns_the_stage_report(demo_page):
    page = demo_page.page
    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))
    row = page.get_by_role("row").filter(has_text="Рассмотреть отчёт по этапу")
    assert row.count() == 1
    assert "Орлова Ирина Сергеевна" in row.inner_text() and "Волков Игорь Николаевич" in row.inner_text()
    assert "МАОУ гимназия № 6" in row.inner_text()  # the mentee's workplace
    demo_page.shot("curator-inbox")

    page.get_by_label("Школа").select_option(label="МАОУ СОШ № 15")  # no open step of this school
    page.get_by_role("button", name="Применить").click()
    expect(page.get_by_text("Под условия фильтра ничего не подходит.")).to_be_visible()
    page.get_by_label("Школа").select_option(label="МАОУ гимназия № 6")
    page.get_by_label("Этап").select_option(value="diagnosis")
    page.get_by_label("Поиск").fill("орлова")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_url(re.compile(r"q=%D0%BE%D1%80%D0%BB"))
    assert "school=" in page.url and "stage=diagnosis" in page.url
    row = page.get_by_role("row").filter(has_text="Рассмотреть отчёт по этапу")
    assert row.count() == 1
    demo_page.shot("curator-inbox-filtered")

    row.get_by_role("link", name="Рассмотреть отчёт по этапу").click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))
    assert page.get_by_role("heading", name="Рассмотреть отчёт по этапу").is_visible()
    assert page.get_by_text("диагностика затруднений проведена, запросы выявлены").is_visible()
    assert page.get_by_text("1 ЭТАП. ОРГАНИЗАЦИОННЫЙ").first.is_visible()
    demo_page.shot("curator-task-stage-report")

    with page.expect_response(lambda r: "/tasks/" in r.url and r.request.method == "POST") as refused:
        page.get_by_role("button", name="Вернуть на доработку").click()
    assert refused.value.status == 422
    expect(page.get_by_text("Чтобы вернуть отчёт, напишите в комментарии, что исправить.")).to_be_visible()
    demo_page.shot("curator-task-return-without-comment")

    page.get_by_label("Комментарий куратора").fill("Добавьте выводы по итогам диагностики и план консультаций.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.wait_for_url(re.compile(r"/inbox$"))
    assert page.get_by_text("Отчёт возвращён на доработку с вашим комментарием.").is_visible()
    assert page.get_by_role("row").filter(has_text="Рассмотреть отчёт по этапу").count() == 0
    demo_page.shot("curator-inbox-after-return")
    assert demo_page.console_errors == []


def _term_end():
    """The demo appoints its mentors on its first day, for 24 months (003 §3.4)."""
    from datetime import datetime, timedelta

    from engine.db.models import add_months
    from engine.demo.story import demo_start

    return add_months(demo_start(datetime.now(UTC)).date(), 24) - timedelta(days=1)


def test_curator_browses_the_registries(demo_page):
    page = demo_page.page
    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))
    page.get_by_role("link", name="Реестры").first.click()
    assert page.get_by_role("heading", name="Реестры").is_visible()
    demo_page.shot("curator-registries")

    page.get_by_role("navigation", name="Реестры").get_by_role("link", name="Наставники").click()
    page.wait_for_url(re.compile(r"/registries/mentors$"))
    mentor = page.get_by_role("row").filter(has_text="Волков Игорь Николаевич")
    assert mentor.count() == 1 and f"— {_term_end():%d.%m.%Y}" in mentor.inner_text()  # 24 months (003 §3.4)
    demo_page.shot("curator-registry-mentors")

    page.get_by_role("navigation", name="Реестры").get_by_role("link", name="Наставляемые").click()
    page.wait_for_url(re.compile(r"/registries/mentees$"))
    orlova = page.get_by_role("row").filter(has_text="Орлова Ирина Сергеевна")
    assert "Вновь назначенный руководитель" in orlova.inner_text()
    assert "вновь назначенный" in orlova.inner_text()  # the explanation of the category
    demo_page.shot("curator-registry-mentees")

    page.get_by_role("navigation", name="Реестры").get_by_role("link", name="Пары и группы").click()
    page.wait_for_url(re.compile(r"/registries/pairs$"))
    expect(page.get_by_role("row").filter(has_text="Орлова Ирина Сергеевна").first).to_be_visible()
    demo_page.shot("curator-registry-pairs")

    page.get_by_role("navigation", name="Реестры").get_by_role("link", name="Программы").click()
    page.wait_for_url(re.compile(r"/registries/programs$"))
    page.get_by_label("Поиск").fill("новикова")
    page.get_by_role("button", name="Найти").click()
    page.wait_for_url(re.compile(r"q="))
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "Новикова Мария Андреевна" in rows.first.inner_text()
    page.get_by_role("link", name="Сбросить").click()
    page.wait_for_url(re.compile(r"/registries/programs$"))
    assert page.locator("tbody tr").count() >= 5
    demo_page.shot("curator-registry-programs")
    assert demo_page.console_errors == []


def test_curator_checks_and_proposes_a_pair(demo_page, demo_server):
    page = demo_page.page
    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/inbox$"))

    demo_page.goto(f"/pairs/new?mentor_id={_person_id(demo_server, 'kozlov')}")
    check = page.get_by_role("region", name="Проверка до запуска")
    assert check.get_by_text("Не соответствует требованиям к наставнику").is_visible()
    assert check.get_by_text("не назначен(а) наставником приказом").is_visible()
    failed = check.locator(".criterion--failed")
    assert failed.count() >= 1 and "003 §3.5" in failed.first.inner_text()
    demo_page.shot("curator-pair-check-not-eligible")

    assert page.get_by_label(re.compile("Белова Татьяна Николаевна")).count() == 0  # in the pending pair
    _new_mentee_like(demo_server, "belova", "Соколова Анна Викторовна", "new-mentee-1")
    demo_page.goto("/pairs/new")
    page.get_by_label("Наставник (назначен приказом, 003 §3.4)").select_option(label="Морозова Наталья Ивановна")
    page.get_by_label(re.compile("Соколова Анна Викторовна")).check()
    page.get_by_role("button", name="Проверить требования").click()
    check = page.get_by_role("region", name="Проверка до запуска")
    expect(check).to_be_visible()
    assert check.get_by_text("Может быть назначен наставником").first.is_visible()
    assert check.locator(".criterion--passed").count() >= 4
    demo_page.shot("curator-pair-check")

    page.get_by_role("button", name="Сформировать пару и запустить процесс").click()
    page.wait_for_url(re.compile(r"/pairs/\d+$"))
    assert page.get_by_text(re.compile("Процесс формирования пары \\(группы\\) №\\d+ запущен")).is_visible()
    assert page.get_by_text("Дать согласие быть наставником").is_visible()
    assert page.locator(".criterion__source").filter(has_text="003 §3.5").count() >= 4
    demo_page.shot("curator-pair-proposed")
    assert demo_page.console_errors == []
