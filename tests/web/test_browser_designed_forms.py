"""In a real browser on the demo, the methodologist designs a form (form-js) with two fields, deploys it, draws a new
user task at the start of the program process, chooses that form in the properties
panel, checks, saves and deploys the process; the head signs the pair-formation order, the new program starts on the
new version and the curator answers the designed form — a wrong answer is refused with a Russian message naming the field —
and the program page lists the answers with their labels. Screenshots at 1280 and 390 px."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from engine.bootstrap import bootstrap
from engine.db import make_engine
from engine.db.models import Program, WorkflowInstance
from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import SCREENSHOTS, _open_page

FIELDS = """() => { const editor = window.nastavnikFormEditor;
    const modeling = editor.get("modeling");
    const root = editor._getState().schema;
    modeling.addFormField({type: "textfield", key: "topic", label: "Тема встречи",
                           validate: {required: true, minLength: 5}}, root, 0);
    modeling.addFormField({type: "number", key: "hours", label: "Сколько часов заняла", decimalDigits: 0,
                           validate: {min: 1, max: 8}}, root, 1);
    return editor.saveSchema().components.length; }"""


def _db(demo_server, work):
    engine = make_engine(demo_server.database_url)
    try:
        with bootstrap().session_factory(engine)() as session:
            return work(session)
    finally:
        engine.dispose()


def _design_form(demo_page) -> None:
    page = demo_page.page
    demo_page.goto("/methodology/forms")
    expect(page.get_by_role("heading", name="Формы", exact=True)).to_be_visible()
    page.get_by_label("Название").fill("Итоги встречи куратора")
    page.get_by_label("Ключ (латиницей)").fill("meeting_notes")
    page.get_by_role("button", name="Создать форму").click()
    page.wait_for_url(re.compile(r"/methodology/forms/meeting_notes$"))
    expect(page.locator("#form-editor")).to_have_attribute("data-ready", "1", timeout=30000)
    expect(page.locator('.fjs-palette-field[data-field-type="filepicker"]')).to_be_hidden()  # the server refuses it
    expect(page.locator(".fjs-palette-container")).to_contain_text("Текст")  # the palette speaks Russian
    assert page.evaluate(FIELDS) == 2
    page.evaluate("""() => { const editor = window.nastavnikFormEditor;  // as a click on the field does
        editor.get("selection").set(editor.get("formFieldRegistry").getAll().find(f => f.key === "topic")); }""")
    expect(page.locator(".fjs-properties-container")).to_contain_text("Подпись")
    demo_page.shot("designed-form-editor")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.locator("#form-status")).to_contain_text("Черновик версии 1 сохранён")
    page.get_by_role("button", name="Развернуть версию 1").click()
    expect(page.locator(".flash")).to_contain_text("Версия 1 формы «Итоги встречи куратора» развёрнута")


def _draw_task_and_deploy(demo_page) -> str:
    """A new curator's task when a program starts, its form chosen in the properties panel."""
    page = demo_page.page
    demo_page.goto("/methodology/workflows/program_lifecycle/1")
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=30000)
    new_id = page.evaluate("""() => { const m = window.nastavnikModeler;
        const source = m.get("elementRegistry").get("Task_init_program");
        const modeling = m.get("modeling");
        const onward = source.outgoing[0];  // the program's start -> its first stage: the new task goes between
        const shape = modeling.appendShape(source, {type: "bpmn:UserTask"}, {x: 330, y: 800});  // the curator's lane
        modeling.reconnectStart(onward, shape, {x: shape.x + shape.width, y: shape.y + shape.height / 2});
        modeling.updateLabel(shape, "Записать итоги встречи");
        m.get("selection").select(shape);
        return shape.id; }""")
    form = page.locator('#properties [data-entry-id="nastavnik-form"]')
    form.locator("select").select_option("designed:meeting_notes")
    expect(form).to_contain_text("Поля: Тема встречи (topic, обязательное); Сколько часов заняла (hours)")
    expect(page.locator('#properties [data-entry-id="nastavnik-problems"]')).to_contain_text(
        "замечаний к элементу нет", timeout=15000)
    demo_page.shot("designed-form-in-modeler")
    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).to_have_attribute("data-check-state", "ok")
    page.fill("#version-comment", "Итоги встречи после рассмотрения отчёта")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить как новую версию").click()
    page.wait_for_url("**/methodology/workflows/program_lifecycle/2")
    page.locator("#deploy-button").click()
    expect(page.locator(".flash").first).to_be_visible()
    return new_id


def test_a_designed_form_drawn_deployed_and_answered(demo_page, demo_server, browser):
    demo_page.login("methodologist", DEMO_PASSWORD)
    _design_form(demo_page)
    new_id = _draw_task_and_deploy(demo_page)
    assert demo_page.console_errors == []

    page = demo_page.page  # the head signs the pair-formation order: a new program starts on version 2
    page.get_by_role("button", name="Выйти").click()
    demo_page.login("head", DEMO_PASSWORD)
    demo_page.goto("/orders")
    page.locator("table.orders-awaiting tbody tr").get_by_role(
        "link", name="О формировании наставнических пар (групп)").click()
    page.get_by_role("button", name="Подписать").click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    page.locator("a.program-link").first.click()
    page.wait_for_url(re.compile(r".*/programs/\d+$"))
    program_id = int(page.url.rsplit("/", 1)[1])
    instance_id = _db(demo_server, lambda session: session.get(Program, program_id).workflow_instance_id)
    assert _db(demo_server, lambda session: session.get(WorkflowInstance, instance_id).definition.version) == 2

    page.get_by_role("button", name="Выйти").click()  # the curator answers the designed form
    demo_page.login("curator", DEMO_PASSWORD)
    demo_page.goto("/inbox?q=" + "")
    link = page.locator(f'a[href*="/steps/{instance_id}/"]')
    expect(link).to_have_text("Записать итоги встречи")
    link.click()
    page.wait_for_url(re.compile(rf"/steps/{instance_id}/"))
    step_url = page.url
    expect(page.get_by_role("heading", name="Записать итоги встречи")).to_be_visible()

    context, phone = _open_page(browser, demo_server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    try:
        phone.login("curator", DEMO_PASSWORD)
        phone.page.goto(step_url)
        expect(phone.page.get_by_label("Тема встречи *")).to_be_visible()
        phone.shot("designed-form-step-phone")
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()

    page.get_by_label("Тема встречи *").fill("Итог")
    page.get_by_label("Сколько часов заняла").fill("12")
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator("#step-error")).to_have_text("поле «Тема встречи»: не короче 5 знаков")
    expect(page.locator('[data-field="topic"] .field__error')).to_be_visible()
    demo_page.shot("designed-form-step-refused")
    page.get_by_label("Тема встречи *").fill("Итоги первого этапа")
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator("#step-error")).to_have_text("поле «Сколько часов заняла»: не больше 8")
    page.get_by_label("Сколько часов заняла").fill("2")
    page.get_by_role("button", name="Отправить").click()
    expect(page.locator(".flash").first).to_contain_text("Шаг «Записать итоги встречи» выполнен.")

    demo_page.goto(f"/programs/{program_id}")
    card = page.locator("#designed-answers")
    expect(card).to_contain_text("Итоги встречи куратора")
    expect(card).to_contain_text("Тема встречи")
    expect(card).to_contain_text("Итоги первого этапа")
    expect(card).to_contain_text("Сколько часов заняла")
    assert "topic" not in card.inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "designed-form-answers.png"))
    page.wait_for_selector("#program-diagram[data-bpmn-state=ready]", timeout=20000)
    assert page.locator(f'#program-diagram [data-element-id="{new_id}"]').count() == 1  # the drawn task, done
    assert demo_page.console_errors == []
