"""The one XLSX writer: a sheet per section, typed cells, the heading bold and frozen, widths from the content,
sheet names Excel accepts."""
from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from engine.documents import xlsx


def _open(data: bytes):
    return load_workbook(BytesIO(data))


def test_a_registry_sheet_keeps_numbers_dates_and_names_as_they_are():
    data = xlsx.workbook([xlsx.Section("Наставники", ("ФИО", "Назначен", "Пар", "Доля", "Отмечено"), [
        ["=СУММ(A1:A9)", date(2025, 1, 15), 2, 0.5, datetime(2025, 3, 1, 14, 30)],
        ["Орлова\x07 Ирина Сергеевна", None, 0, None, None],
    ])], title="Реестр", author="Куратор")
    book = _open(data)
    sheet = book["Наставники"]
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    name, appointed, groups, share, marked = sheet[2]
    assert name.value == "=СУММ(A1:A9)" and name.data_type == "s"  # a text that looks like a formula stays text
    assert isinstance(appointed.value, datetime) and appointed.value.date() == date(2025, 1, 15)
    assert appointed.number_format == "DD.MM.YYYY" and marked.number_format == "DD.MM.YYYY HH:MM"
    assert groups.value == 2 and isinstance(groups.value, int) and share.value == 0.5
    assert sheet["A3"].value == "Орлова Ирина Сергеевна"  # a control character Excel refuses is dropped
    assert book.properties.title == "Реестр" and book.properties.creator == "Куратор"


def test_column_widths_follow_the_content_within_bounds():
    long = "Муниципальное автономное общеобразовательное учреждение средняя общеобразовательная школа № 8"
    sheet = _open(xlsx.workbook([xlsx.Section("Лист", ("№", "Организация", "Дата"),
                                              [[1, long, date(2025, 1, 1)]])])).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[0] == xlsx.MIN_WIDTH and widths[1] == xlsx.MAX_WIDTH and widths[2] == 12


@pytest.mark.parametrize(("title", "taken", "expected"), [
    ("Пары/группы: [итог]?", (), "Пары группы итог"),
    ("Наставники", ("наставники",), "Наставники (2)"),
    ("Реестр персонализированных программ наставничества", (), "Реестр персонализированных прог"),
    ("'Сведения'", (), "Сведения"),
    ("***", (), "Лист"),
])
def test_sheet_names_excel_accepts(title, taken, expected):
    name = xlsx.sheet_title(title, taken)
    assert name == expected and len(name) <= xlsx.MAX_TITLE


def test_two_sections_make_two_sheets_with_distinct_names():
    book = _open(xlsx.workbook([xlsx.Section("Программы", ("№",), [[1]]), xlsx.Section("Программы", ("№",), [])]))
    assert book.sheetnames == ["Программы", "Программы (2)"]
    assert book.worksheets[1].max_row == 1  # the heading only


def test_more_rows_than_a_sheet_holds_is_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    with pytest.raises(xlsx.TooManyRows):
        xlsx.workbook([xlsx.Section("Лист", ("№",), [[1], [2], [3]])])
