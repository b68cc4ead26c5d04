"""Issue 18 item 1 in a real browser (000 §4–5): the curator forms the council of mentors and schedules a session
with its agenda; the chair holds it (two of the three members came, the secretary elected); the members present
vote; the secretary records the discussion and draws the protocol up; the chair and the secretary sign it; the head
agrees the adopted decision, told of it by a notification. The protocol's PDF downloads and names how many attended and the decision.
Screenshots at 1280 and 390 px; on the phone the session page does not scroll sideways."""
from __future__ import annotations

import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import DemoServer, _open_page, serve

CHAIR, SECRETARY, ABSENT = "Волков Игорь Николаевич", "Морозова Наталья Ивановна", "Лебедев Сергей Петрович"
DECISION = "Одобрить итоги полугодия и представить лучших наставников к поощрению"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest.fixture
def council_demo(browser, demo_database, tmp_path):
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    with serve(url) as (app, base):
        yield DemoServer(base, app, url)


class People:
    """One logged-in browser context per person of the story."""

    def __init__(self, browser, server):
        self.browser, self.server, self.open = browser, server, []

    def as_(self, login: str, **options):
        context, page = _open_page(self.browser, self.server, **(options or {"viewport": {"width": 1280,
                                                                                          "height": 800}}))
        self.open.append((context, page))
        page.login(login, DEMO_PASSWORD)
        page.page.wait_for_url(lambda url: "/login" not in url)
        return page

    def close(self) -> None:
        for context, page in self.open:
            assert page.console_errors == [], page.console_errors
            context.close()


def _flash(page, text: str) -> None:
    expect(page.locator(".flash, [role=alert], [role=status]").filter(has_text=text).first).to_be_visible()


def _item(page, number: int):
    return page.locator(f"article[data-item='{number}']")


def test_a_council_session_from_the_agenda_to_the_signed_protocol(browser, council_demo):
    people = People(browser, council_demo)
    try:
        _story(people)
    finally:
        people.close()


def _story(people: People) -> None:
    curator = people.as_("curator")
    curator.goto("/council")
    page = curator.page
    for name in (CHAIR, SECRETARY, ABSENT):
        page.get_by_label("Добавить в состав").select_option(label=name)
        page.get_by_role("button", name="Добавить", exact=True).click()
        _flash(page, "Член совета добавлен.")
    page.get_by_label("Председатель (фасилитатор, 000 §4.4)").select_option(label=CHAIR)
    page.get_by_role("button", name="Назначить председателем").click()
    _flash(page, "Председатель совета назначен.")
    page.get_by_label("Дата проведения").fill("2026-03-12")
    page.get_by_label("Место проведения").fill("актовый зал гимназии № 6")
    page.get_by_label("Повестка: по вопросу в строке").fill("Итоги работы наставников за полугодие\n"
                                                            "Перенос сроков весенней методической недели")
    page.get_by_role("button", name="Назначить сессию").last.click()
    _flash(page, "Сессия совета назначена.")
    members = page.locator(".council-members").inner_text()
    assert CHAIR in members and "председатель" in members and ABSENT in members
    curator.shot("council-index-1280")
    page.set_viewport_size({"width": 390, "height": 844})  # the curator's forms on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    curator.shot("council-curator-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Сессия № 1").click()
    page.wait_for_url(re.compile(r".*/council/sessions/\d+$"))
    session_path = page.url[len(curator.base):]
    assert page.locator("[data-status=planned]").is_visible()

    chair = people.as_("volkov")  # the chair holds the session: who came, the secretary elected (000 §5.1)
    chair.goto(session_path)
    cp = chair.page
    cp.get_by_label(ABSENT).uncheck()
    cp.get_by_label("Секретарь, избранный на сессии (000 §5.1)").select_option(label=SECRETARY)
    cp.get_by_label("За избрание секретаря").fill("2")
    chair.shot("council-hold-1280")
    cp.get_by_role("button", name="Отметить и начать голосование").click()
    _flash(cp, "Присутствие отмечено, секретарь избран.")
    assert "Присутствуют 2 из 3" in cp.locator(".page__head").inner_text()
    for number in (1, 2):
        _item(cp, number).get_by_role("button", name="за", exact=True).click()
        _flash(cp, "Голос учтён.")

    secretary = people.as_("morozova")
    secretary.goto(session_path)
    sp = secretary.page
    _item(sp, 1).get_by_role("button", name="за", exact=True).click()
    _flash(sp, "Голос учтён.")
    _item(sp, 2).get_by_role("button", name="против", exact=True).click()
    _flash(sp, "Голос учтён.")
    for number, decision in ((1, DECISION), (2, "Перенести методическую неделю на апрель")):
        item = _item(sp, number)
        item.get_by_label("Ключевые моменты обсуждения").fill("Все пары выполняют планы; две пары отстают")
        item.get_by_label("Предложения и замечания наставников").fill("Провести открытые занятия наставников")
        item.get_by_label("Решение", exact=True).fill(decision)
        item.get_by_role("button", name="Записать").click()
        _flash(sp, "Обсуждение вопроса записано.")
    assert "За — 2, против — 0, воздержались — 0: решение принято." in _item(sp, 1).inner_text()
    assert "За — 1, против — 1, воздержались — 0: решение не принято." in _item(sp, 2).inner_text()
    secretary.shot("council-secretary-1280")
    sp.set_viewport_size({"width": 390, "height": 844})  # the secretary's forms on a phone: nothing scrolls sideways
    assert sp.evaluate("document.documentElement.scrollWidth") <= 390
    secretary.shot("council-secretary-390")
    sp.set_viewport_size({"width": 1280, "height": 800})
    sp.get_by_role("button", name="Завершить голосование и оформить протокол").click()
    _flash(sp, "Протокол оформлен и направлен на подпись.")
    protocol = sp.locator("pre.protocol").inner_text()
    assert "Присутствовали: 2 из 3 наставников" in protocol and f"РЕШИЛИ: {DECISION}" in protocol
    sp.get_by_role("button", name="Подписать протокол").click()
    _flash(sp, "Протокол подписан.")

    chair.goto(session_path)
    cp.get_by_role("button", name="Подписать протокол").click()
    _flash(cp, "Протокол подписан.")
    assert cp.locator("[data-status=signed]").is_visible()
    stamps = cp.locator(".stamp").all_inner_texts()
    assert len(stamps) == 2 and all(s.endswith("Я подтверждаю этот документ") for s in stamps)
    assert cp.get_by_role("button", name="Подписать протокол").count() == 0

    head = people.as_("head")  # the decisions take effect after the administration agrees them (000 §4.3)
    head.goto("/notifications")  # the head hears that the adopted decision awaits her
    hp = head.page
    expect(hp.get_by_text("Решения совета наставников ждут согласования: протокол № 1 от 12.03.2026")).to_be_visible()
    head.goto(session_path)
    assert _item(hp, 2).get_by_role("button", name="Согласовать решение").count() == 0  # not adopted
    _item(hp, 1).get_by_role("button", name="Согласовать решение").click()
    _flash(hp, "Решение согласовано.")
    assert "Согласовано администрацией" in _item(hp, 1).inner_text()
    with hp.expect_download() as download:
        hp.get_by_role("link", name="PDF").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split())
    assert "Присутствовали: 2 из 3 наставников" in text and DECISION in text and "Я подтверждаю этот документ" in text
    head.shot("council-session-signed-1280")

    phone = people.as_("head", **PHONE)
    phone.goto(session_path)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the session page scrolls sideways on a phone ({width} px)"
    phone.shot("council-session-signed-390")
    phone.goto("/council")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("council-index-390")
