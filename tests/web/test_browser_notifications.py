"""The bell in a real browser on demo data (issue 13): the curator returns the stage report with a comment; the
mentor logs in, the bell shows 1, «Уведомления» shows the returned report with the comment, «Перейти» opens the
program's stage page and the bell goes to 0. Screenshots at 1280 and 390 px."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import MentoringGroup, OpenTask, Person, Program
from engine.demo.world import DEMO_PASSWORD, IN_PROGRESS_PAIR
from engine.services.notifications import inbox
from engine.services.people.actor import load_actor
from tests.web.conftest import _open_page

COMMENT = "Добавьте выводы по итогам диагностики и план консультаций."


def _prepare(database_url: str) -> tuple[int, int, str]:
    """The in-progress program, its review task; the mentor has read everything told him so far."""
    mentor_login, mentee_login = IN_PROGRESS_PAIR
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            mentor = session.scalar(select(Person.id).where(Person.login == mentor_login))
            mentee = session.scalar(select(Person.id).where(Person.login == mentee_login))
            programs = session.scalars(select(Program).join(MentoringGroup).where(MentoringGroup.mentor_id == mentor))
            program = next(p for p in programs if mentee in [m.person_id for m in p.group.members])
            review = session.scalar(select(OpenTask).where(OpenTask.instance_id == program.workflow_instance_id,
                                                           OpenTask.form_id == "review_stage_report"))
            assert review is not None
            inbox.mark_all_read(session, load_actor(session, mentor_login))
            session.commit()
            return program.id, review.instance_id, review.task_id
    finally:
        engine.dispose()


def test_the_mentors_bell_shows_the_returned_report_and_opens_the_stage(browser, demo_page, demo_server):
    program_id, instance_id, task_id = _prepare(demo_server.database_url)
    page = demo_page.page

    demo_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    demo_page.goto(f"/tasks/{instance_id}/{task_id}")
    page.get_by_label("Комментарий куратора").fill(COMMENT)
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.wait_for_url(re.compile(r"/inbox$"))
    # logging out navigates away from the inbox, so none of its requests still in flight can bring the curator's
    # session cookie back (clearing cookies under a live page raced with them under load)
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url(re.compile(r"/login"))

    demo_page.login(IN_PROGRESS_PAIR[0], DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/login" not in url)
    bell = page.locator("#bell")
    expect(bell.locator(".bell__count")).to_have_text("1")
    assert bell.get_attribute("aria-label") == "Уведомления: 1 новое"
    demo_page.shot("notifications-bell-1280")
    bell.click()
    page.wait_for_url(re.compile(r"/notifications$"))
    expect(page.locator("#notices-unread")).to_have_text("1 новое уведомление")
    item = page.locator('li.notice.is-unread[data-kind="report_returned"]')
    expect(item).to_have_count(1)
    expect(item.locator(".notice__title")).to_contain_text("Отчёт возвращён на доработку")
    expect(item.locator(".notice__body")).to_contain_text(COMMENT)
    demo_page.shot("notifications-list-1280")

    context, phone = _open_page(browser, demo_server, viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                is_mobile=True, has_touch=True)
    try:
        phone.login(IN_PROGRESS_PAIR[0], DEMO_PASSWORD)
        phone.page.wait_for_url(lambda url: "/login" not in url)
        expect(phone.page.locator("#bell .bell__count")).to_have_text("1")
        box = phone.page.locator("#bell").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # on the screen
        phone.shot("notifications-bell-390")
        phone.goto("/notifications")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the list scrolls sideways on a phone: {width}px"
        phone.shot("notifications-list-390")
        assert phone.console_errors == []
    finally:
        context.close()

    item.get_by_role("button", name="Перейти").click()
    page.wait_for_url(re.compile(rf"/my/programs/{program_id}$"))
    expect(page.get_by_text(COMMENT).first).to_be_visible()  # the stage page shows what to correct
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    assert page.locator("#bell").get_attribute("aria-label") == "Уведомления: новых нет"
    assert demo_page.console_errors == []
