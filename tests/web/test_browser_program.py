"""The program page in a real browser on demo data: the diagram with the current task marked, the
roadmap, reports, decisions, orders and the history."""
from __future__ import annotations

from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import MentoringGroup, Person, Program
from engine.demo.world import DEMO_PASSWORD, IN_PROGRESS_PAIR


def _program_id(database_url: str, mentor_login: str, mentee_login: str) -> int:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            mentor = session.scalar(select(Person.id).where(Person.login == mentor_login))
            mentee = session.scalar(select(Person.id).where(Person.login == mentee_login))
            programs = session.scalars(select(Program).join(MentoringGroup).where(MentoringGroup.mentor_id == mentor))
            return next(p.id for p in programs if mentee in [m.person_id for m in p.group.members])
    finally:
        engine.dispose()


def _login(demo_page, who: str) -> None:
    demo_page.login(who, DEMO_PASSWORD)
    demo_page.page.wait_for_url(lambda url: "/login" not in url)  # logged in, on the first section


def _open_diagram(demo_page, program_id: int):
    page = demo_page.page
    demo_page.goto(f"/programs/{program_id}")
    page.wait_for_selector("#program-diagram[data-bpmn-state]", timeout=20000)
    assert page.get_attribute("#program-diagram", "data-bpmn-state") == "ready", \
        page.get_attribute("#program-diagram", "data-bpmn-error")
    return page


def test_the_in_progress_program_shows_the_current_task_on_the_diagram(demo_page, demo_server):
    program_id = _program_id(demo_server.database_url, *IN_PROGRESS_PAIR)
    _login(demo_page, "curator")
    page = _open_diagram(demo_page, program_id)

    # the curator's review of the stage report is the current task, marked on the SVG element
    active = page.locator('#program-diagram g.djs-element[data-element-id="Task_review_stage_report"]')
    assert active.count() == 1
    assert "is-active" in (active.get_attribute("class") or "")
    done = page.locator('#program-diagram g.djs-element[data-element-id="Task_stage_work"]')
    assert "is-completed" in (done.get_attribute("class") or "")
    assert page.locator("#program-diagram .is-active").count() >= 1
    assert page.get_by_text("текущая задача или ожидание").is_visible()  # the legend

    # the header and the roadmap with events named as in the seed (003 appendix 1)
    assert page.get_by_role("heading", name=f"Программа наставничества № {program_id}").is_visible()
    assert page.get_by_text("003 прил. 1").first.is_visible()
    assert page.get_by_role("heading", name="Дорожная карта").is_visible()
    first_event = page.locator('tr[data-event="1.1"]')
    assert "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ." in first_event.inner_text()
    assert "выполнено" in first_event.inner_text()
    assert page.locator('tr[data-event="4.2"]').count() == 1

    # the report waiting for review, the pair-formation order, the history in words
    assert "на проверке" in page.locator("table.reports").inner_text()
    assert page.get_by_role("link", name="О формировании наставнических пар (групп)").count() == 1
    history = page.locator("ol.history").inner_text()
    assert "Представлен отчёт по этапу «1 ЭТАП. ОРГАНИЗАЦИОННЫЙ»" in history
    assert "Руководитель подписал приказ" in history
    assert "Может быть назначен наставником" in page.locator("#decisions-title + article, .decision").first.inner_text()
    demo_page.shot("program-page")
    assert demo_page.console_errors == []


def test_a_completed_program_shows_its_ground_and_everything_done(demo_page, demo_server):
    program_id = _program_id(demo_server.database_url, "sokolova", "pavlov")
    _login(demo_page, "sokolova")  # the program's own mentor
    page = _open_diagram(demo_page, program_id)
    summary = page.locator(".program-summary").inner_text()
    assert "завершена досрочно" in summary and "003 §7.1 (2)" in summary
    assert page.locator("#program-diagram .is-completed").count() > 3
    assert page.locator("#program-diagram .is-active").count() == 0
    assert demo_page.console_errors == []


def test_a_participant_of_another_program_gets_403(demo_page, demo_server):
    program_id = _program_id(demo_server.database_url, *IN_PROGRESS_PAIR)
    _login(demo_page, "novikova")
    response = demo_page.goto(f"/programs/{program_id}")
    assert response.status == 403
    assert demo_page.page.get_by_text("Доступ запрещён").is_visible()


def test_the_mentee_downloads_her_stage_report_from_the_program_page(demo_page, demo_server):
    """Issue 15 item 5: «Скачать справку (PDF)» beside the stage report saves the «Информационная справка»."""
    from io import BytesIO

    from pypdf import PdfReader

    program_id = _program_id(demo_server.database_url, *IN_PROGRESS_PAIR)
    _login(demo_page, "orlova")
    page = demo_page.page
    demo_page.goto(f"/programs/{program_id}")
    link = page.get_by_role("link", name="Скачать справку (PDF)")
    assert link.count() == 1
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"spravka-programma-{program_id}-etap-1.pdf"
    with open(download.path(), "rb") as saved:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(saved.read())).pages).split())
    assert "ИНФОРМАЦИОННАЯ СПРАВКА" in text and "Орлова Ирина Сергеевна" in text
    assert "Волков Игорь Николаевич" in text and "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ" in text
    assert demo_page.console_errors == []
