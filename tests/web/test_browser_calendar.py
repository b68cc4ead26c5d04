"""The mentor Volkov puts his deadlines into his phone's calendar, in the browser, on the demo: from «Мои программы»
he opens «Календарь сроков», sees what the calendar will show (his program's stages), issues the address, copies it
— the page reads at 1280 px and on a 390 px phone without scrolling sideways — and his calendar program fetches the
address without logging in."""
from __future__ import annotations

import re
import urllib.request

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import BrowserPage
from tests.web.test_browser_personal_data import overflow, widest
from tests.web.test_browser_width import WIDTHS


def _open(browser, demo_server, width: str) -> tuple[object, BrowserPage]:
    context = browser.new_context(locale="ru-RU", **WIDTHS[width])
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    wrapped = BrowserPage(context.new_page(), demo_server.url, [])
    wrapped.page.on("console", lambda message: message.type == "error" and wrapped.console_errors.append(message.text))
    wrapped.login("volkov", DEMO_PASSWORD)
    wrapped.page.wait_for_load_state()
    return context, wrapped


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_volkov_subscribes_his_calendar(browser, demo_server, width):
    context, wrapped = _open(browser, demo_server, width)
    page = wrapped.page
    try:
        wrapped.goto("/my")
        page.get_by_role("link", name="Сроки — в ваш календарь на телефоне и компьютере").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).inner_text() == "Календарь сроков"
        upcoming = page.locator("#upcoming .cal-list__item")
        assert upcoming.count() >= 1 and "Срок этапа" in page.locator("#upcoming").inner_text()
        assert overflow(page) <= 1, f"страница шире окна: {widest(page)}"
        wrapped.shot(f"calendar-{width}")

        page.get_by_role("button", name=re.compile(r"^Выдать (новый )?адрес$")).click()  # the laptop's came first
        page.wait_for_load_state()
        address = page.get_by_label("Адрес для подписки").input_value()
        assert address.startswith(demo_server.url + "/calendar/nsc_") and address.endswith(".ics")
        page.get_by_role("button", name="Копировать").first.click()
        expect(page.get_by_role("button", name="Скопировано")).to_have_count(1)  # the label changes once the clipboard took it
        assert page.evaluate("() => navigator.clipboard.readText()") == address
        extra = overflow(page)
        wrapped.shot(f"calendar-issued-{width}")
        assert extra <= 1, f"страница шире окна на {extra} px: {widest(page)}"
        assert wrapped.console_errors == []

        with urllib.request.urlopen(address, timeout=10) as response:  # the calendar program: no cookie
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            assert response.headers.get("Set-Cookie") is None
            calendar = Calendar.from_ical(response.read())
        assert calendar.calendar_name.startswith("Наставник — сроки (Волков")
        assert any(str(event["SUMMARY"]).startswith("Срок этапа") for event in calendar.walk("VEVENT"))
    finally:
        context.close()
