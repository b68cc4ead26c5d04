"""In a real browser on the demo: the methodologist deploys a version 2 of the program process with a task renamed,
opens «Перевести выполняющиеся программы на новую версию», ticks one program and moves it; the program's page then
runs on version 2 and shows its progress in plain words, also on a phone (390 px)."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from engine.bootstrap import bootstrap
from engine.db import make_engine
from engine.db.models import Program, WorkflowInstance
from engine.demo.world import DEMO_PASSWORD, IN_PROGRESS_PAIR
from engine.services.people.actor import load_actor
from engine.services.process import definitions
from tests.web.conftest import _open_page

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = (ROOT / "workflows" / "program_lifecycle.bpmn").read_bytes()
V2 = LIFECYCLE.replace('name="Рассчитать сроки этапов"'.encode(), 'name="Рассчитать сроки этапов программы"'.encode())
assert V2 != LIFECYCLE


def _deploy_v2(demo_server) -> None:
    engine = make_engine(demo_server.database_url)
    try:
        with bootstrap().session_factory(engine)() as session:
            actor = load_actor(session, "methodologist")
            draft = definitions.save_draft(session, actor, V2, "program_lifecycle.bpmn").definition
            definitions.deploy_draft(session, actor, draft.id)
            session.commit()
    finally:
        engine.dispose()


def _version_of(demo_server, instance_id: int) -> int:
    engine = make_engine(demo_server.database_url)
    try:
        with bootstrap().session_factory(engine)() as session:
            return session.get(WorkflowInstance, instance_id).definition.version
    finally:
        engine.dispose()


def test_the_methodologist_moves_one_program(demo_page, demo_server):
    _deploy_v2(demo_server)
    page = demo_page.page
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto("/methodology")
    page.locator('a[data-migrate="program_lifecycle"]').first.click()
    page.wait_for_url(re.compile(r"/methodology/workflows/program_lifecycle/migrate$"))
    expect(page.get_by_role("heading", name="Перевести выполняющиеся программы на новую версию")).to_be_visible()
    rows = page.locator("tr.is-movable")
    assert rows.count() >= 1
    chosen = int(rows.first.get_attribute("data-instance-id"))
    demo_page.shot("migration-list")
    page.locator(f"#instance-{chosen}").check()
    page.get_by_role("button", name="Перевести выбранные").click()
    page.wait_for_url(re.compile(r"/methodology/workflows/program_lifecycle/migrate$"))
    expect(page.locator(".flash")).to_contain_text("Переведён на новую версию 1 процесс.")
    assert page.locator(f'tr[data-instance-id="{chosen}"]').count() == 0
    assert _version_of(demo_server, chosen) == 2
    assert demo_page.console_errors == []


def test_the_progress_on_a_phone(browser, demo_server):
    engine = make_engine(demo_server.database_url)
    try:
        with bootstrap().session_factory(engine)() as session:
            from sqlalchemy import select

            from engine.db.models import MentoringGroup, Person
            mentor_id = session.scalar(select(Person.id).where(Person.login == IN_PROGRESS_PAIR[0]))
            mentee_id = session.scalar(select(Person.id).where(Person.login == IN_PROGRESS_PAIR[1]))
            program_id = next(p.id for p in session.scalars(select(Program).join(MentoringGroup).where(
                MentoringGroup.mentor_id == mentor_id)) if mentee_id in [m.person_id for m in p.group.members])
    finally:
        engine.dispose()
    context, phone = _open_page(browser, demo_server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    try:
        phone.login(IN_PROGRESS_PAIR[1], DEMO_PASSWORD)
        phone.goto(f"/programs/{program_id}")
        progress = phone.page.locator("#progress")
        expect(progress).to_contain_text("Ход программы")
        expect(progress.locator('[data-state="current"]')).to_have_count(1)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        progress.screenshot(path=str(phone.shot("program-progress-390").with_name("program-progress-390-card.png")))
        phone.page.get_by_role("link", name="Схема процесса").click()
        expect(phone.page.locator("#process-title")).to_be_in_viewport()
        assert phone.console_errors == []
    finally:
        context.close()
