"""The methodologist on the demo data in a real browser: the list of workflows, a broken BPMN uploaded
and its error shown on the diagram element, fixed in the modeler, saved as version 2, deployed; the
running demo programs stay on version 1; the diff between the versions names the changed element."""
from __future__ import annotations

from pathlib import Path

from engine.demo.world import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = (ROOT / "workflows" / "program_lifecycle.bpmn").read_bytes()
SCRIPT_HEAD = "<bpmn:script>stage_index = 0"  # Task_init_program's script
BROKEN = LIFECYCLE.replace(SCRIPT_HEAD.encode(), (b"<bpmn:script>import os\nstage_index = 0"))
assert BROKEN != LIFECYCLE
ELEMENT = "Task_init_program"
NEW_NAME = "Рассчитать сроки этапов программы"


def _row(page, process_id: str, version: int):
    return page.locator(f'section[data-process-id="{process_id}"] tr[data-version="{version}"]')


def test_the_list_shows_the_shipped_workflows_in_use(demo_page):
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology")
    for process_id in ("mentor_appointment", "pair_formation", "program_lifecycle"):
        row = _row(page, process_id, 1)
        assert row.count() == 1
        assert "is-current" in (row.get_attribute("class") or "")
        assert row.locator(".badge--current").count() == 1
        assert row.locator(".usage li").count() >= 1
    programs = _row(page, "program_lifecycle", 1)
    assert programs.locator('.usage li[data-kind="program"][data-status="running"] strong').inner_text() == "1"
    assert programs.locator("[data-program-id]").count() == 5
    demo_page.shot("methodology-list")
    assert demo_page.console_errors == []


def test_broken_upload_is_marked_then_fixed_saved_deployed_and_diffed(demo_page, tmp_path):
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology/upload")
    broken = tmp_path / "program_lifecycle.bpmn"
    broken.write_bytes(BROKEN)
    page.set_input_files("input[type=file]", str(broken))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=20000)
    assert page.get_attribute("#modeler", "data-modeler-state") == "ready"

    # the problem is listed with the element id and name and shown on the diagram element
    item = page.locator(f'#problems-elements li[data-element-id="{ELEMENT}"]').first
    assert "«Рассчитать сроки этапов»" in item.inner_text() and "импорт" in item.inner_text()
    assert page.locator(f'#modeler svg [data-element-id="{ELEMENT}"].has-problem').count() == 1
    overlay = page.locator(f'#modeler .problem-overlay[data-element-id="{ELEMENT}"]')
    assert overlay.count() == 1 and "импорт модулей" in overlay.inner_text()
    demo_page.shot("methodology-modeler-errors")

    # saving a diagram that fails the check is refused
    page.get_by_role("button", name="Сохранить как новую версию").click()
    page.wait_for_selector("#modeler-status.status--error")
    assert "исправьте ошибки" in page.inner_text("#modeler-status")
    assert page.url.endswith("/methodology/upload")

    # fix it through the modeler: the script without the import, and a new name
    page.evaluate("""([id, name]) => {
        const modeler = window.nastavnikModeler;
        const element = modeler.get("elementRegistry").get(id);
        const script = element.businessObject.script.replace("import os\\n", "");
        modeler.get("modeling").updateProperties(element, {script: script, name: name});
    }""", [ELEMENT, NEW_NAME])
    page.get_by_role("button", name="Проверить").click()
    page.wait_for_selector("#modeler[data-check-state=ok]")
    assert page.locator("#modeler .has-problem").count() == 0
    assert page.locator("#modeler .problem-overlay").count() == 0

    page.fill("#version-comment", "Убран импорт, уточнено название")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить как новую версию").click()
    assert page.url.endswith("/methodology/workflows/program_lifecycle/2")
    assert "Сохранена версия 2" in page.inner_text(".flash")
    assert "уже запущенные" in page.inner_text("#deploy-panel")
    page.wait_for_selector("#modeler[data-modeler-state=ready]", timeout=20000)
    with page.expect_navigation():
        page.click("#deploy-button")

    # a program still runs on version 1: the deploy leads to moving it (issue 16 item 6); the list is one click away
    assert page.url.endswith("/methodology/workflows/program_lifecycle/migrate")
    assert "развёрнута" in page.inner_text(".flash")
    demo_page.goto("/methodology")
    v2, v1 = _row(page, "program_lifecycle", 2), _row(page, "program_lifecycle", 1)
    assert "is-current" in (v2.get_attribute("class") or "") and v2.locator(".badge--current").count() == 1
    assert "Убран импорт" in v2.inner_text()
    assert "is-current" not in (v1.get_attribute("class") or "")
    assert v1.locator('.usage li[data-kind="program"][data-status="running"] strong').inner_text() == "1"
    assert v2.locator(".usage li").count() == 0
    demo_page.shot("methodology-list-after-deploy")

    demo_page.goto("/methodology/workflows/program_lifecycle/diff?a=1&b=2")
    change = page.locator(f'#element-diff tr[data-element-id="{ELEMENT}"]')
    assert change.get_attribute("data-change") == "changed"
    text = change.inner_text()
    assert NEW_NAME in text and "Рассчитать сроки этапов" in text
    assert change.locator('dt[data-facet="name"]').count() == 1
    assert f'name="{NEW_NAME}"' in page.inner_text("#text-diff")
    demo_page.shot("methodology-diff")
    assert demo_page.console_errors == []


def test_an_upload_that_is_not_even_xml_is_listed(demo_page, tmp_path):
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology/upload")
    xxe = tmp_path / "xxe.bpmn"
    xxe.write_bytes(b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>')
    page.set_input_files("input[type=file]", str(xxe))
    page.get_by_role("button", name="Загрузить и проверить").click()
    assert "DTD" in page.inner_text("#problems") and page.locator("#modeler").count() == 0
    demo_page.shot("methodology-upload-refused")
    assert demo_page.console_errors == []


def test_the_modeler_marks_what_the_engine_would_run_wrongly(demo_page, tmp_path):
    """An interrupting event subprocess (SpiffWorkflow 3.2 would not interrupt) is marked on its start event by the
    server's check; made non-interrupting in the modeler, the live check passes."""
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology/upload")
    interrupting = tmp_path / "program_lifecycle.bpmn"
    interrupting.write_bytes(LIFECYCLE.replace('name="Ходатайство получено" isInterrupting="false"'.encode(),
                                               'name="Ходатайство&#10;получено"'.encode()))
    page.set_input_files("input[type=file]", str(interrupting))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=20000)
    element = "StartEvent_replacement"
    item = page.locator(f'#problems-elements li[data-element-id="{element}"]').first
    assert "«Ходатайство получено»" in item.inner_text()
    assert "прерывающее начальное событие подпроцесса по событию не поддерживается" in item.inner_text()
    overlay = page.locator(f'#modeler .problem-overlay[data-element-id="{element}"]')
    assert overlay.count() == 1 and "isInterrupting" in overlay.inner_text()

    page.evaluate("""(id) => {
        const modeler = window.nastavnikModeler;
        modeler.get("modeling").updateProperties(modeler.get("elementRegistry").get(id), {isInterrupting: false});
    }""", element)
    page.get_by_role("button", name="Проверить").click()
    page.wait_for_selector("#modeler[data-check-state=ok]")
    assert page.locator("#modeler .problem-overlay").count() == 0
    assert demo_page.console_errors == []
