"""The administrator's staff import in the browser, on a laptop (1280 px) and a phone (390 px): the file chosen,
the preview's sections with the bad row named by row and column, nothing scrolling sideways, the import confirmed
without the bad row."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.db import make_engine, make_session_factory
from engine.db.models import Organization, Person
from tests import factories as f
from tests.web.conftest import _open_page, password_hash

EFFICIENCY = "Результат оценки эффективности деятельности руководителя"
WIDTHS = {"laptop": {"viewport": {"width": 1280, "height": 800}},
          "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
                    "has_touch": True}}


@pytest.fixture(scope="module")
def import_server(live_server, tmp_path_factory):
    live_server.app.config["STAFF_IMPORT_FOLDER"] = str(tmp_path_factory.mktemp("imports"))
    engine = make_engine(live_server.app.config["DATABASE_URL"])
    with make_session_factory(engine)() as session:
        department = session.get(Organization, live_server.seed.org.id)
        admin = f.make_person(session, login="import_admin", full_name="Администраторова Нина Павловна",
                              password_hash=password_hash())
        f.make_role(session, admin, department, "admin")
        session.commit()
    engine.dispose()
    return live_server


def staff_file(suffix: str) -> bytes:
    rows = [f"ФИО;Электронная почта;Должность;{EFFICIENCY};Организация",
            f"Орлова Анна Ивановна;orlova.{suffix}@school.ru;учитель математики;85;СОШ № 8",
            f"Белов Пётр Сергеевич;belov.{suffix}@school.ru;директор;90;",
            f"Сидорова Инна Павловна;sidorova.{suffix}@school.ru;учитель;пять;"]
    return ("\n".join(rows) + "\n").encode("cp1251")


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_the_preview_reads_on_a_laptop_and_a_phone(browser, import_server, width):
    context, wrapped = _open_page(browser, import_server, **WIDTHS[width])
    page = wrapped.page
    try:
        wrapped.login("import_admin")
        wrapped.goto("/admin/import")
        wrapped.shot(f"admin_import_upload_{width}")
        page.get_by_label("Организация", exact=True).first.select_option(label="ДО Томска")
        page.set_input_files("input[type=file]", files=[{"name": "сотрудники.csv", "mimeType": "text/csv",
                                                           "buffer": staff_file(width)}])
        page.get_by_role("button", name="Проверить файл").click()
        page.wait_for_selector("#problems")
        assert page.locator("#count-created").inner_text() == "2"
        assert page.locator("#count-problems").inner_text() == "1"
        assert f"строка 4, столбец «{EFFICIENCY}»: «пять» — не число" in page.locator("#problems").inner_text()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the preview scrolls sideways by {overflow} px"
        wrapped.shot(f"admin_import_preview_{width}")
        page.get_by_label("Импортировать без строк с ошибками").check()
        page.get_by_role("button", name="Импортировать", exact=True).click()
        page.wait_for_url(re.compile(r"/admin/import\?organization_id="))
        assert "Импорт выполнен: создано 2 человека" in page.locator(".flash").inner_text()
        assert wrapped.console_errors == []
    finally:
        context.close()
    engine = make_engine(import_server.app.config["DATABASE_URL"])
    with make_session_factory(engine)() as session:
        assert session.scalar(select(Person.position).where(Person.email == f"orlova.{width}@school.ru")) == \
            "учитель математики"
    engine.dispose()
