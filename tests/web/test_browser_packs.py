"""The methodologist edits a regulation pack in a real browser: a roadmap file opened from the pack's page, a
problem shown while typing (file, field, line), the fixed text saved as version 2, deployed (the process runs
it), compared with version 1; the pages read on a phone too."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.regulations import PACKS_DIRECTORY, forget_installed, roadmap

ROADMAP = "roadmaps/tomsk_new_head.yaml"
OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_EVENT = "Диагностика затруднений вновь назначенного руководителя (анкета департамента)"
SHIPPED = (PACKS_DIRECTORY / "tomsk" / ROADMAP).read_text(encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def shipped_packs_run_afterwards():
    yield
    forget_installed()


def test_methodologist_edits_saves_deploys_and_compares_a_roadmap(web_page):
    page = web_page.page
    web_page.login("methodologist")
    web_page.goto("/methodology/packs")
    assert page.locator("h1").inner_text() == "Положения"
    assert page.locator("table.pk-packs tbody tr").count() == 1  # Tomsk; Yakutsk's is no organization of mine
    web_page.shot("packs-01-list")

    page.get_by_role("link", name=re.compile("Наставничество руководителей муниципальных")).click()
    assert "Файлы версии 1" in page.locator("main").inner_text()
    page.get_by_role("link", name=ROADMAP).click()
    editor = page.locator("#rule-text")
    assert OLD_EVENT in editor.input_value()

    # a category the pack does not have: named while typing, with its line
    text = editor.input_value()
    position = text.index("mentee_category: new_head") + len("mentee_category: new_hea")
    page.evaluate("pos => { const t = document.getElementById('rule-text'); t.focus(); t.setSelectionRange(pos, pos + 1); }",
                  position)
    page.keyboard.type("x")
    problem = page.locator("#rule-problems .rf-problem").first
    problem.wait_for(timeout=10000)
    line = text.split("\n").index("mentee_category: new_head") + 1
    assert "mentee_category" in problem.inner_text() and "категории «new_heax» нет в pack.yaml" in problem.inner_text()
    assert f"строка {line}" in problem.inner_text()
    assert page.locator(".rf-editor__gutter .is-bad").inner_text() == str(line)
    web_page.shot("packs-02-editor-problem")

    editor.fill(SHIPPED.replace(OLD_EVENT, NEW_EVENT))
    expect(page.locator("#rule-problems-status")).to_contain_text("ошибок нет", timeout=10000)
    page.get_by_label("Комментарий к версии").fill("Формулировка мероприятия 1.1 по письму департамента")
    page.get_by_role("button", name="Сохранить как новую версию").click()
    assert "Сохранена версия 2" in page.locator(".flash").inner_text()
    version = page.locator(".rf-version[data-version='2']")
    assert "черновик" in version.inner_text() and "изменены: roadmaps/tomsk_new_head.yaml" in version.inner_text()
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT  # a draft does not run

    version.get_by_role("button", name="Развернуть").click()
    assert "Версия 2 развёрнута" in page.locator(".flash").inner_text()
    assert "заменена" in page.locator(".rf-version[data-version='1']").inner_text()
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT  # the process runs it now
    web_page.shot("packs-03-deployed")

    page.get_by_role("link", name="Сравнить с 1").click()
    assert page.locator("h1").inner_text() == "Сравнение версий 1 и 2"
    replaced = page.locator(".rf-diff__row--replace .rf-diff__new").all_inner_texts()
    assert any(NEW_EVENT in row for row in replaced)
    web_page.shot("packs-04-diff")
    assert web_page.console_errors == []


def test_the_pack_pages_fit_a_phone(phone_page):
    page = phone_page.page
    phone_page.login("methodologist")
    for path, name in [("/methodology/packs", "packs-05-phone-list"), ("/methodology/packs/tomsk", "packs-06-phone-pack"),
                       (f"/methodology/packs/tomsk/files/{ROADMAP}", "packs-07-phone-editor")]:
        phone_page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        phone_page.shot(name)
    assert phone_page.console_errors == []
