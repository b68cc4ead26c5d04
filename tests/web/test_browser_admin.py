"""The demo's administrator in a browser, on a laptop (1280 px) and a phone (390 px): logs in and lands on
«Администрирование» with the department's tree, opens a school, makes its orders «РАСПОРЯЖЕНИЕ» with the suffix
«р» and sees the heading «РАСПОРЯЖЕНИЕ № 1р»; a wrong ИНН is named under its field; the roles page lists the
holders. No page scrolls sideways."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import _open_page
from tests.web.test_browser_width import WIDTHS, _overflow, _widest


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_administrator_edits_a_school(browser, demo_server, width):
    context, wrapped = _open_page(browser, demo_server, **WIDTHS[width])
    page = wrapped.page
    try:
        wrapped.login("admin", DEMO_PASSWORD)
        page.wait_for_url(re.compile(r"/admin$"))
        expect(page.get_by_role("heading", name="Администрирование")).to_be_visible()
        assert page.get_by_role("link", name="Администрирование").count() == 1  # the section in the top bar
        wide = {}
        if (extra := _overflow(page)) > 1:
            wide["/admin"] = (extra, _widest(page))
        wrapped.shot(f"admin-tree-{width}")
        school = "МАОУ СОШ № 22" if width == "laptop" else "МАОУ СОШ № 15"
        page.get_by_role("link", name=school, exact=True).click()
        page.wait_for_url(re.compile(r"/admin/organizations/\d+$"))
        expect(page.get_by_text("ПРИКАЗ № 1", exact=True)).to_be_visible()
        page.get_by_label("ИНН (необязательно)").fill("7707083894")
        page.get_by_label("Вид распорядительного акта").select_option("РАСПОРЯЖЕНИЕ")
        page.get_by_label(re.compile("Суффикс номера")).fill("р")
        page.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_text("неверное контрольное число ИНН")).to_be_visible()
        wrapped.shot(f"admin-organization-error-{width}")
        page.get_by_label("ИНН (необязательно)").fill("7707083893")
        page.get_by_role("button", name="Сохранить").click()
        expect(page.get_by_text("Изменения сохранены")).to_be_visible()
        expect(page.get_by_text("РАСПОРЯЖЕНИЕ № 1р", exact=True)).to_be_visible()
        if (extra := _overflow(page)) > 1:
            wide["organization"] = (extra, _widest(page))
        wrapped.shot(f"admin-organization-{width}")
        page.get_by_role("link", name="Роли", exact=True).first.click()
        expect(page.get_by_role("heading", name="Роли в организации")).to_be_visible()
        if (extra := _overflow(page)) > 1:
            wide["roles"] = (extra, _widest(page))
        wrapped.shot(f"admin-roles-{width}")
        assert wide == {}, f"страницы шире окна на столько пикселей: {wide}"
        assert wrapped.console_errors == []
    finally:
        context.close()
