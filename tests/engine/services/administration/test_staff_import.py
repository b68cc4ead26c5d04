"""The department's administrator imports the staff list: a preview that writes nothing and names every problem
by row and column, a confirmation that writes exactly the preview in one audited transaction, and a second import
of the same file that changes nothing."""
from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, AuditEntry, Person
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.administration import staff_import
from engine.services.administration.import_uploads import UploadStore
from engine.services.administration.staff_files import StaffFileError
from engine.services.people.actor import load_actor
from tests import factories as f

EFFICIENCY = "Результат оценки эффективности деятельности руководителя"
HEADER = f"ФИО;Электронная почта;Табельный номер;Должность;{EFFICIENCY};Организация"


@pytest.fixture
def world(db_session, tmp_path):
    session = db_session
    department = f.make_department(session, name="Департамент образования г. Томска", short_name="ДО Томска")
    school = f.make_organization(session, parent=department, name="МАОУ СОШ № 8 г. Томска", short_name="СОШ № 8")
    other = f.make_department(session, name="Управление образования г. Якутска", short_name="УО Якутска",
                              regulation="yakutsk")
    admin = f.make_person(session, login="dept_admin", full_name="Администратор Департамента")
    f.make_role(session, admin, department, "admin")
    school_admin = f.make_person(session, login="school_admin", full_name="Администратор Школы")
    f.make_role(session, school_admin, school, "admin")
    session.commit()
    return {"session": session, "department": department, "school": school, "other": other,
            "admin": load_actor(session, "dept_admin"), "school_admin": load_actor(session, "school_admin"),
            "store": UploadStore(tmp_path / "imports")}


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("cp1251")


def written(session) -> tuple[int, int]:
    return (session.scalar(select(func.count()).select_from(Person)),
            session.scalar(select(func.count()).select_from(AuditEntry)))


def preview(world, data: bytes, actor=None, organization=None):
    return staff_import.preview(world["session"], actor or world["admin"], (organization or world["department"]).id,
                                data, "staff.csv", store=world["store"])


def confirm(world, shown, **kw):
    result = staff_import.confirm(world["session"], world["admin"], shown.organization_id, shown.upload_id,
                                  shown.digest, store=world["store"], file_name="staff.csv", **kw)
    world["session"].commit()
    return result


STAFF = ("Орлова Анна Ивановна;orlova@school.ru;Т-1;учитель;85;СОШ № 8",
         "Белов Пётр Сергеевич;belov@school.ru;Т-2;директор;90;",
         "Сидорова Инна Павловна;sidorova@school.ru;Т-3;учитель;пять;")


def test_the_preview_writes_nothing_and_names_each_problem_by_row_and_column(world):
    session = world["session"]
    before = written(session)
    shown = preview(world, csv(*STAFF))
    assert [row.full_name for row in shown.created] == ["Орлова Анна Ивановна", "Белов Пётр Сергеевич"]
    assert [row.organization_name for row in shown.created] == ["СОШ № 8", "ДО Томска"]
    assert [str(p) for p in shown.problems] == [f"строка 4, столбец «{EFFICIENCY}»: «пять» — не число"]
    assert shown.problem_rows == (4,) and len(shown.upload_id) == 64
    session.commit()
    assert written(session) == before


def test_confirm_writes_the_preview_audited_and_the_same_file_again_changes_nothing(world):
    session = world["session"]
    shown = preview(world, csv(*STAFF[:2]))
    result = confirm(world, shown)
    assert (result.created, result.changed, result.skipped) == (2, 0, 0)
    orlova = session.scalar(select(Person).where(Person.email == "orlova@school.ru"))
    assert (orlova.organization_id, orlova.personnel_number, orlova.efficiency_percent, orlova.position) == (
        world["school"].id, "Т-1", 85, "учитель")
    assert orlova.password_hash is None and orlova.is_active
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(orlova.id))).all()
    assert sorted(actions) == ["person.changed", "person.created"]
    imported = session.scalar(select(AuditEntry).where(AuditEntry.action == "people.imported"))
    assert imported.details["created"] == 2 and imported.details["changed"] == 0
    assert imported.actor_id == world["admin"].person_id

    before = written(session)
    again = preview(world, csv(*STAFF[:2]))
    assert (len(again.created), len(again.changed), len(again.unchanged)) == (0, 0, 2)
    assert (confirm(world, again).created, 0) == (0, 0)
    assert written(session)[0] == before[0]


def test_people_are_found_by_email_in_any_case_and_changes_shown_old_to_new(world):
    session = world["session"]
    f.make_person(session, full_name="Орлова Анна Ивановна", email="orlova@school.ru", position="учитель",
                  organization_id=world["school"].id)
    session.commit()
    shown = preview(world, csv("Орлова Анна Ивановна;ORLOVA@School.ru;;заместитель директора;;"))
    assert not shown.created and len(shown.changed) == 1
    change = shown.changed[0].changes
    assert [(c.label, c.old, c.new) for c in change] == [("Должность", "учитель", "заместитель директора")]
    viewed = session.scalar(select(func.count()).select_from(AccessLogEntry)
                            .where(AccessLogEntry.subject_id == shown.changed[0].person_id))
    assert viewed == 1  # the preview showed her stored position: the access is logged (152-ФЗ)
    assert confirm(world, shown).changed == 1
    assert session.scalar(select(Person.position).where(Person.email == "orlova@school.ru")) == "заместитель директора"


def test_people_are_found_by_personnel_number_without_an_email_column(world):
    session = world["session"]
    f.make_person(session, full_name="Белов Пётр", personnel_number="Т-2", organization_id=world["department"].id)
    session.commit()
    data = "ФИО;Табельный номер;Должность\nБелов Пётр;Т-2;директор\nНовый Человек;Т-9;учитель\n".encode()
    shown = preview(world, data)
    assert [row.row for row in shown.changed] == [2] and [row.row for row in shown.created] == [3]


def test_the_same_person_twice_and_a_person_outside_the_tree_are_problems(world):
    session = world["session"]
    f.make_person(session, full_name="Чужая", email="stranger@yakutsk.ru", organization_id=world["other"].id)
    session.commit()
    shown = preview(world, csv("Орлова Анна;orlova@school.ru;;;;", "Орлова А.;Orlova@school.ru;;;;",
                               "Чужая;stranger@yakutsk.ru;;;;", "Кто-то;x@school.ru;;;;УО Якутска"))
    problems = [str(p) for p in shown.problems]
    assert problems == [
        "строка 3, столбец «Электронная почта»: «orlova@school.ru» — тот же человек, что в строке 2",
        "строка 4, столбец «Электронная почта»: «stranger@yakutsk.ru» — этот человек работает в организации вне "
        "вашего ведения",
        "строка 5, столбец «Организация»: «УО Якутска» — нет такой организации среди «ДО Томска» и подчинённых ей"]


def test_unknown_columns_suggest_the_nearest_label_and_a_key_column_is_required(world):
    with pytest.raises(StaffFileError) as refused:
        preview(world, "ФИО;Стаж;Должнсть\nИванова;5;учитель\n".encode())
    assert refused.value.problems == [
        "столбец B «Стаж»: такого поля нет — возможно, «Стаж работы в должности руководителя образовательной "
        "организации г. Томска» (столбцы — в шаблоне файла)",
        "столбец C «Должнсть»: такого поля нет — возможно, «Должность» (столбцы — в шаблоне файла)",
        "нет столбца «Электронная почта» или «Табельный номер»: по ним находятся люди при повторном импорте"]


def test_rows_with_problems_are_skipped_only_when_chosen(world):
    session = world["session"]
    shown = preview(world, csv(*STAFF))
    before = written(session)
    with pytest.raises(NastavnikError, match="в файле 1 строка с ошибками: ничего не записано"):
        confirm(world, shown)
    session.rollback()
    assert written(session) == before
    result = confirm(world, shown, skip_problem_rows=True)
    assert (result.created, result.skipped) == (2, 1)


def test_a_preview_gone_stale_is_refused_and_an_old_upload_is_forgotten(world):
    session = world["session"]
    shown = preview(world, csv(*STAFF[:1]))
    f.make_person(session, full_name="Орлова Анна Ивановна", email="orlova@school.ru")  # somebody acted first
    session.commit()
    with pytest.raises(ConflictError, match="изменились"):
        confirm(world, shown)
    session.rollback()
    path = world["store"].folder / shown.upload_id
    old = time.time() - 2 * 24 * 3600
    os.utime(path, (old, old))
    with pytest.raises(NotFound, match="загрузите его снова"):
        world["store"].load(shown.upload_id)


def test_only_administrators_of_the_organization_import(world):
    data = csv(*STAFF[:1])
    with pytest.raises(PermissionDenied):
        preview(world, data, actor=world["school_admin"], organization=world["department"])
    with pytest.raises(PermissionDenied):
        preview(world, data, organization=world["other"])
    assert preview(world, csv("Гусев Павел;gusev@school.ru;;;;"), actor=world["school_admin"],
                   organization=world["school"]).created
    # the «Организация» column cannot reach above the school
    shown = preview(world, csv("Гусев Павел;gusev@school.ru;;;;ДО Томска"), actor=world["school_admin"],
                    organization=world["school"])
    assert shown.problem_rows == (2,) and "нет такой организации среди «СОШ № 8»" in str(shown.problems[0])


def test_a_row_without_email_or_personnel_number_would_come_twice_so_it_is_a_problem(world):
    shown = preview(world, csv("Без Почты;;;учитель;;"))
    assert [str(p) for p in shown.problems] == [
        "строка 2, столбец «Электронная почта»: нужна электронная почта или табельный номер: по ним человек находится "
        "при повторном импорте"]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_downloaded_template_filled_in_imports(world, file_format):
    import io

    import openpyxl

    made = staff_import.template(world["session"], world["admin"], world["department"].id, file_format)
    if file_format == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(made.data))
        sheet = workbook["Сотрудники"]
        header = [cell.value for cell in sheet[1]]
        row = {"ФИО": "Зайцева Ольга Игоревна", "Электронная почта": "zaitseva@school.ru", "Табельный номер": 1234,
               EFFICIENCY: 92.5, "Организация": "СОШ № 8"}
        sheet.append([row.get(title) for title in header])
        out = io.BytesIO()
        workbook.save(out)
        data = out.getvalue()
    else:
        text = made.data.decode("utf-8-sig").strip()
        header = text.split(";")
        row = {"ФИО": "Зайцева Ольга Игоревна", "Электронная почта": "zaitseva@school.ru", "Табельный номер": "1234",
               EFFICIENCY: "92,5", "Организация": "СОШ № 8"}
        data = ("\ufeff" + text + "\r\n" + ";".join(str(row.get(title, "")) for title in header) + "\r\n").encode()
    shown = staff_import.preview(world["session"], world["admin"], world["department"].id, data, "t", store=world["store"])
    assert shown.problems == () and len(shown.created) == 1
    assert shown.created[0].values["efficiency_percent"] == 92.5 and shown.created[0].values["personnel_number"] == "1234"
    assert shown.created[0].organization_id == world["school"].id
