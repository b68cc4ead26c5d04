"""The curator downloads her registries as XLSX: every row the registry's search shows (not one page), typed cells,
only her organizations' rows, each person in the file in the access log; the statements do not grow with the rows."""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, MentorAppointment
from engine.errors import PermissionDenied
from engine.services.curation import registries, registry_exports
from tests.engine.services.curation.registry_world import staffed
from tests.statements import counted_statements

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])


def _sheet(made: registry_exports.ExportFile, title: str):
    book = load_workbook(BytesIO(made.data))
    assert book.sheetnames == [title, "Сведения"]
    return book[title], {row[0]: row[1] for row in book["Сведения"].iter_rows(min_row=2, values_only=True)}


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


@BOTH
def test_the_mentor_registry_exports_every_row_in_the_registrys_order(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    day = date(2025, 6, 1)
    made = registry_exports.export_registry(db_session, curator, "mentors", today=day)
    assert made.file_name == "реестр-наставников-2025-06-01.xlsx" and made.rows == 3
    sheet, about = _sheet(made, "Наставники")
    assert sheet.freeze_panes == "A2" and sheet["A1"].value == "ФИО наставника" and sheet["A1"].font.b
    shown = [row.appointment.person.full_name for row in registries.mentors(db_session, curator, size=100, today=day).rows]
    rows = _rows(sheet)
    assert [row[0] for row in rows] == shown  # the registry's rows in its order
    volkov = next(row for row in rows if row[0].startswith("Волков"))
    appointment = db_session.scalar(select(MentorAppointment).where(
        MentorAppointment.person_id == demo.person_id("volkov")))
    name, _work, _position, _direction, number, issued, starts, ends, state, days_left, groups = volkov
    assert number == appointment.order.number and isinstance(issued, datetime)
    assert (starts.date(), ends.date()) == (appointment.starts_on, appointment.ends_on)  # dates, not texts
    assert state == "срок действует" and days_left == (appointment.ends_on - day).days and groups == 1
    assert isinstance(days_left, int) and isinstance(groups, int)
    assert about["Поиск по ФИО"] == "без отбора" and about["Строк"] == 3 and about["Дата выгрузки"].date() == day
    db_session.commit()
    logged = set(db_session.scalars(select(AccessLogEntry.subject_id).where(
        AccessLogEntry.viewer_id == curator.person_id, AccessLogEntry.purpose == "выгрузка реестра наставников")))
    assert logged == {demo.person_id(login) for login in ("volkov", "morozova", "lebedev")}


@SQLITE
def test_the_search_narrows_the_export_as_it_narrows_the_page(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    made = registry_exports.export_registry(db_session, curator, "mentees", query="  орлова ")
    sheet, about = _sheet(made, "Наставляемые")
    [(name, _work, _position, category, _direction, registered, state)] = _rows(sheet)
    assert name == "Орлова Ирина Сергеевна" and category == "Вновь назначенный руководитель (003 §3.6.1)"
    assert isinstance(registered, datetime) and state == "в программе" and about["Поиск по ФИО"] == "орлова"
    assert registry_exports.export_registry(db_session, curator, "programs", query="100%_").rows == 0


@SQLITE
def test_pairs_and_programs_name_their_people_consents_and_stages(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    [group] = registries.groups(db_session, curator).rows
    pairs, _about = _sheet(registry_exports.export_registry(db_session, curator, "pairs"), "Пары и группы")
    [row] = _rows(pairs)
    assert row[:5] == (group.id, "Волков Игорь Николаевич", row[2], "Орлова Ирина Сергеевна", 1)
    assert row[5] == "«руководитель – руководитель»" and row[7:9] == (2, 0)  # both consented (003 §6.2)
    assert row[9] == group.order.number and row[11] == "утверждена приказом"
    [program] = registries.programs(db_session, curator).rows
    programs, _about = _sheet(registry_exports.export_registry(db_session, curator, "programs"), "Программы")
    [row] = _rows(programs)
    assert row[0] == program.id and row[1] == "Волков Игорь Николаевич" and row[2] == "Орлова Ирина Сергеевна"
    assert row[4].startswith("1 ЭТАП. ОРГАНИЗАЦИОННЫЙ")  # the current stage by its title
    assert row[5].date() == program.started_on and row[6].date() == program.planned_end_on and row[7] is None
    assert row[8] == "выполняется" and row[9] in (None, "")
    db_session.commit()
    purposes = set(db_session.scalars(select(AccessLogEntry.purpose).where(
        AccessLogEntry.subject_id == demo.person_id("orlova"))))
    assert {"выгрузка реестра пар и групп", "выгрузка реестра программ"} <= purposes


@SQLITE
def test_another_organizations_curator_exports_none_of_them_and_a_mentor_nothing(demo, db_session, world):
    staffed(demo)
    for name in registry_exports.REGISTRIES:
        assert registry_exports.export_registry(db_session, world.other_curator, name).rows == 0
    with pytest.raises(PermissionDenied):
        registry_exports.export_registry(db_session, demo.actor("volkov"), "mentors")
    assert db_session.scalar(select(func.count()).select_from(AccessLogEntry).where(
        AccessLogEntry.viewer_id == world.other_curator.person_id)) == 0


@SQLITE
def test_the_statements_do_not_grow_with_the_rows(demo, db_session):
    staffed(demo)
    curator = demo.actor("curator")
    engine = db_session.get_bind()

    def selects(name: str, query: str = "") -> int:
        with counted_statements(engine) as statements:
            made = registry_exports.export_registry(db_session, curator, name, query=query)
        assert made.rows
        return len(statements.without_access_log().selects())

    assert selects("mentors", "Волков") == selects("mentors")  # 1 row, 3 rows
    few = {name: selects(name) for name in ("pairs", "programs")}
    demo.form_pair("morozova", "fedorov")
    assert {name: selects(name) for name in ("pairs", "programs")} == few  # 1 row each, then 2
