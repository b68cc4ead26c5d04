"""The administrator's staff import pages: upload → preview (created / changed / unchanged / problems by row and
column, nothing written) → confirm; the templates; the refusals a person reads in Russian."""
from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, Person
from tests.factories import make_person, make_role
from tests.web.conftest import csrf_token, login, password_hash

EFFICIENCY = "Результат оценки эффективности деятельности руководителя"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"STAFF_IMPORT_FOLDER": str(tmp_path / "imports")}


@pytest.fixture
def admin(seed, db_session_factory):
    with db_session_factory() as session:
        person = make_person(session, login="admin", full_name="Администраторова Нина Павловна",
                             password_hash=password_hash())
        make_role(session, person, session.merge(seed.org), "admin")
        session.commit()
    return "admin"


def counts(db_session_factory) -> tuple[int, int]:
    with db_session_factory() as session:
        return (session.scalar(select(func.count()).select_from(Person)),
                session.scalar(select(func.count()).select_from(AuditEntry)))


def staff_csv(*rows: str) -> bytes:
    return ("\n".join([f"ФИО;Электронная почта;Должность;{EFFICIENCY}", *rows]) + "\n").encode("cp1251")


def upload(client, data: bytes, name: str = "staff.csv", organization_id: int | None = None, seed=None):
    page = client.get("/admin/import")
    return client.post("/admin/import", data={
        "csrf_token": csrf_token(page.text), "organization_id": str(organization_id or seed.org.id),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_administrator_previews_fixes_nothing_and_confirms_without_the_bad_row(client, seed, admin,
                                                                                 db_session_factory):
    login(client, admin)
    page = client.get("/admin/import")
    assert page.status_code == 200 and "Импорт сотрудников" in page.text and "ДО Томска" in page.text
    before = counts(db_session_factory)
    shown = upload(client, staff_csv("Орлова Анна Ивановна;orlova@school.ru;учитель;85",
                                     "Белов Пётр Сергеевич;belov@school.ru;директор;90",
                                     "Сидорова Инна Павловна;sidorova@school.ru;учитель;пять"), seed=seed)
    assert shown.status_code == 200
    text = shown.text
    assert "Будут созданы" in text and "Будут изменены" in text and "Без изменений" in text and "Ошибки" in text
    assert f"строка 4, столбец «{EFFICIENCY}»: «пять» — не число" in text
    assert 'id="count-created">2<' in text and 'id="count-problems">1<' in text
    assert counts(db_session_factory) == before  # the preview wrote nothing

    confirm_url = text.split('action="/admin/import/')[1].split('"')[0]
    form = {name: text.split(f'name="{name}" type="hidden" value="')[1].split('"')[0]
            for name in ("organization_id", "digest", "file_name")}
    refused = client.post(f"/admin/import/{confirm_url}", data={**form, "csrf_token": csrf_token(text)})
    assert refused.status_code == 422 and "импортировать без строк с ошибками" in refused.text
    assert counts(db_session_factory) == before

    done = client.post(f"/admin/import/{confirm_url}", data={**form, "csrf_token": csrf_token(text),
                                                            "skip_problem_rows": "y"}, follow_redirects=True)
    assert done.status_code == 200 and "Импорт выполнен: создано 2 человека" in done.text
    assert "пропущена 1 строка с ошибками" in done.text
    with db_session_factory() as session:
        orlova = session.scalar(select(Person).where(Person.email == "orlova@school.ru"))
        assert orlova.organization_id == seed.org.id and orlova.efficiency_percent == 85
        assert orlova.password_hash is None  # the invitation comes from the people pages
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "people.imported")) == 1


def test_a_pdf_and_a_50_mb_file_are_refused_in_russian(client, seed, admin, db_session_factory):
    login(client, admin)
    before = counts(db_session_factory)
    pdf = upload(client, b"%PDF-1.7 not a table", "staff.pdf", seed=seed)
    assert pdf.status_code == 422 and "не таблица" in pdf.text and "документ PDF" in pdf.text
    huge = upload(client, b"x" * (50 * 1024 * 1024), seed=seed)  # over the route's limit (10 MB and the form)
    assert huge.status_code == 413 and "Файл больше 10 МБ" in huge.text and "Импорт сотрудников" in huge.text
    assert upload(client, b"x" * (12 * 1024 * 1024), seed=seed).status_code == 413  # under the app's 16 MB
    between = upload(client, b"x" * (10 * 1024 * 1024 + 1), seed=seed)  # within the form's margin: the service
    assert between.status_code == 422 and "файл больше 10 МБ" in between.text
    assert counts(db_session_factory) == before


def test_templates_carry_the_organizations_fields_and_a_reference_sheet(client, seed, admin):
    login(client, admin)
    csv_file = client.get(f"/admin/import/template.csv?organization_id={seed.org.id}")
    assert csv_file.status_code == 200 and csv_file.data.startswith("\ufeffФИО;".encode())
    assert EFFICIENCY.encode() in csv_file.data and "Организация".encode() in csv_file.data
    xlsx = client.get(f"/admin/import/template.xlsx?organization_id={seed.org.id}")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert workbook.sheetnames == ["Сотрудники", "Справка"]
    guide = [row[0] for row in workbook["Справка"].iter_rows(values_only=True)]
    assert EFFICIENCY in guide


def test_only_an_administrator_of_the_organization_imports(app, client, seed, admin):
    curator = app.test_client()
    login(curator, "curator")
    assert curator.get("/admin/import").status_code == 403
    login(client, admin)
    other = client.get(f"/admin/import/template.csv?organization_id={seed.other_org.id}")
    assert other.status_code == 403
    assert upload(client, staff_csv("А Б В;a@b.ru;;"), organization_id=seed.other_org.id, seed=seed).status_code == 403


def test_a_change_reads_old_to_new_and_the_same_file_again_changes_nothing(client, seed, admin, db_session_factory):
    with db_session_factory() as session:
        make_person(session, full_name="Орлова Анна Ивановна", email="orlova@school.ru", position="учитель",
                    organization_id=seed.org.id)
        session.commit()
    login(client, admin)
    data = staff_csv("Орлова Анна Ивановна;orlova@school.ru;заместитель директора;")
    shown = upload(client, data, seed=seed)
    assert 'id="count-changed">1<' in shown.text
    assert "Должность</span>: <del>учитель</del> → <ins>заместитель директора</ins>" in shown.text
    confirm_url = shown.text.split('action="/admin/import/')[1].split('"')[0]
    form = {name: shown.text.split(f'name="{name}" type="hidden" value="')[1].split('"')[0]
            for name in ("organization_id", "digest", "file_name")}
    done = client.post(f"/admin/import/{confirm_url}", data={**form, "csrf_token": csrf_token(shown.text)},
                       follow_redirects=True)
    assert "изменён 1" in done.text
    again = upload(client, data, seed=seed)
    assert 'id="count-unchanged">1<' in again.text and 'id="count-changed">0<' in again.text
    assert "Записывать нечего" in again.text
