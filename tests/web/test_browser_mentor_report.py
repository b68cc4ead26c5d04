"""A mentor files his period report with the indicators of 002 §5 in a real browser, on a world built by factories and
services whose pack declares them (tests/packs/report_indicators_002.yaml) and the app's domain on the world's clock:
his /my page lists the report due by 10 June (003 п. 3) and the reminder three days before; the report's page shows
the program's events, the reminder he hides, the indicators of both stages of monitoring; a percent of 120 is named
under its field; the report filed, the curator unfolds it on the monitoring page and reads the indicators.
Screenshots mentor-report-*.png at 1280 and 390 px."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from playwright.sync_api import expect

from engine.bootstrap import bootstrap
from engine.db import Base, make_engine
from engine.regulations import install_pack, pack
from tests.packs import indicators_002
from tests.web.conftest import PASSWORD, _open_page, serve
from tests.web.test_mentor_report_indicators import build_world


@dataclasses.dataclass
class ReportServer:
    url: str
    organization_id: int
    mentor_login: str
    curator_login: str
    program_id: int


@pytest.fixture(scope="module")
def report_server(tmp_path_factory):
    shipped = pack("tomsk")
    install_pack(dataclasses.replace(shipped, report_indicators=indicators_002()))
    url = f"sqlite:///{(tmp_path_factory.mktemp('mentor-report') / 'report.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    try:
        with bootstrap().session_factory(engine)() as session:
            world, volkov, _orlov, program = build_world(session)
            world.advance_to(date(2025, 6, 7))  # the reminder: three days before 10 June
            found = ReportServer("", world.organization.id, volkov.login, world.curator.login, program.id)
            clock = world.clock
        engine.dispose()
        with serve(url, DOMAIN_CLOCK=clock) as (_app, base):
            yield dataclasses.replace(found, url=base)
    finally:
        install_pack(shipped)


@pytest.fixture
def desk(browser, report_server):
    context, wrapped = _open_page(browser, report_server, viewport={"width": 1280, "height": 900})
    yield wrapped
    context.close()


@pytest.fixture
def phone(browser, report_server):
    context, wrapped = _open_page(browser, report_server, viewport={"width": 390, "height": 844},
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    yield wrapped
    context.close()


def test_the_mentor_files_his_report_with_the_002_indicators_and_the_curator_reads_it(desk, phone, report_server):
    page = desk.page
    desk.login(report_server.mentor_login, PASSWORD)
    page.wait_for_url("**/my")
    reports = page.locator("[data-period-reports]")
    expect(reports.get_by_text("срок 10.06.2025")).to_be_visible()
    expect(reports.get_by_text("скоро срок")).to_be_visible()
    reports.get_by_role("link", name="Отчёт наставника за период").click()
    page.wait_for_url("**/my/reports/**")
    expect(page.get_by_role("heading", name="Отчёт наставника за период")).to_be_visible()
    expect(page.get_by_text("Напоминание: срок отчёта наставника истекает")).to_be_visible()
    page.get_by_role("button", name="Скрыть напоминание").click()
    expect(page.get_by_text("Напоминание скрыто.")).to_be_visible()
    expect(page.get_by_role("button", name="Скрыть напоминание")).to_have_count(0)

    program = page.locator(f'[data-program="{report_server.program_id}"]')
    expect(program.get_by_text("Мониторинг процесса реализации программы")).to_be_visible()
    expect(program.get_by_text("Мониторинг влияния программы на её участников")).to_be_visible()
    program.get_by_label("Результаты за период").fill("Составлен план развития школы, проведён педсовет")
    share = program.get_by_label("Обучающиеся наставляемого, успешно прошедшие ВПР/ГИА, %")
    share.fill("120")
    program.get_by_label("Образовательные и культурные проекты, реализованные совместно с наставляемым").fill("2")
    program.get_by_label("Мотивированность и осознанность наставляемого в саморазвитии и самообразовании").fill(
        "Сама ведёт семинар для заместителей")
    page.evaluate("document.querySelector('form[data-period-report]').noValidate = true")  # the server's check
    page.get_by_role("button", name="Представить отчёт").click()
    error = page.locator('[data-indicator="exam_pass_share"] .field__error')
    expect(error).to_contain_text("процент от 0 до 100")
    desk.shot("mentor-report-1280")
    phone.login(report_server.mentor_login, PASSWORD)
    phone.page.wait_for_url("**/my")
    phone.page.locator("[data-period-reports]").get_by_role("link", name="Отчёт наставника за период").click()
    phone.page.wait_for_url("**/my/reports/**")
    expect(phone.page.get_by_text("Мониторинг влияния программы на её участников")).to_be_visible()
    phone.shot("mentor-report-390")

    share = page.locator(f'[data-program="{report_server.program_id}"]').get_by_label(
        "Обучающиеся наставляемого, успешно прошедшие ВПР/ГИА, %")
    share.fill("85")
    page.get_by_role("button", name="Представить отчёт").click()
    page.wait_for_url("**/my")
    expect(page.get_by_text("Отчёт за период представлен куратору.")).to_be_visible()
    expect(page.locator("[data-period-reports]")).to_have_count(0)
    page.get_by_role("button", name="Выйти").click()

    desk.login(report_server.curator_login, PASSWORD)
    page.wait_for_load_state()
    desk.goto(f"/monitoring?org={report_server.organization_id}")
    section = page.locator("section", has=page.get_by_role("heading", name="Отчёты наставников за период"))
    row = section.locator('tr[data-state="filed"]')
    row.get_by_text("Отчёт", exact=True).click()
    expect(row.get_by_text("Составлен план развития школы, проведён педсовет")).to_be_visible()
    expect(row.locator('[data-indicator-value="exam_pass_share"]')).to_have_text("85 %")
    expect(row.locator('[data-indicator-value="joint_projects"]')).to_have_text("2")
    assert desk.console_errors == [] and phone.console_errors == []
