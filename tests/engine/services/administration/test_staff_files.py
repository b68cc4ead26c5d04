"""A staff file a person uploads is read into rows of text, or refused as a whole with one Russian message that
says what is wrong and where — before anything is written."""
from __future__ import annotations

import io
import time
import zipfile
from datetime import date

import openpyxl
import pytest

from engine.services.administration.staff_files import DEFAULT_LIMITS, FileLimits, StaffFileError, read_staff_file


def xlsx(rows: list[list[object]], prepare=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refusal(data: bytes, limits: FileLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(StaffFileError) as refused:
        read_staff_file(data, "staff", limits)
    return str(refused.value)


def test_a_windows_1251_file_with_semicolons_and_quoted_fields():
    data = 'ФИО;Должность;Стаж\r\n"Ёлкина; Анна";"учитель ""первой"" категории";5\r\n'.encode("cp1251")
    table = read_staff_file(data)
    assert (table.kind, table.encoding, table.delimiter) == ("csv", "Windows-1251", ";")
    assert table.header == ("ФИО", "Должность", "Стаж")
    assert table.rows == ((2, ("Ёлкина; Анна", "учитель \"первой\" категории", "5")),)


def test_a_utf8_file_with_a_bom_and_commas_keeps_row_numbers_past_blank_lines():
    data = "\ufeffФИО,Электронная почта\nИванова Анна,ivanova@school.ru\n,\nПетров Илья,\"petrov@school.ru\"\n"
    table = read_staff_file(data.encode("utf-8"))
    assert (table.encoding, table.delimiter, table.header) == ("UTF-8", ",", ("ФИО", "Электронная почта"))
    assert [number for number, _cells in table.rows] == [2, 4]


def test_an_xlsx_gives_its_values_as_a_person_typed_them():
    table = read_staff_file(xlsx([["ФИО", "Стаж", "Дата рождения", "Сертификат"],
                                  ["Иванова Анна", 5.0, date(1980, 3, 1), True], [], ["Петров Илья", 85.5]]))
    assert table.kind == "xlsx"
    assert table.rows == ((2, ("Иванова Анна", "5", "01.03.1980", "да")), (4, ("Петров Илья", "85.5", "", "")))


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 ...", "а это документ PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "а это изображение PNG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "сохраните таблицу как .xlsx или CSV"),
    (bytes(range(256)) * 40, "не таблица"),
    (b"", "файл пуст"),
], ids=["pdf", "png", "old-xls", "binary", "empty"])
def test_what_is_not_a_spreadsheet_is_named(data, says):
    message = refusal(data)
    assert says in message and ("не таблица" in message or "пуст" in message)


def test_a_zip_that_is_not_a_workbook_and_a_broken_one():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("report.docx", "not a workbook")
    assert "а это архив ZIP" in refusal(archive.getvalue())
    assert "файл Excel повреждён" in refusal(b"PK\x03\x04" + b"\x00" * 200)


def test_a_50_mb_upload_is_refused_before_it_is_read():
    started = time.perf_counter()
    assert refusal(b"\x00" * (50 * 1024 * 1024)) == "файл больше 10 МБ (50 МБ): разделите его на части"
    assert time.perf_counter() - started < 1


def test_a_million_rows_are_refused_while_streaming():
    data = ("ФИО;Электронная почта\n" + "И;\n" * 1_000_000).encode()  # 4 MB: under the size limit
    started = time.perf_counter()
    assert refusal(data).replace("\u00a0", " ") == ("в файле больше 20 000 строк: разделите его на части не больше "
                                                   "20 000 строк")
    assert time.perf_counter() - started < 5  # stopped at row 20 001, the rest never parsed


def test_too_many_rows_in_an_xlsx():
    data = xlsx([["ФИО"]] + [[f"Человек {n}"] for n in range(12)])
    assert "в файле больше 10 строк" in refusal(data, FileLimits(max_rows=10))


def test_a_formula_is_named_by_row_and_column():
    data = xlsx([["ФИО", "Стаж"], ["А", 1], ["Б", 2], ["В", 3], ["Г", "=B2+B3"]])
    assert refusal(data) == ("строка 5, столбец «Стаж»: формула — вставьте значения (в Excel: «Специальная вставка» "
                             "→ «Значения»)")


def test_merged_cells_are_refused():
    data = xlsx([["ФИО", "Должность"], ["Иванова", "учитель"], ["Петров", ""]],
                prepare=lambda sheet: sheet.merge_cells("B2:B3"))
    assert refusal(data) == "объединённые ячейки B2:B3: разъедините их — в каждой ячейке одно значение"


def test_an_empty_or_repeated_header_is_named():
    assert refusal("ФИО;;Должность\nИванова;;учитель\n".encode()).startswith(
        "строка 1, столбец B: пустой заголовок")
    assert refusal("ФИО;Должность;фио\n".encode()) == "строка 1, столбец C: заголовок «фио» повторяется (уже в " \
                                                    "столбце A)"
    assert refusal(b"\n\n;;\n") == "файл пуст: нет строки заголовков"
    assert "значение в столбце без заголовка" in refusal("ФИО;Должность\nИванова;учитель;лишнее\n".encode())


def test_an_xlsx_whose_sheet_unpacks_to_too_much_is_refused_unread():
    honest = xlsx([["ФИО"], ["Иванова"]])
    source = zipfile.ZipFile(io.BytesIO(honest))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (3 * 1024 * 1024))
            zipped.writestr(item.filename, data)
    assert len(bomb.getvalue()) < 100 * 1024
    message = refusal(bomb.getvalue(), FileLimits(max_unpacked_bytes=1024 * 1024))
    assert message.startswith("лист Excel распаковывается в 3 МБ (допустимо 1 МБ)")


def test_a_bomb_hidden_beside_the_sheet_is_refused_too():
    honest = xlsx([["ФИО"], ["Иванова"]])
    source = zipfile.ZipFile(io.BytesIO(honest))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zipped:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"<fonts", b" " * (5 * 1024 * 1024) + b"<fonts", 1)
            zipped.writestr(item.filename, data)
    assert refusal(bomb.getvalue(), FileLimits(max_unpacked_bytes=1024 * 1024)).startswith(
        "лист Excel распаковывается в 5 МБ")
