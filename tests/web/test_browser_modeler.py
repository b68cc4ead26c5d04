"""The methodologist edits processes in the browser's modeler (bpmn-js with the properties panel):
every shipped process opens without import warnings and, saved without edits, means to the engine exactly
what the file says (the multi-instance variable names included) and passes the check; one thing changed
through the panel (a timer's duration, a form, a condition) is checked and saved as a new draft version;
each of the 21 MIWG reference files opens without a crash, its problems marked on its elements."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engine.demo.world import DEMO_PASSWORD
from engine.services.process import definitions
from tests.web.modeler_support import WORKFLOWS, differences, meaning, miwg_files
from web.db import database

SAVE_XML = "() => window.nastavnikModeler.saveXML({format: true}).then(r => r.xml)"


def _open(demo_page, path: str):
    page = demo_page.page
    demo_page.goto(path)
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=30000)
    assert page.get_attribute("#modeler", "data-modeler-state") == "ready", page.inner_text("#modeler-status")
    return page


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.stem)
def test_a_shipped_process_saved_without_edits_means_the_same(demo_page, demo_server, workflow):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, f"/methodology/workflows/{workflow.stem}/1")
    assert page.get_attribute("#modeler", "data-import-warnings") == "0", page.inner_text("#import-warnings")
    expect(page.locator("#import-warnings")).to_be_hidden()
    saved = page.evaluate(SAVE_XML).encode("utf-8")
    domain = database(demo_server.app).domain
    assert definitions.check(saved, workflow.name, domain=domain) == []
    original = meaning(workflow.read_bytes(), workflow.name, domain)
    assert differences(original, meaning(saved, workflow.name, domain)) == []
    assert demo_page.console_errors == []


def _select(page, element_id: str) -> None:
    """Select an element on the canvas (as a click does); the properties panel shows it."""
    page.evaluate("""(id) => { const m = window.nastavnikModeler;
        m.get("selection").select(m.get("elementRegistry").get(id)); }""", element_id)
    expect(page.locator("#properties .bio-properties-panel-header-label")).not_to_be_empty()


def _entry(page, entry_id: str):
    return page.locator(f'#properties [data-entry-id="nastavnik-{entry_id}"]')


def _check_and_save(demo_page, process_id: str, comment: str) -> bytes:
    page = demo_page.page
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).to_have_attribute("data-check-state", "ok")
    page.fill("#version-comment", comment)
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить как новую версию").click()
    page.wait_for_url(f"**/methodology/workflows/{process_id}/2")
    assert "Сохранена версия 2" in page.inner_text(".flash")
    response = page.request.get(f"{demo_page.base}/methodology/workflows/{process_id}/2.bpmn")
    assert response.ok
    return response.body()


def test_a_timer_changed_through_the_panel_is_checked_and_saved(demo_page, demo_server):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/program_lifecycle/1")
    _select(page, "Event_stage_reminder")
    assert "таймер" in page.inner_text("#properties .bio-properties-panel-header").lower()
    kind = _entry(page, "timer-kind").locator("select")
    expect(kind).to_have_value("timeDate")
    kind.select_option("timeDuration")
    _entry(page, "timer-expression").locator("input").fill("P14D")
    expect(_entry(page, "timer-expression")).to_contain_text("через 14 дней")
    demo_page.shot("modeler-timer-panel")
    saved = _check_and_save(demo_page, "program_lifecycle", "Напоминание об отчёте через 14 дней")
    assert b">P14D</bpmn:timeDuration>" in saved
    assert definitions.check(saved, "program_lifecycle.bpmn", domain=database(demo_server.app).domain) == []
    assert demo_page.console_errors == []


def test_a_form_changed_through_the_panel_is_checked_as_you_type(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/mentor_appointment/1")
    _select(page, "Task_term_reminder")
    form = _entry(page, "form")
    expect(form.locator("select")).to_have_value("acknowledge_reminder")
    assert "Поля:" in form.inner_text()
    # a form of the diagram's own without its fields: the live check marks the task, in the panel too
    _entry(page, "form-own").locator("input").fill("term_reminder_note")
    expect(_entry(page, "problems")).to_contain_text("нет контракта", timeout=15000)
    expect(page.locator('#modeler svg [data-element-id="Task_term_reminder"].has-problem')).to_have_count(1)
    demo_page.shot("modeler-form-problem")
    _entry(page, "fields").locator("input").fill("plan: text; comment: text")
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)
    saved = _check_and_save(demo_page, "mentor_appointment", "Напоминание с планом действий")
    assert b'name="form" value="term_reminder_note"' in saved
    assert b'name="fields" value="plan: text; comment: text"' in saved
    assert demo_page.console_errors == []


def test_a_condition_changed_through_the_panel_is_checked_and_saved(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/pair_formation/1")
    flow = "Flow_mentor_eligible_to_category_regulation"
    _select(page, flow)
    condition = _entry(page, "condition").locator("textarea")
    expect(condition).to_have_value("decision['verdict'] == 'eligible'")
    condition.fill("__import__('os')")
    expect(_entry(page, "problems")).not_to_contain_text("замечаний к элементу нет", timeout=15000)
    expect(page.locator(f'#problems-elements li[data-element-id="{flow}"]')).to_have_count(1)
    condition.fill("decision['verdict'] in ('eligible', 'eligible_with_conditions')")
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)
    saved = _check_and_save(demo_page, "pair_formation", "Условие допускает кандидата с условиями")
    assert b"'eligible_with_conditions')</bpmn:conditionExpression>" in saved
    assert b"<bpmn:loopDataInputRef>mentee_facts</bpmn:loopDataInputRef>" in saved
    assert demo_page.console_errors == []
