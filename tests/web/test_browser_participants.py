"""The mentor in a real browser on the demo data: my programs, events of the current stage marked done
with a note and a file, a forbidden file refused, a petition filed; and, on a fresh copy, the report the
curator returned shown with the comment, corrected and sent again (the curator's inbox has it back)."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from engine.demo.world import DEMO_PASSWORD
from tests.web.conftest import DemoServer, _open_page, serve
from tests.web.participants_support import EXE, PDF, engine_session, in_progress_program, review_report


def stage_events(url: str) -> list:
    with engine_session(url) as session:
        program = in_progress_program(session)
        return [(e.id, e.number, e.name) for e in program.events if e.stage_id == program.current_stage_id]


def test_mentor_marks_events_attaches_files_and_petitions(demo_page, demo_server):
    page = demo_page.page
    demo_page.login("volkov", DEMO_PASSWORD)
    page.wait_for_url("**/my")
    assert page.get_by_role("heading", name="Мои программы").is_visible()
    card = page.locator("article.my-card").first
    assert "Орлова Ирина Сергеевна" in card.inner_text() and "на проверке у куратора" in card.inner_text()
    demo_page.shot("my-programs")

    program_id = review_report(demo_server.database_url, approved=True)  # the curator accepts stage 1
    (first_id, first_number, first_name), (second_id, _number, _name), *_ = stage_events(demo_server.database_url)
    assert first_number == "2.1"
    page.reload()
    page.get_by_role("link", name="Работа по этапу").first.click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    assert page.get_by_role("heading", name="2. ЭТАП. КОНСУЛЬТАЦИОННЫЙ").is_visible()
    row = page.locator(f"#event-{first_id}")
    assert first_name in row.inner_text()
    today = date.today().isoformat()
    for event_id in (first_id, second_id):  # two events in one submit, each with the day it took place
        marked = page.locator(f"#event-{event_id}")
        marked.get_by_label("проведено").check()
        marked.get_by_label("Дата проведения").fill(today)
    row.get_by_label("Комментарий").fill("24 участника")
    page.get_by_role("button", name="Сохранить отметки").click()
    page.wait_for_load_state()
    assert page.get_by_text("Отметки мероприятий сохранены.").is_visible()
    row = page.locator(f"#event-{first_id}")
    assert "24 участника" in row.inner_text() and "отметка: Волков Игорь Николаевич" in row.inner_text()
    row.locator("summary").click()
    row.get_by_label("Заметка").fill("Семинар проведён, 24 участника")
    row.locator("input[type=file]").set_input_files(
        files=[{"name": "протокол семинара.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    row.get_by_role("button", name="Сохранить заметку и файлы").click()
    page.wait_for_load_state()
    assert page.get_by_text("Мероприятие 2.1: заметка сохранена.").is_visible()
    row = page.locator(f"#event-{first_id}")
    assert "Семинар проведён, 24 участника" in row.inner_text()
    assert row.get_by_role("link", name="протокол семинара.pdf").is_visible()

    other = page.locator(f"#event-{second_id}")
    other.locator("summary").click()
    other.get_by_label("Заметка").fill("попытка с программой")
    other.locator("input[type=file]").set_input_files(
        files=[{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": EXE}])
    other.get_by_role("button", name="Сохранить заметку и файлы").click()
    page.wait_for_load_state()
    error = page.locator("#error")
    assert "setup.exe" in error.inner_text() and "не принимаются" in error.inner_text()
    other = page.locator(f"#event-{second_id}")
    assert other.locator("textarea[name=note]").input_value() == "попытка с программой"  # nothing typed is lost
    page.goto(f"{demo_server.url}/my/programs/{program_id}")
    demo_page.shot("my-stage-work")

    page.get_by_role("link", name="Освобождение наставника от обязанностей").click()
    page.wait_for_url("**/petitions/mentor_release")
    page.get_by_label("Обоснование").fill("Перевод на работу в другой муниципалитет с 1 января")
    demo_page.shot("my-petition-form")
    page.get_by_role("button", name="Подать ходатайство").click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    assert page.get_by_text("Ходатайство «Освобождение наставника от обязанностей» подано.").is_visible()
    assert page.locator("#petitions").get_by_text("уже подано, рассматривается").is_visible()
    assert demo_page.console_errors == []


@pytest.fixture
def fresh_demo_server(tmp_path, demo_database):
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_database, copy)
    url = f"sqlite:///{copy.as_posix()}"
    with serve(url) as (app, base):
        yield DemoServer(base, app, url)


@pytest.fixture
def fresh_page(browser, fresh_demo_server):
    context, wrapped = _open_page(browser, fresh_demo_server, viewport={"width": 1280, "height": 800})
    yield wrapped
    context.close()


def test_returned_report_is_corrected_and_sent_again(fresh_page, fresh_demo_server):
    url = fresh_demo_server.database_url
    program_id = review_report(url, approved=False,
                               comment="Не описаны выявленные запросы наставляемой: дополните справку.")
    page = fresh_page.page
    fresh_page.login("volkov", DEMO_PASSWORD)
    page.wait_for_url("**/my")
    assert page.locator("li.my-step").first.is_visible() and page.locator("li.my-step.is-overdue").count() == 0
    page.get_by_role("link", name="Работа по этапу").first.click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    returned = page.locator("section.my-returned")
    assert returned.get_by_role("heading", name="Отчёт возвращён куратором на доработку").is_visible()
    assert "Не описаны выявленные запросы наставляемой" in returned.inner_text()
    fresh_page.shot("my-returned-report")
    text = page.get_by_label("Текст отчёта")
    assert "диагностика затруднений проведена" in text.input_value()
    text.fill("Информационная справка: диагностика проведена; запросы наставляемой — управление ресурсами, "
              "охрана труда, работа с персоналом.")
    page.get_by_role("button", name="Отправить исправленный отчёт").click()
    page.wait_for_url(f"**/my/programs/{program_id}")
    assert page.get_by_text("Отчёт отправлен куратору на проверку.").is_visible()
    assert page.get_by_text("Попытка 2", exact=True).is_visible()
    assert page.get_by_text("Попытка 1", exact=True).is_visible()
    assert fresh_page.console_errors == []

    page.get_by_role("button", name="Выйти").click()
    fresh_page.login("curator", DEMO_PASSWORD)
    page.wait_for_url("**/inbox")
    assert page.get_by_text("Рассмотреть отчёт по этапу").first.is_visible()
    assert fresh_page.console_errors == []
