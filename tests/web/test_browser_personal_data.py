"""The administrator answers a 152-ФЗ request in the browser, on the demo: the mentor Volkov's export — his roles,
appointment, pair, program, decisions and the orders naming him — reads as a page at 1280 px and on a 390 px phone
without scrolling sideways; a deactivated teacher is anonymized after her name is typed to confirm."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cli.context import session_scope
from engine.db.models import Person, RoleAssignment
from engine.demo.world import DEMO_PASSWORD
from engine.services.people.accounts import set_password
from engine.services.people.actor import load_actor
from tests.web.conftest import BrowserPage
from tests.web.test_browser_width import WIDTHS


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def widest(page) -> list[str]:
    """The deepest elements reaching past the window's right edge (to name in the failure)."""
    return page.evaluate("""() => { const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1
            && ![...e.children].some(c => c.getBoundingClientRect().right > w + 1))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')); }""")


@pytest.fixture(scope="module")
def people(demo_server) -> dict[str, int]:
    with session_scope(demo_server.database_url) as session:
        department_id = next(org for org, role in load_actor(session, "curator").roles if role == "curator")
        admin = Person(login="pd_admin", full_name="Администратор Департамента", organization_id=department_id)
        set_password(admin, DEMO_PASSWORD)
        leaver = Person(login="pd_leaver", full_name="Уходящая Ирина Петровна", organization_id=department_id,
                        email="leaver@school.ru", phone="+7 913 111-22-33", is_active=False)
        session.add_all([admin, leaver, RoleAssignment(person=admin, organization_id=department_id, role="admin")])
        session.commit()
        volkov = session.scalar(select(Person.id).where(Person.login == "volkov"))
        return {"volkov": volkov, "leaver": leaver.id}


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_export_page_fits_the_window(browser, demo_server, people, width):
    context = browser.new_context(locale="ru-RU", **WIDTHS[width])
    wrapped = BrowserPage(context.new_page(), demo_server.url, [])
    try:
        wrapped.login("pd_admin", DEMO_PASSWORD)
        wrapped.page.wait_for_load_state()
        wrapped.goto(f"/admin/people/{people['volkov']}/personal-data")
        page = wrapped.page
        assert page.get_by_role("heading", level=1).inner_text().startswith("Персональные данные: Волков")
        for title in ("Роли в организациях", "Назначения наставником", "Программы наставничества",
                      "Решения по правилам", "Приказы, в которых вы названы"):
            assert page.get_by_role("heading", name=re.compile(title)).count() == 1, title
        assert page.get_by_role("link", name="Скачать выгрузку (JSON)").count() == 1
        extra = overflow(page)
        wrapped.shot(f"personal-data-{width}")
        assert extra <= 1, f"страница шире окна на {extra} px: {widest(page)}"
    finally:
        context.close()


def test_the_administrator_anonymizes_a_deactivated_teacher(browser, demo_server, people):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 800})
    wrapped = BrowserPage(context.new_page(), demo_server.url, [])
    try:
        wrapped.login("pd_admin", DEMO_PASSWORD)
        wrapped.page.wait_for_load_state()
        wrapped.goto(f"/admin/people/{people['leaver']}/personal-data")
        page = wrapped.page
        page.get_by_label(re.compile("Основание")).fill("заявление от 01.12.2026")
        page.get_by_label(re.compile("Для подтверждения")).fill("Уходящая Ирина Петровна")
        page.get_by_role("button", name="Обезличить данные").click()
        page.wait_for_load_state()
        assert f"Обезличенный участник №{people['leaver']}" in page.get_by_role("heading", level=1).inner_text()
        assert "leaver@school.ru" not in page.content() and "Данные уже обезличены." in page.content()
        wrapped.shot("personal-data-anonymized")
    finally:
        context.close()
