"""«Инциденты» in a real browser (issue 13): the curator sees the failed jobs with the open count in the menu,
retries one and skips another with a reason; the list reads at 1280 px and at 390 px without running off the screen
(screenshots in tests/web/screenshots/incidents_*.png)."""
from __future__ import annotations

import pytest

from engine.bootstrap import bootstrap
from engine.db import make_engine
from tests.web.incidents_support import make_incident


@pytest.fixture(scope="module")
def incidents_made(live_server) -> list[int]:
    engine = make_engine(live_server.app.config["DATABASE_URL"])
    try:
        with bootstrap().session_factory(engine)() as session:
            return [make_incident(session, live_server.seed.org.id, f"browser:{n}") for n in range(3)]
    finally:
        engine.dispose()


def test_the_curator_retries_one_and_skips_another(web_page, incidents_made):
    page = web_page.page
    web_page.login("curator")
    page.get_by_role("link", name="Инциденты").click()
    page.wait_for_url("**/incidents")
    assert page.locator(".mainnav__count").inner_text() == "3"
    assert page.locator("tr[data-job-id]").count() == 3
    assert "Открыто 3 инцидента" in page.locator(".incidents-total").inner_text()
    assert "всего 1 попытка" in page.locator(f"#incident-{incidents_made[0]}").inner_text()
    web_page.shot("incidents_1280")
    page.locator(f"#incident-{incidents_made[0]}").get_by_role("button", name="Повторить").click()
    page.wait_for_selector(".flash--success")
    assert "поставлено в очередь снова" in page.locator(".flash--success").inner_text()
    page.locator(f"#incident-{incidents_made[1]}").get_by_role("link", name="Пропустить").click()
    page.get_by_role("button", name="Пропустить задание").click()
    assert "Укажите причину" in page.locator(".field__error").inner_text()
    web_page.shot("incidents_skip_1280")
    page.get_by_label("Почему это задание не нужно выполнять").fill("Письмо потеряло смысл: программа завершена")
    page.get_by_role("button", name="Пропустить задание").click()
    page.wait_for_selector(".flash--success")
    assert page.locator("tr[data-job-id]").count() == 1
    assert page.locator(".mainnav__count").inner_text() == "1"
    assert web_page.console_errors == []


def test_the_list_fits_a_phone(phone_page, incidents_made):
    page = phone_page.page
    phone_page.login("curator")
    phone_page.goto("/incidents")
    assert page.locator("tr[data-job-id]").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    phone_page.shot("incidents_390")
    assert phone_page.console_errors == []
