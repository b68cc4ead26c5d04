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


def test_a_plan_correction_from_the_mentor_s_proposal_to_the_extension_order(demo_page, demo_server):
    program_id, event_id, number, day = _target(demo_server.database_url)
    web, page = demo_page, demo_page.page
    web.enter("volkov", DEMO_PASSWORD)
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
    web.shot_both_widths("plan-mentor-draft")
    page.locator("[data-propose]").click()
    expect(page.locator("[data-correction-status]")).to_have_text("на согласовании участников")
    web.log_out()

    web.enter("orlova", DEMO_PASSWORD)
    web.goto(f"/programs/{program_id}/plan")
    page.locator("[data-agree]").click()
    expect(page.locator("[data-correction-status]")).to_have_text("на утверждении у куратора")
    web.log_out()

    web.enter("curator", DEMO_PASSWORD)
    web.goto("/inbox")
    page.locator("[data-plan-inbox]").get_by_role("link", name="Рассмотреть").first.click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}/plan$"))
    web.shot_both_widths("plan-curator-review")
    page.locator("[data-approve]").click()
    expect(page.get_by_text("Корректировка утверждена: план мероприятий изменён.")).to_be_visible()
    expect(page.locator("[data-past]").first).to_contain_text(day.strftime("%d.%m.%Y"))
    web.shot_both_widths("plan-approved")
    web.goto(f"/programs/{program_id}")
    page.get_by_role("link", name="Ходатайствовать о продлении срока программы").click()
    page.get_by_label("На сколько месяцев продлить").fill("2")
    page.get_by_label("Обоснование (войдёт в приказ)").fill("Корректировка плана и продление срока")
    page.get_by_role("button", name="Направить").click()
    page.wait_for_url(re.compile(rf"/programs/{program_id}$"))
    web.log_out()
    for login in ("volkov", "orlova"):
        web.enter(login, DEMO_PASSWORD)
        web.goto(f"/my/programs/{program_id}")
        page.locator("input[name=agreed][value=yes]").check()
        page.get_by_role("button", name="Ответить").click()
        page.wait_for_load_state()
        web.log_out()

    web.enter("head", DEMO_PASSWORD)
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
    web.shot_both_widths("plan-extension-order")
