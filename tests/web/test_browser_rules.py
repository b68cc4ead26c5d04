"""The methodologist edits a rule file in a real browser on the demo data: an error shows while typing,
the fixed file is saved as version 2 and deployed, tried on facts, and compared with version 1."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD
from engine.regulations import rule_file_paths, shipped_rule_file
from engine.rules import decide, default_registry

NAME = "mentor_eligibility_tomsk"
SHIPPED = shipped_rule_file(NAME).read_text(encoding="utf-8")
FACTS = {"years_as_head": 4, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85,
         "has_mentorship_certificate": True}


@pytest.fixture(scope="module", autouse=True)
def shipped_rules_run_afterwards():
    yield
    registry = default_registry()
    for path in rule_file_paths():
        assert registry.install(path.read_bytes(), str(path)) == []


def test_methodologist_edits_saves_deploys_tries_and_compares(demo_page):
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology/rules")
    assert page.locator("h1").inner_text() == "Файлы правил"
    assert page.locator("table.rf-files tbody tr").count() == 3  # the Tomsk files; Yakutsk's is not ours
    demo_page.shot("rules-01-list")

    page.get_by_role("link", name=re.compile("Соответствие наставника требованиям")).click()
    editor = page.locator("#rule-text")
    assert "years_as_head >= 5" in editor.input_value()

    # an unknown fact in a condition: the message appears while typing, naming the criterion and the line
    editor.click()
    text = editor.input_value()
    position = text.index("years_as_head >= 5") + len("years_as_hea")
    page.evaluate("pos => { const t = document.getElementById('rule-text'); t.focus(); t.setSelectionRange(pos, pos + 1); }",
                  position)
    page.keyboard.type("x")
    problem = page.locator("#rule-problems .rf-problem").first
    problem.wait_for(timeout=10000)
    assert "head_experience" in problem.inner_text() and "years_as_heax" in problem.inner_text()
    line = text[:position].count("\n") + 1  # the condition's line in the shipped file
    assert f"строка {line}" in problem.inner_text()
    assert page.locator(".rf-editor__gutter .is-bad").inner_text() == str(line)
    demo_page.shot("rules-02-editor-error")

    # fixed, the minimum years as head lowered to 4, the version bumped: no problems left
    edited = (SHIPPED.replace('version: "1"', 'version: "2"').replace("years_as_head >= 5", "years_as_head >= 4")
              .replace("не менее 5 лет", "не менее 4 лет"))
    editor.fill(edited)
    expect(page.locator("#rule-problems-status")).to_contain_text("ошибок нет", timeout=10000)
    assert page.locator("#rule-problems .rf-problem").count() == 0
    page.get_by_label("Комментарий к версии").fill("Порог стажа руководителя — 4 года")
    page.get_by_role("button", name="Сохранить как новую версию").click()
    assert "Сохранена версия 2" in page.locator(".flash").inner_text()

    page.locator(".rf-version", has_text="Версия 2").get_by_role("button", name="Развернуть").click()
    assert "Версия 2 развёрнута" in page.locator(".flash").inner_text()
    assert decide(NAME, FACTS)["version"] == "2"  # the running rules changed with the deploy

    # try the deployed version on facts typed in the form
    page.get_by_role("link", name="Проверить на фактах").click()
    page.get_by_label(re.compile("Стаж работы в должности руководителя")).fill("4")
    page.get_by_label(re.compile("Уровень конкурса")).select_option("regional")
    page.get_by_label("Результат участия в конкурсе").select_option("laureate")
    page.get_by_label(re.compile("Результат оценки эффективности")).fill("85")
    page.get_by_label(re.compile("Удостоверение")).select_option("yes")
    page.get_by_role("button", name="Вычислить решение").click()
    result = page.locator("#decision")
    assert result.locator(".rf-verdict").inner_text() == "Может быть назначен наставником"
    assert result.locator(".rf-criterion").count() == 4
    assert result.locator(".rf-criterion--passed").count() == 4
    first = result.locator(".rf-criterion").first.inner_text()
    assert "Стаж в должности руководителя — 4 года: не менее 4 лет" in first and "Основание: 003 §3.5" in first
    assert 'version: "2"' in result.inner_text() and "24 месяца" in result.inner_text()  # the unit agrees
    demo_page.shot("rules-03-try")

    # the difference between version 1 and 2
    page.get_by_role("link", name="Сравнить версии").click()
    assert page.locator("h1").inner_text() == "Сравнение версий 1 и 2"
    summary = page.locator(".rf-summary").inner_text()
    assert "head_experience" in summary and "years_as_head >= 5» → «years_as_head >= 4" in summary
    replaced = page.locator(".rf-diff__row--replace .rf-diff__new").all_inner_texts()
    assert [line.strip() for line in replaced][:3] == [
        'version: "2"', "label: Стаж в должности руководителя ОО г. Томска не менее 4 лет",
        "condition: years_as_head >= 4"]
    demo_page.shot("rules-04-diff")
    assert demo_page.console_errors == []
