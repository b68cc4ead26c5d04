"""The roadmap year of a Yakutsk school in a real browser (004 п. 4.3, прил. 2), at 1280 and 390 px: the curator
opens the year from the section «Дорожная карта года», marks an event done with its evidence, is refused the
January analysis without its text (the form does not go) and submits it; the director takes measures on the overdue п. 1.3.
Screenshots: roadmap-year-1280*.png, roadmap-year-390*.png."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.workflow import FixedClock
from tests.web.conftest import _open_page, serve
from tests.web.roadmap_world import PAGE_NOW, build_roadmap_world


class RoadmapServer:
    def __init__(self, url: str, year_id: int) -> None:
        self.url, self.year_id = url, year_id


@pytest.fixture(scope="module")
def roadmap_server(tmp_path_factory):
    from engine.bootstrap import bootstrap
    from engine.db import Base, make_engine

    url = f"sqlite:///{(tmp_path_factory.mktemp('roadmap') / 'web.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with bootstrap().session_factory(engine)() as session:
        world = build_roadmap_world(session)
    engine.dispose()
    with serve(url, DOMAIN_CLOCK=FixedClock(PAGE_NOW)) as (_app, base):
        yield RoadmapServer(base, world.year_id)


def _open_year(page_wrapper, login: str):
    page = page_wrapper.page
    page_wrapper.login(login)
    page.wait_for_url(lambda url: "/login" not in url)
    page_wrapper.goto("/roadmap/")
    page.get_by_role("link", name="2025/2026 учебный год").click()
    page.wait_for_url(re.compile(r"/roadmap/\d+$"))
    return page


def test_the_curator_works_the_year_at_1280(browser, roadmap_server):
    context, wrapped = _open_page(browser, roadmap_server, viewport={"width": 1280, "height": 900})
    try:
        page = _open_year(wrapped, "school_curator")
        expect(page.locator("h1")).to_contain_text("Дорожная карта: 2025/2026 учебный год")
        overdue = page.locator("tr#item-1_3")
        expect(overdue).to_contain_text("просрочено")
        expect(overdue).to_contain_text("передано руководителю 01.10.2025")
        wrapped.shot("roadmap-year-1280")

        row = page.locator("tr#item-4_1")  # «Организация отбора и обучения наставников», в течение года
        row.get_by_text("Отметить выполнение").click()
        row.get_by_label("Подтверждение выполнения").fill("Семинар-практикум 12.01.2026, протокол № 5")
        row.get_by_role("button", name="Отметить").click()
        expect(page.get_by_text("Сохранено: мероприятие отмечено выполненным.")).to_be_visible()
        expect(page.locator("tr#item-4_1")).to_contain_text("Семинар-практикум 12.01.2026, протокол № 5")

        step = page.locator("#step-7_2")
        step.get_by_label("Работает наставнических пар (групп)").fill("4")
        step.get_by_role("button", name="Представить анализ").click()  # the state is required: not sent
        state = step.get_by_label("Состояние реализации модели наставничества")
        assert state.evaluate("field => field.validity.valueMissing") is True
        expect(page.locator("#step-7_2")).to_contain_text("запланировано")
        state.fill("Работают четыре пары")
        step.get_by_role("button", name="Представить анализ").click()
        expect(page.locator("#step-7_2")).to_contain_text("выполнено")
        expect(page.locator("#step-7_2")).to_contain_text("Работают четыре пары")
        wrapped.shot("roadmap-year-1280-after")
        assert wrapped.console_errors == []
    finally:
        context.close()


def test_the_director_takes_measures_on_a_phone(browser, roadmap_server):
    context, wrapped = _open_page(browser, roadmap_server, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page = _open_year(wrapped, "director7")
        wrapped.shot("roadmap-year-390")
        row = page.locator("tr#item-1_3")
        row.get_by_label("Принятые меры").fill("Поручено утвердить форматы до 25 января")
        row.get_by_role("button", name="Сохранить меры").click()
        expect(page.locator("tr#item-1_3")).to_contain_text("Меры руководителя: Поручено утвердить форматы")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
        wrapped.shot("roadmap-year-390-after")
        assert wrapped.console_errors == []
    finally:
        context.close()
