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
from tests.web.modeler_support import WORKFLOWS, differences, meaning, miwg_files, unordered
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
    _select(page, "Event_early_completion")  # a message event: the message and the variable its data goes to
    expect(_entry(page, "message-variable").locator("textarea")).to_have_value("early_completion")
    expect(page.locator('#properties [data-group-id="group-message"]')).to_contain_text("Сообщение")
    _select(page, "Event_stage_reminder")
    expect(_entry(page, "problems")).to_contain_text("ещё не запускалась")
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
    # a form of the diagram's own: nobody could open it in the browser, the live check marks the task, in the panel too
    _entry(page, "form-own").locator("input").fill("term_reminder_note")
    expect(_entry(page, "problems")).to_contain_text("«term_reminder_note» системе не известна", timeout=15000)
    expect(page.locator('#modeler svg [data-element-id="Task_term_reminder"].has-problem')).to_have_count(1)
    demo_page.shot("modeler-form-problem")
    _entry(page, "fields").locator("input").fill("plan: text; comment: text")
    expect(_entry(page, "problems")).to_contain_text("системе не известна", timeout=15000)
    # only a task completed through the API may keep a form of its own
    _entry(page, "channel").locator("select").select_option("api")
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)
    saved = _check_and_save(demo_page, "mentor_appointment", "Напоминание с планом действий")
    assert b'name="form" value="term_reminder_note"' in saved
    assert b'name="fields" value="plan: text; comment: text"' in saved
    assert b'name="channel" value="api"' in saved
    assert demo_page.console_errors == []


def test_a_lane_renamed_to_a_role_that_cannot_fill_its_forms_is_marked(demo_page):
    """The curator's lane renamed «Методист»: the methodologist has no page for «Предложить кандидата»."""
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/mentor_appointment/1")
    _select(page, "Lane_curator")
    _entry(page, "role").locator("select").select_option("Методист")
    expect(page.locator('#modeler svg [data-element-id="Task_propose_mentor"].has-problem')).to_have_count(
        1, timeout=15000)
    _select(page, "Task_propose_mentor")
    expect(_entry(page, "form")).to_contain_text("Заполняет куратор.")
    expect(_entry(page, "problems")).to_contain_text("заполняет куратор, а задача на дорожке роли «методист»")
    assert demo_page.console_errors == []


def test_a_condition_changed_through_the_panel_is_checked_and_saved(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/pair_formation/1")
    _select(page, "Lane_curator")  # a lane is a role
    expect(_entry(page, "role").locator("select")).to_have_value("Куратор")
    assert _entry(page, "role").locator("option").all_inner_texts()[1:] == [
        "Куратор", "Методист", "Руководитель", "Наставник", "Наставляемый", "Система (автоматические шаги)"]
    _select(page, "Task_check_mentor")  # a business rule task names a rule set: the running ones, with version
    ruleset = _entry(page, "ruleset").locator("select")
    expect(ruleset).to_have_value("pack:mentor_eligibility")
    assert any("версия" in text for text in _entry(page, "ruleset").locator("option").all_inner_texts())
    flow = "Flow_mentor_eligible_to_category_regulation"
    _select(page, flow)  # the group says where the flow goes; the hint, what the step before the gateway decided
    expect(page.locator('#properties [data-group-id="group-nastavnik"]')).to_contain_text(
        "Переход из «Наставник соответствует требованиям?» в «Положение определяет категории")
    expect(_entry(page, "flow-ends")).to_have_text(
        "Переход из «Наставник соответствует требованиям?» в «Положение определяет категории правилами?».")
    expect(_entry(page, "condition")).to_contain_text("в переменной decision")
    condition = _entry(page, "condition").locator("textarea")
    expect(condition).to_have_value("decision['verdict'] == 'eligible'")
    condition.fill("__import__('os')")
    expect(_entry(page, "problems").locator("li")).not_to_have_count(0, timeout=15000)  # the live check's
    expect(page.locator(f'#problems-elements li[data-element-id="{flow}"]')).to_have_count(1)
    condition.fill("decision['verdict'] in ('eligible', 'eligible_with_conditions')")
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)
    saved = _check_and_save(demo_page, "pair_formation", "Условие допускает кандидата с условиями")
    assert b"'eligible_with_conditions')</bpmn:conditionExpression>" in saved
    assert b"<bpmn:loopDataInputRef>mentee_facts</bpmn:loopDataInputRef>" in saved
    assert demo_page.console_errors == []


def test_the_condition_hint_names_the_fields_of_the_form_before_the_gateway(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/program_lifecycle/1")
    _select(page, "Flow_report_approved_to_stage")  # «Отчёт принят?» after the curator's review of the report
    hint = _entry(page, "condition")
    expect(hint).to_contain_text("Данные формы «")
    expect(hint).to_contain_text("шага «Рассмотреть отчёт по этапу»")
    expect(hint).to_contain_text("Например: approved == True")
    demo_page.shot("modeler-flow-1280")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the palette keeps to its corner
    box = page.locator("#modeler .djs-palette").bounding_box()
    assert box is not None and box["width"] <= 70, box
    demo_page.shot("modeler-flow-390")
    modeler = page.locator("#modeler").bounding_box()
    assert modeler is not None and modeler["x"] + modeler["width"] <= 390, modeler
    assert demo_page.console_errors == []


MIWG = miwg_files()
LISTED = """() => Array.from(document.querySelectorAll('#problems-elements li[data-element-id]'))
    .map(li => [li.dataset.elementId, li.innerText])"""
DRAWN = """(ids) => ids.filter(id => { const m = window.nastavnikModeler;
    const e = m.get('elementRegistry').get(id); return e && e !== m.get('canvas').getRootElement(); })"""
MARKED = "() => Array.from(document.querySelectorAll('#modeler svg .has-problem')).map(g => g.dataset.elementId)"


def _upload(demo_page, path) -> None:
    page = demo_page.page
    demo_page.goto("/methodology/upload")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=30000)


def _assert_problems_marked(page, name: str) -> None:
    """Every listed problem whose element the shown diagram draws is marked on it; the rest say where they are."""
    listed = page.evaluate(LISTED)
    drawn = set(page.evaluate(DRAWN, sorted({element_id for element_id, _ in listed})))
    assert set(page.evaluate(MARKED)) == drawn, name
    for element_id, text in listed:
        if element_id not in drawn:
            assert "(элемента нет на схеме)" in text or "на другой схеме" in text or "всему процессу" in text, \
                (name, text)
    assert page.locator(".problem-overlay").count() == len(drawn), name


@pytest.mark.skipif(not MIWG, reason="the MIWG reference files are not on this machine")
def test_each_miwg_reference_file_opens_with_its_problems_marked(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = demo_page.page
    assert len(MIWG) == 21
    for path in MIWG:
        _upload(demo_page, path)
        assert page.get_attribute("#modeler", "data-modeler-state") == "ready", (path.name, page.inner_text("#modeler-status"))
        assert page.locator("#problems-elements li, #problems-general li").count() >= 1, path.name  # none runs here
        _assert_problems_marked(page, path.name)
        warnings = int(page.get_attribute("#modeler", "data-import-warnings"))
        assert page.locator("#import-warnings-list li").count() == warnings
        if warnings:
            expect(page.locator("#import-warnings")).to_be_visible()
        assert demo_page.console_errors == [], path.name
        if path.name in ("A.4.0.bpmn", "C.8.1.bpmn"):
            demo_page.shot(f"modeler-miwg-{path.stem}")


@pytest.mark.skipif(not MIWG, reason="the MIWG reference files are not on this machine")
def test_a_file_with_several_diagrams_has_a_switcher(demo_page):
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = demo_page.page
    _upload(demo_page, next(p for p in MIWG if p.name == "C.4.0.bpmn"))
    switcher = page.locator("#diagram-switcher")
    expect(switcher).to_be_visible()
    assert switcher.locator("option").count() == 4
    elsewhere = page.locator("#problems-elements li", has_text="на другой схеме").first
    element_id = elsewhere.get_attribute("data-element-id")
    elsewhere.locator("button").click()  # the problem's element: its diagram opens, the element selected
    expect(page.locator("#modeler")).not_to_have_attribute("data-diagram", "0")
    expect(page.locator(f'#modeler svg [data-element-id="{element_id}"].has-problem')).to_have_count(1)
    _assert_problems_marked(page, "C.4.0 after switching")
    switcher.select_option("0")
    expect(page.locator("#modeler")).to_have_attribute("data-diagram", "0")
    _assert_problems_marked(page, "C.4.0 back on the first diagram")
    demo_page.shot("modeler-miwg-C.4.0-switcher")
    assert demo_page.console_errors == []


def test_a_bare_process_is_laid_out_and_keeps_its_meaning(demo_page, demo_server, tmp_path):
    """A process without a drawing (no BPMNDiagram) is laid out by bpmn-auto-layout; nothing else changes."""
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = demo_page.page
    source = next(p for p in WORKFLOWS if p.stem == "pair_formation").read_bytes()
    bare = source[:source.index(b"<bpmndi:BPMNDiagram")] + b"</bpmn:definitions>\n"
    path = tmp_path / "pair_formation.bpmn"
    path.write_bytes(bare)
    _upload(demo_page, path)
    assert page.get_attribute("#modeler", "data-modeler-state") == "ready", page.inner_text("#modeler-status")
    assert page.get_attribute("#modeler", "data-laid-out") == "true"
    expect(page.locator("#layout-note")).to_be_visible()
    assert page.locator('#modeler svg [data-element-id="Task_mentee_categories"]').count() == 1
    saved = page.evaluate(SAVE_XML).encode("utf-8")
    assert b"<bpmndi:BPMNShape" in saved
    domain = database(demo_server.app).domain
    # the same meaning, except the order SpiffWorkflow tries a gateway's flows in: by where their targets are
    # drawn, so a layout may change it (the conditions of an exclusive gateway exclude each other anyway)
    assert differences(unordered(meaning(bare, path.name, domain)), unordered(meaning(saved, path.name, domain))) == []
    demo_page.shot("modeler-bare-process")
    assert demo_page.console_errors == []


def test_the_modeler_on_a_phone(browser, demo_server):
    from tests.web.conftest import _open_page

    context, phone = _open_page(browser, demo_server, viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        phone.login("methodologist", DEMO_PASSWORD)
        page = _open(phone, "/methodology/workflows/program_lifecycle/1")
        _select(page, "Event_stage_reminder")
        expect(_entry(page, "timer-kind").locator("select")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        phone.shot("modeler-phone-390")
        assert phone.console_errors == []
    finally:
        context.close()


def test_what_the_editor_cannot_read_is_listed_not_ignored(demo_page, tmp_path):
    """An extension element the editor does not know would be lost on save: the import warning says so."""
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = demo_page.page
    source = next(p for p in WORKFLOWS if p.stem == "mentor_appointment").read_bytes()
    marker = b'<spiffworkflow:property name="form" value="acknowledge_reminder"'
    assert marker in source
    odd = source.replace(marker, b"<spiffworkflow:property name=\"x\" value=\"y\" /></spiffworkflow:properties>"
                                 b"<spiffworkflow:unknownThing>1</spiffworkflow:unknownThing><spiffworkflow:properties>"
                                 + marker)
    path = tmp_path / "mentor_appointment.bpmn"
    path.write_bytes(odd)
    _upload(demo_page, path)
    assert page.get_attribute("#modeler", "data-modeler-state") == "ready"
    expect(page.locator("#import-warnings")).to_be_visible()
    warning = page.locator("#import-warnings-list li").first
    expect(warning).to_contain_text("spiffworkflow:unknownThing")
    expect(warning).to_contain_text("редактор его не сохранит")
    assert demo_page.console_errors == []


def test_a_new_user_task_gets_its_form_through_the_panel(demo_page):
    """A user task drawn on the curator's lane is refused without a form; the form chosen in the panel fixes it."""
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/mentor_appointment/1")
    new_id = page.evaluate("""() => { const m = window.nastavnikModeler;
        const source = m.get("elementRegistry").get("Task_term_reminder");
        const modeling = m.get("modeling");
        const onward = source.outgoing[0];  // the task goes between the reminder and what followed it
        const shape = modeling.appendShape(source, {type: "bpmn:UserTask"},  // on the curator's lane, as the source
            {x: source.x + source.width * 2, y: source.y + source.height / 2});
        modeling.reconnectStart(onward, shape, {x: shape.x + shape.width, y: shape.y + shape.height / 2});
        modeling.updateLabel(shape, "Обсудить итоги с наставником");
        return shape.id; }""")
    _select(page, new_id)
    expect(_entry(page, "problems")).to_contain_text("форм", timeout=15000)
    _entry(page, "form").locator("select").select_option("acknowledge_reminder")
    expect(_entry(page, "form")).to_contain_text("Поля:")
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).to_have_attribute("data-check-state", "ok")
    demo_page.shot("modeler-new-user-task")
    assert demo_page.console_errors == []


def test_the_effect_and_the_kind_are_chosen_in_the_panel(demo_page):
    """The reminder's effect (what the system does when it opens) is shown and chosen in the panel: cleared, the
    check refuses the process of kind «program» in Russian; chosen again, it passes. The pool shows the kind."""
    demo_page.login("methodologist", DEMO_PASSWORD)
    page = _open(demo_page, "/methodology/workflows/program_lifecycle/1")
    _select(page, "Participant_program_lifecycle")
    expect(_entry(page, "kind").locator("select")).to_have_value("program")
    expect(_entry(page, "kind")).to_contain_text("stage_reminder")
    _select(page, "Task_stage_reminder")
    effect = _entry(page, "effect")
    expect(effect.locator("select")).to_have_value("stage_reminder")
    expect(effect).to_contain_text("Напоминание о сроке этапа")
    effect.locator("select").select_option("")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).not_to_have_attribute("data-check-state", "ok", timeout=15000)
    expect(page.locator("body")).to_contain_text("должен содержать элемент с действием системы «stage_reminder»",
                                                 timeout=15000)
    _select(page, "Task_stage_reminder")
    _entry(page, "effect").locator("select").select_option("stage_reminder")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).to_have_attribute("data-check-state", "ok", timeout=15000)
    assert demo_page.console_errors == []
