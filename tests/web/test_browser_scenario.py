"""One stage report through three people's hands in a real browser, on the demo data: the curator
returns the report with a comment, the mentor corrects and resubmits it, the curator approves it and the
program moves to its next stage (003 прил. 1: a stage report after each stage)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD

REVIEW = "Рассмотреть отчёт по этапу"


def _log_in(demo_page, login: str, landing: str) -> None:
    demo_page.login(login, DEMO_PASSWORD)
    demo_page.page.wait_for_url(re.compile(landing))


def _log_out(demo_page) -> None:
    demo_page.page.get_by_role("button", name="Выйти").click()
    demo_page.page.wait_for_url(re.compile(r"/login"))


def _open_review(demo_page) -> None:
    page = demo_page.page
    row = page.get_by_role("row").filter(has_text=REVIEW)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=REVIEW).click()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))


def test_return_resubmit_approve(demo_page):
    page = demo_page.page

    _log_in(demo_page, "curator", r"/inbox$")
    _open_review(demo_page)
    page.get_by_label("Комментарий куратора").fill("Добавьте выводы диагностики и запросы наставляемой.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.wait_for_url(re.compile(r"/inbox$"))
    expect(page.get_by_role("row").filter(has_text=REVIEW)).to_have_count(0)
    _log_out(demo_page)

    _log_in(demo_page, "volkov", r"/my$")
    page.get_by_role("link", name="Работа по этапу").first.click()
    returned = page.locator("section.my-returned")
    expect(returned.get_by_text("Добавьте выводы диагностики и запросы наставляемой.")).to_be_visible()
    page.get_by_label("Текст отчёта").fill("Информационная справка: диагностика проведена; выводы — дефицит "
                                          "управления ресурсами; запросы — финансово-хозяйственная деятельность.")
    page.get_by_role("button", name="Отправить исправленный отчёт").click()
    expect(page.get_by_text("Отчёт отправлен куратору на проверку.")).to_be_visible()
    demo_page.shot("scenario-mentor-resubmitted")
    _log_out(demo_page)

    _log_in(demo_page, "curator", r"/inbox$")
    _open_review(demo_page)
    expect(page.get_by_text("Попытка 2", exact=False).first).to_be_visible()
    expect(page.locator(".report__review").filter(has_text="Добавьте выводы диагностики")).to_have_count(1)  # the return
    expect(page.get_by_text("выводы — дефицит управления ресурсами")).to_be_visible()
    demo_page.shot("scenario-curator-second-attempt")
    page.get_by_role("button", name="Принять отчёт").click()
    page.wait_for_url(re.compile(r"/inbox$"))
    expect(page.get_by_text("Отчёт об этапе принят.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=REVIEW)).to_have_count(0)
    _log_out(demo_page)

    _log_in(demo_page, "volkov", r"/my$")
    page.get_by_role("link", name="Работа по этапу").first.click()
    expect(page.get_by_role("heading", name="2. ЭТАП. КОНСУЛЬТАЦИОННЫЙ")).to_be_visible()  # the next stage
    demo_page.shot("scenario-next-stage")
    assert demo_page.console_errors == []
