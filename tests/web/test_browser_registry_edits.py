"""The curator edits her registries in a real browser, at 1280 px (a laptop) and 390 px (a phone): a new head of a
school is found by name and entered in the base of mentees, the category explained; a person of no category is
refused with every criterion shown; the new head's facts are corrected and the decision re-evaluated old beside
new. No page scrolls sideways. Screenshots: registry-edits-*.png."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import Organization, Person
from engine.demo.world import DEMO_PASSWORD, SCHOOLS
from tests.web.conftest import _open_page
from tests.web.test_browser_width import WIDTHS, _overflow, _widest

NEWCOMERS = {"laptop": ("Громова Вера Павловна", "gromova_laptop"), "phone": ("Громова Анна Павловна", "gromova_phone")}


def _add_people(demo_server, width: str) -> tuple[str, str]:
    """A newly appointed head of school № 15 (not in the base yet) and a long-serving head of no category."""
    engine = make_engine(demo_server.database_url)
    try:
        with make_session_factory(engine)() as session:
            school = session.scalar(select(Organization).where(Organization.name == SCHOOLS["school15"]))
            full_name, login = NEWCOMERS[width]
            refused = f"Зайцев Пётр Ильич ({width})"
            session.add_all([
                Person(full_name=full_name, login=login, organization_id=school.id, position="Директор",
                       is_head=True, months_as_head=3, efficiency_percent=72, school_low_results=False,
                       in_management_reserve=False),
                Person(full_name=refused, login=f"zaytsev_{width}", organization_id=school.id, position="Директор",
                       is_head=True, months_as_head=120, efficiency_percent=90, school_low_results=False,
                       in_management_reserve=False)])
            session.commit()
            return full_name, refused
    finally:
        engine.dispose()


def _fits(page, wide: dict, name: str) -> None:
    if (extra := _overflow(page)) > 1:
        wide[name] = (extra, _widest(page))


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_curator_adds_a_mentee_and_corrects_the_facts(browser, demo_server, width):
    newcomer, refused = _add_people(demo_server, width)
    context, wrapped = _open_page(browser, demo_server, **WIDTHS[width])
    page, wide = wrapped.page, {}
    try:
        wrapped.login("curator", DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"/inbox$"))
        wrapped.goto("/registries/mentees")
        page.get_by_role("link", name="Добавить в базу наставляемых").click()
        page.wait_for_url(re.compile(r"/registries/mentees/new"))

        page.get_by_label("Поиск по ФИО").fill("зайцев")
        page.get_by_role("button", name="Найти").click()
        page.get_by_label(re.compile(re.escape(refused))).check()
        page.get_by_role("button", name="Внести в базу наставляемых").click()
        assert page.get_by_text("Не внесено в базу наставляемых").is_visible()
        assert page.locator(".criterion").count() == 4 and page.get_by_text("Ничего не сохранено.").is_visible()
        _fits(page, wide, "refused")
        wrapped.shot(f"registry-edits-refused-{width}")

        page.get_by_label("Поиск по ФИО").fill(newcomer.split()[0].lower())
        page.get_by_role("button", name="Найти").click()
        page.get_by_label(re.compile(newcomer)).check()
        _fits(page, wide, "new mentee")
        wrapped.shot(f"registry-edits-new-mentee-{width}")
        page.get_by_role("button", name="Внести в базу наставляемых").click()
        page.wait_for_url(re.compile(r"/registries/people/\d+#mentee-\d+"))
        assert page.get_by_text(f"{newcomer} — в базе наставляемых: Вновь назначенный руководитель").is_visible()
        assert page.get_by_role("heading", name=re.compile("В базе наставляемых: Вновь назначенный")).is_visible()

        page.get_by_role("link", name="Исправить сведения").click()
        page.wait_for_url(re.compile(r"/facts$"))
        page.get_by_label("Сколько месяцев в должности руководителя").fill("пять")
        page.get_by_role("button", name="Сохранить и пересчитать решения").click()
        assert page.get_by_text("не число").is_visible()
        _fits(page, wide, "facts")
        wrapped.shot(f"registry-edits-facts-{width}")
        page.get_by_label("Сколько месяцев в должности руководителя").fill("30")
        page.get_by_label("Результат оценки эффективности деятельности руководителя").fill("45")
        page.get_by_role("button", name="Сохранить и пересчитать решения").click()
        assert page.get_by_role("heading", name=f"Сведения исправлены: {newcomer}").is_visible()
        assert page.get_by_text("категория изменена").is_visible()
        assert page.get_by_role("region", name="Было").is_visible() and page.get_by_role("region", name="Стало").is_visible()
        _fits(page, wide, "facts result")
        wrapped.shot(f"registry-edits-facts-result-{width}")
        assert wide == {}, f"страницы шире окна на столько пикселей: {wide}"
        assert wrapped.console_errors == []
    finally:
        context.close()
