"""The individual plan of a teacher's professional development (ИППР, 000 §2.2) in a real browser, at МКОУ ВСОШ № 8
(the vsosh pack, whose regulation names the ИППР and its eight sections): the curator (the mentor-head, 000 §4.4)
opens a plan for a teacher with a mentor of the management team on the «ИППР» page; the teacher adds items to three
of the eight sections from the plan's page — a term outside the plan's academic year is refused in Russian on the
page, naming the section, and what was typed stays —; the mentor agrees the plan, the director approves it
(000 §4.3: decisions agreed with the administration); at the year's end the teacher and the mentor mark the items done
or not with their results, the mentor closes the year with a conclusion, and the plan downloads as a PDF whose text
carries the sections, items, marks, signatures and the conclusion. Screenshots at 1280 and 390 px: ippr-*.png."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.db import Base, make_engine, make_session_factory
from tests.engine.services.pack_world import PackWorld
from tests.web.conftest import PASSWORD, DemoServer, _open_page, password_hash, serve

TEACHER, MENTOR = "Липин Павел Андреевич", "Кедрова Анна Ивановна"
START = datetime.now(UTC).replace(hour=6, minute=0, second=0, microsecond=0) - timedelta(days=3)
YEAR = START.year if START.month >= 9 else START.year - 1  # the academic year the plan is opened for
ITEMS = {  # section id → (its label, what, term, expected result)
    "self_education": ("Самообразование", "Изучить технологию смыслового чтения на уроках физики",
                       f"{YEAR + 1}-01-20", "Конспект и открытый урок в 9 классе"),
    "qualification": ("Планы повышения квалификации и аттестации",
                      "Курсы «Функциональная грамотность: естественно-научная грамотность» (36 ч)",
                      f"{YEAR + 1}-02-10", "Удостоверение о повышении квалификации"),
    "contests": ("Конкурсная деятельность", "Участие в муниципальном конкурсе «Педагог года»", f"{YEAR + 1}-03-15",
                 "Выступление на муниципальном этапе"),
}


@pytest.fixture
def school(browser, tmp_path):
    """МКОУ ВСОШ № 8 (pack ``vsosh``) with its curator and director, the teacher and his mentor (a member of the
    management team: the role of mentor); served on the world's clock."""
    url = f"sqlite:///{(tmp_path / 'vsosh.sqlite3').as_posix()}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        world = PackWorld(session, "vsosh", START, name="МКОУ ВСОШ № 8 г. Томска", short_name="ВСОШ № 8")
        world.curator.login, world.curator.password_hash = "kurator", password_hash()
        world.head.login, world.head.password_hash = "direktor", password_hash()
        world.person(MENTOR, "mentor", login="kedrova", position="учитель истории", participant_kind="pedagogue",
                     password_hash=password_hash())
        world.person(TEACHER, "mentee", login="lipin", position="учитель физики", participant_kind="pedagogue",
                     password_hash=password_hash())
        session.commit()
    engine.dispose()
    with serve(url, DOMAIN_CLOCK=world.clock) as (app, base):
        yield DemoServer(base, app, url)


def _flash(page, text: str) -> None:
    expect(page.locator(".flash, [role=alert], [role=status]").filter(has_text=text).first).to_be_visible()


def _add(page, section: str, what: str, due_on: str, expected: str) -> None:
    adding = page.locator(f"[data-section='{section}'] details.ippr-add")
    if adding.get_attribute("open") is None:  # open already after a refusal, with what was typed
        adding.get_by_text("Добавить пункт в раздел").click()
    adding.get_by_label("Что планируется").fill(what)
    adding.get_by_label("Планируемый срок").fill(due_on)
    adding.get_by_label("Ожидаемый результат").fill(expected)
    adding.get_by_role("button", name="Добавить пункт").click()


def _mark(page, what: str, outcome: str, result: str) -> None:
    item = page.locator("[data-item]").filter(has_text=what)
    item.get_by_label("Выполнение").select_option(label=outcome)
    item.get_by_label("Результат").fill(result)
    item.get_by_role("button", name="Отметить").click()
    _flash(page, "Выполнение пункта отмечено.")


def test_the_curator_opens_a_plan_the_teacher_fills_three_sections_the_year_is_closed(browser, school):
    context, web = _open_page(browser, school, viewport={"width": 1280, "height": 800})
    page = web.page
    try:
        web.enter("kurator", PASSWORD)
        page.get_by_role("link", name="ИППР", exact=True).first.click()
        page.wait_for_url(re.compile(r"/ippr$"))
        expect(page.get_by_role("heading", name="Открыть ИППР педагогу: МКОУ ВСОШ № 8 г. Томска")).to_be_visible()
        page.get_by_label("Педагог", exact=True).select_option(label=f"{TEACHER} (учитель физики)")
        page.get_by_label("Наставник — член управленческой команды").select_option(label=f"{MENTOR} (учитель истории)")
        page.get_by_label("Учебный год").select_option(label=f"{YEAR}/{YEAR + 1}")
        web.shot_both_widths("ippr-open")
        page.get_by_role("button", name="Открыть план").click()
        _flash(page, "ИППР открыт")
        page.wait_for_url(re.compile(r"/ippr/\d+$"))
        plan_path = page.url[len(school.url):]
        plan_id = int(plan_path.rsplit("/", 1)[1])
        head = page.locator(".page__head").inner_text()
        assert f"ИППР № {plan_id}: {TEACHER}" in head and f"наставник: {MENTOR}" in head, head
        assert page.get_by_text("Добавить пункт в раздел").count() == 0  # the curator writes no items
        web.log_out()

        web.enter("lipin", PASSWORD)  # the teacher finds his plan under «Мои планы»
        web.goto("/ippr")
        page.locator(f"tr[data-plan='{plan_id}']").get_by_role("link", name=f"ИППР № {plan_id}").first.click()
        page.wait_for_url(re.compile(rf"{plan_path}$"))
        expect(page.locator("[data-section]")).to_have_count(8)
        _label, what, _due, expected = ITEMS["self_education"]
        _add(page, "self_education", what, f"{YEAR + 1}-09-15", expected)  # a term in the next academic year
        expect(page.get_by_role("alert")).to_contain_text(
            f"Раздел «Самообразование»: срок 15.09.{YEAR + 1} — вне учебного года плана "
            f"(01.09.{YEAR}–31.08.{YEAR + 1})")
        adding = page.locator("[data-section='self_education'] details.ippr-add")
        expect(adding.get_by_label("Что планируется")).to_have_value(what)  # what was typed stays
        web.shot_both_widths("ippr-refused")
        for section, (_label, what, due_on, expected) in ITEMS.items():
            _add(page, section, what, due_on, expected)
            _flash(page, "Пункт внесён в план.")
        for section, (_label, what, _due, _expected) in ITEMS.items():
            expect(page.locator(f"[data-section='{section}'] [data-item]")).to_contain_text(what)
        expect(page.locator("[data-item]")).to_have_count(3)
        web.shot_both_widths("ippr-draft")
        web.log_out()

        web.enter("kedrova", PASSWORD)  # the mentor agrees
        web.goto(plan_path)
        page.get_by_role("button", name="Согласовать план").click()
        _flash(page, "План согласован наставником и передан администрации на утверждение.")
        web.log_out()

        web.enter("direktor", PASSWORD)  # the director approves (000 §4.3)
        web.goto(plan_path)
        page.get_by_role("button", name="Утвердить план").click()
        _flash(page, "План утверждён.")
        facts = page.locator("[data-signatures]").inner_text()
        assert f"{MENTOR}, " in facts and "Кузнецов Сергей Николаевич, " in facts, facts
        web.log_out()

        web.enter("lipin", PASSWORD)  # at the year's end the teacher marks two items
        web.goto(plan_path)
        _mark(page, ITEMS["self_education"][1], "выполнено", "Открытый урок «Смысловое чтение задачи» 18.01")
        _mark(page, ITEMS["contests"][1], "не выполнено", "Конкурс перенесён на следующий учебный год")
        web.log_out()

        web.enter("kedrova", PASSWORD)  # the mentor marks the third and closes the year
        web.goto(plan_path)
        _mark(page, ITEMS["qualification"][1], "выполнено", "Удостоверение № 7020-1234")
        web.shot_both_widths("ippr-approved")
        page.get_by_label("Итоги года").fill("Два пункта из трёх выполнены; конкурс — в следующем году")
        page.get_by_role("button", name="Подвести итоги года").click()
        _flash(page, "Итоги года подведены.")
        expect(page.locator(".page__head")).to_contain_text("итоги года подведены")
        web.shot_both_widths("ippr-closed")
        with page.expect_download() as download:
            page.get_by_role("link", name="План (PDF)").click()
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"%PDF")
        text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(BytesIO(data)).pages).split())
        for fragment in (TEACHER, MENTOR, f"{YEAR}/{YEAR + 1}", "Самообразование", "Конкурсная деятельность",
                         "Изучить технологию смыслового чтения", "Удостоверение № 7020-1234", "не выполнено",
                         "Два пункта из трёх выполнены", "Кузнецов Сергей Николаевич"):
            assert fragment in text, (fragment, text)
        web.goto("/ippr")
        expect(page.locator(f"tr[data-plan='{plan_id}']").first).to_contain_text("итоги года подведены")
        web.shot_both_widths("ippr-index")
        assert web.console_errors == [], web.console_errors
    finally:
        context.close()
