"""The head on demo data in a real browser: the pair-formation order waiting for signature is read as a
document and signed (the programs appear), or refused with a reason that goes back into the workflow."""
from __future__ import annotations

import re
import shutil

import pytest
from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import OpenTask, Order
from engine.demo.world import DEMO_PASSWORD
from engine.services.process import instances
from tests.web.conftest import DemoServer, _open_page, serve

REASON = "Уточните форму наставничества для пары"


@pytest.fixture
def fresh_demo_page(browser, demo_database, tmp_path):
    """A page on a server of its own over a fresh copy of the demo database."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    with serve(url) as (app, base):
        server = DemoServer(base, app, url)
        context, page = _open_page(browser, server, viewport={"width": 1280, "height": 800})
        yield page, server
        context.close()


def _log_in_as_head(demo_page):
    demo_page.login("head", DEMO_PASSWORD)
    demo_page.page.wait_for_url(lambda url: "/login" not in url)  # logged in, on the first section
    demo_page.goto("/orders")
    assert demo_page.page.get_by_role("link", name="Приказы на подпись").is_visible()  # the head's section


def _open_the_waiting_order(demo_page):
    page = demo_page.page
    row = page.locator("table.orders-awaiting tbody tr")
    assert row.count() == 1
    assert "Формирование наставнических пар (групп)" in row.inner_text()
    row.get_by_role("link", name="О формировании наставнических пар (групп)").click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    return page


def test_head_signs_the_pair_formation_order_and_the_program_appears(demo_page):
    _log_in_as_head(demo_page)
    demo_page.shot("head-orders")
    page = _open_the_waiting_order(demo_page)

    document = page.locator("article.document")
    assert document.locator(".document__kind").inner_text() == "ПРИКАЗ"
    assert "ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ТОМСКА" in document.inner_text()
    assert document.locator(".document__draft").is_visible()
    clause = document.locator(".document__clause", has_text="Лебедев Сергей Петрович")
    assert clause.count() == 1 and "Белова Татьяна Николаевна" in clause.inner_text()
    assert clause.inner_text().startswith("1.1.")
    demo_page.shot("head-order-document")

    page.get_by_role("button", name="Подписать").click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    assert page.get_by_text(re.compile(r"Приказ подписан: № \S+")).is_visible()
    side = page.locator(".order-side").inner_text()
    assert "подписан" in side and "Петрова Ольга Викторовна" in side and "местное время, UTC+07:00" in side
    assert page.locator("[data-verified=true]").is_visible()
    assert re.fullmatch(r"[0-9a-f]{64}", page.locator(".sha").inner_text().strip())
    assert page.locator(".document__stamp").inner_text().endswith("Я подтверждаю этот документ")
    assert page.get_by_role("button", name="Подписать").count() == 0  # a signed order cannot change
    assert page.get_by_role("button", name="Отказать в подписании").count() == 0
    demo_page.shot("head-order-signed")

    page.locator("a.program-link").first.click()  # the program the signature created
    page.wait_for_url(re.compile(r".*/programs/\d+$"))
    summary = page.locator(".program-summary").inner_text()
    assert "Лебедев Сергей Петрович" in summary and "Белова Татьяна Николаевна" in summary
    page.wait_for_selector("#program-diagram[data-bpmn-state=ready]", timeout=20000)
    stage_work = page.locator('#program-diagram g.djs-element[data-element-id="Task_stage_work"]')
    assert "is-active" in (stage_work.get_attribute("class") or "")

    demo_page.goto("/orders")
    assert page.locator("table.orders-awaiting").count() == 0  # nothing left to sign
    demo_page.goto("/orders?tab=decided")
    assert page.locator("table.orders-decided tbody tr").count() >= 1
    assert demo_page.console_errors == []


def test_head_refuses_with_a_reason_that_goes_back_into_the_workflow(fresh_demo_page):
    demo_page, server = fresh_demo_page
    _log_in_as_head(demo_page)
    page = _open_the_waiting_order(demo_page)
    order_id = int(page.url.rsplit("/", 1)[1])

    page.get_by_role("button", name="Отказать в подписании").click()  # no reason: refused by the form
    assert page.get_by_text("Укажите причину отказа").first.is_visible()
    page.get_by_label("Причина отказа").fill(REASON)
    page.get_by_role("button", name="Отказать в подписании").click()
    page.wait_for_url(re.compile(rf".*/orders/{order_id}$"))
    side = page.locator(".order-side").inner_text()
    assert "отказано в подписании" in side and REASON in side
    assert "Предложить наставника и наставляемых" in side  # the process waits for the curator again
    assert "Руководитель отказал в подписании приказа" in side and f"причина: {REASON}" in side
    demo_page.shot("head-order-refused")

    engine = make_engine(server.database_url)
    try:
        with make_session_factory(engine)() as session:
            order = session.get(Order, order_id)
            assert order.status == "refused" and order.refusal_reason == REASON
            snap = instances.snapshot(session, order.workflow_instance_id)
            assert snap.data.get("refusal_reason") == REASON and snap.data.get("signed") is False
            tasks = session.scalars(select(OpenTask).where(OpenTask.instance_id == order.workflow_instance_id)).all()
            assert [(t.form_id, t.role) for t in tasks] == [("propose_pair", "curator")]
    finally:
        engine.dispose()
    assert demo_page.console_errors == []
