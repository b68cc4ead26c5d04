"""The administrator's person form in the browser, at 1280 px (a laptop) and 390 px (a phone): she adds a
teacher with the facts the Tomsk rule files read, sees a refused value's reason under its field, corrects it, finds
the card with its history, issues the password link and copies it — no page scrolls sideways, no script or CSP
error."""
from __future__ import annotations

import re

import pytest

from tests.factories import make_person, make_role
from tests.web.conftest import _open_page, password_hash
from web.db import database

WIDTHS = {"laptop": {"viewport": {"width": 1280, "height": 800}},
          "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
                    "has_touch": True}}


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture(scope="module")
def administrator(live_server):
    with database(live_server.app).session_factory() as session:
        org = session.merge(live_server.seed.org)
        person = make_person(session, login="browser_admin", full_name="Администратор Департамента",
                             password_hash=password_hash(), organization_id=org.id)
        make_role(session, person, org, "admin")
        session.commit()
    return "browser_admin"


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_person_form_at_a_laptops_and_a_phones_width(browser, live_server, administrator, width):
    context, wrapped = _open_page(browser, live_server, permissions=["clipboard-read", "clipboard-write"],
                                  **WIDTHS[width])
    page = wrapped.page
    try:
        wrapped.login(administrator)
        page.wait_for_load_state()
        wrapped.goto("/admin/people/new")
        assert page.get_by_label(re.compile("Стаж работы в должности руководителя")).get_attribute("max") == "70"
        page.get_by_label("ФИО").fill(f"Смирнова Елена Викторовна {width}")
        page.get_by_label("Электронная почта").fill(f"smirnova.{width}@school.ru")
        page.get_by_label(re.compile("Стаж работы в должности руководителя")).fill("6")
        page.get_by_label(re.compile("Результат оценки эффективности")).fill("140")
        page.get_by_label(re.compile("Уровень конкурса")).select_option(label="региональный")
        page.get_by_label(re.compile("Удостоверение")).select_option(label="да")
        page.get_by_role("button", name="Добавить", exact=True).click()
        error = page.locator('[data-field="efficiency_percent"] .field__error')
        assert "вне допустимого диапазона" in error.inner_text()
        assert _overflow(page) <= 1, "the refused form is wider than the window"
        wrapped.shot(f"admin-person-new-refused-{width}")
        page.get_by_label(re.compile("Результат оценки эффективности")).fill("85")
        page.get_by_role("button", name="Добавить", exact=True).click()
        page.wait_for_url(re.compile(r"/admin/people/\d+$"))
        assert "Человек добавлен" in page.content()
        page.get_by_label(re.compile("Стаж работы в должности руководителя")).fill("7")
        page.get_by_role("button", name="Сохранить").click()
        page.wait_for_url(re.compile(r"/admin/people/\d+$"))
        history = page.locator(".person-history").inner_text()
        assert "6 лет" in history and "7 лет" in history
        assert _overflow(page) <= 1, "the card is wider than the window"
        # the history's text takes the card's width (on a phone under the time, not squeezed beside it)
        text_width = page.locator(".person-history .history__text").first.bounding_box()["width"]
        card_width = page.locator(".person-history").bounding_box()["width"]
        assert text_width > card_width * 0.6, (text_width, card_width)
        wrapped.shot(f"admin-person-card-{width}")
        page.get_by_role("button", name="Выдать ссылку для пароля").click()
        link = page.locator("#account-link").input_value()
        assert re.search(r"/account/nsl_[\w-]+$", link)
        page.get_by_role("button", name="Копировать").click()
        page.get_by_role("button", name="Скопировано").wait_for()
        assert _overflow(page) <= 1, "the link page is wider than the window"
        wrapped.shot(f"admin-person-link-{width}")
        wrapped.goto("/admin/people")
        assert f"Смирнова Елена Викторовна {width}" in page.content() and _overflow(page) <= 1
        wrapped.shot(f"admin-people-{width}")
        assert wrapped.console_errors == []
    finally:
        context.close()
