"""A plan correction in a real browser (issue 18 item 3, 003 §7.2): the mentor proposes to move an event, the
mentee agrees, the curator approves it on the «План мероприятий» page; then the curator petitions for an
extension, both participants agree, the head signs — the order lists the changed event (was, becomes, reason).
Screenshots at 1280 and 390 px: plan-*.png."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD
from tests.web.test_plan import _target

REASON = "Совпадает с заседанием педагогического совета"


def _log_in(web, login: str) -> None:
    web.login(login, DEMO_PASSWORD)
    web.page.wait_for_url(lambda url: "/login" not in url)


def _log_out(web) -> None:
    with web.page.expect_navigation(url=re.compile(r"/login"), timeout=60_000):
        web.page.get_by_role("button", name="Выйти").click()


def _both_widths(web, name: str) -> None:
    page = web.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    web.shot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    web.shot(f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_plan_correction_from_the_mentor_s_proposal_to_the_extension_order(demo_page, demo_server):
    program_id, event_id, number, day = _target(demo_server.database_url)
    web, page = demo_page, demo_page.page
    _log_in(web, "volkov")
    web.goto(f"/programs/{program_id}")
    page.locator("[data-plan-link]").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}/plan$"))
    form = page.locator("[data-add-change]")
    form.get_by_label("Действие").select_option("move")
    form.locator("#event_id").select_option(str(event_id))
    form.get_by_label("Срок").fill(day.isoformat())
    form.get_by_label("Причина").fill(REASON)
    form.get_by_role("button", name="Добавить в корректировку").click()
    expect(page.get_by_text("Изменение добавлено в корректировку.")).to_be_visible()
    _both_widths(web, "plan-mentor-draft")
    page.locator("[data-propose]").click()
    expect(page.locator("[data-correction-status]")).to_have_text("на согласовании участников")
    _log_out(web)

    _log_in(web, "orlova")
    web.goto(f"/programs/{program_id}/plan")
    page.locator("[data-agree]").click()
    expect(page.locator("[data-correction-status]")).to_have_text("на утверждении у куратора")
    _log_out(web)

    _log_in(web, "curator")
    web.goto("/inbox")
    page.locator("[data-plan-inbox]").get_by_role("link", name="Рассмотреть").first.click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}/plan$"))
    _both_widths(web, "plan-curator-review")
    page.locator("[data-approve]").click()
    expect(page.get_by_text("Корректировка утверждена: план мероприятий изменён.")).to_be_visible()
    expect(page.locator("[data-past]").first).to_contain_text(day.strftime("%d.%m.%Y"))
    _both_widths(web, "plan-approved")
    web.goto(f"/programs/{program_id}")
    page.get_by_role("link", name="Ходатайствовать о продлении срока программы").click()
    page.get_by_label("На сколько месяцев продлить").fill("2")
    page.get_by_label("Обоснование (войдёт в приказ)").fill("Корректировка плана и продление срока")
    page.get_by_role("button", name="Направить").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
    _log_out(web)
    for login in ("volkov", "orlova"):
        _log_in(web, login)
        web.goto(f"/my/programs/{program_id}")
        page.locator("input[name=agreed][value=yes]").check()
        page.get_by_role("button", name="Ответить").click()
        page.wait_for_load_state()
        _log_out(web)

    _log_in(web, "head")
    web.goto("/orders")
    links = page.locator("table.orders-awaiting tbody tr").get_by_role(
        "link", name="О продлении (изменении) персонализированной программы наставничества")
    order_id = max(int(href.rsplit("/", 1)[1]) for href in (link.get_attribute("href") for link in links.all()))
    web.goto(f"/orders/{order_id}")
    page.get_by_role("button", name="Подписать").click()
    expect(page.get_by_text(re.compile(r"Приказ подписан: № \S+"))).to_be_visible()
    text = " ".join(page.locator("article.document").inner_text().split())
    assert "Внести изменения в план мероприятий" in text, text
    assert f"{number} «" in text and f"стало – срок — {day.strftime('%d.%m.%Y')}" in text and REASON in text, text
    _both_widths(web, "plan-extension-order")
