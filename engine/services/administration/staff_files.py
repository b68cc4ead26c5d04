"""An uploaded staff file read into rows of text cells: XLSX (openpyxl, read-only, formulas detected and refused)
or CSV (UTF-8 with or without BOM, or Windows-1251; «;» or «,»; quoted fields).

Every refusal is one Russian message naming what is wrong and where (the row, the column's header), raised before
anything is written: not a spreadsheet, too big, too many rows (found while streaming, the rest is not read),
formulas, merged cells, an empty or repeated header, an XLSX whose sheet unpacks to too much (a zip bomb)."""
from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.etree import ElementTree

from babel.numbers import format_decimal

from engine.errors import ProblemsError


class StaffFileError(ProblemsError):
    """A staff file refused as a whole: nothing of it is read further, nothing is written."""

    when_none = "файл не принят"


@dataclass(frozen=True)
class FileLimits:
    max_bytes: int = 10 * 1024 * 1024  # the upload itself
    max_rows: int = 20_000  # data rows, the header not counted
    max_unpacked_bytes: int = 64 * 1024 * 1024  # an XLSX sheet and its shared strings, unpacked
    max_columns: int = 200


DEFAULT_LIMITS = FileLimits()


@dataclass(frozen=True)
class StaffTable:
    """The file's header (as written, trimmed) and its non-blank data rows with their row numbers as the
    spreadsheet shows them (the header is row 1)."""

    kind: str  # csv | xlsx
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str | None = None  # of a CSV
    delimiter: str | None = None  # of a CSV


# the opening bytes of files people upload by mistake
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "документ PDF"), (b"\x89PNG", "изображение PNG"), (b"\xff\xd8\xff", "изображение JPEG"),
    (b"GIF8", "изображение GIF"), (b"\xd0\xcf\x11\xe0", "файл старого формата Microsoft Office (.xls или .doc): "
                                                     "сохраните таблицу как .xlsx или CSV"),
    (b"Rar!", "архив RAR"), (b"\x1f\x8b", "архив gzip"), (b"7z\xbc\xaf", "архив 7z"),
)
NOT_A_SPREADSHEET = "не таблица: ожидается файл .xlsx или .csv (UTF-8 или Windows-1251, разделитель «;» или «,»)"
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def amount(count: int) -> str:
    return format_decimal(count, locale="ru")


def megabytes(size: int) -> str:
    return format_decimal(round(size / 1024 / 1024, 1), locale="ru")


def column_letter(index: int) -> str:
    """0 → «A», 26 → «AA»: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(header: tuple[str, ...], index: int) -> str:
    title = header[index] if index < len(header) else ""
    return f"столбец «{title}»" if title else f"столбец {column_letter(index)}"


def read_staff_file(data: bytes, file_name: str = "", limits: FileLimits = DEFAULT_LIMITS) -> StaffTable:
    """The table in ``data`` (an .xlsx or a .csv, told by its content, not its name), else ``StaffFileError``."""
    if len(data) > limits.max_bytes:
        raise StaffFileError([f"файл больше {megabytes(limits.max_bytes)} МБ ({megabytes(len(data))} МБ): "
                              "разделите его на части"])
    if not data.strip():
        raise StaffFileError(["файл пуст: нет строки заголовков"])
    for signature, what in SIGNATURES:
        if data.startswith(signature):
            raise StaffFileError([f"{NOT_A_SPREADSHEET}, а это {what}"])
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_table(data, limits)
    return _csv_table(data, limits)


# -- the table's shape, whatever the format -------------------------------------------------------------

def _table(kind: str, lines: Iterator[tuple[int, list[str]]], limits: FileLimits, **about: str | None) -> StaffTable:
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in lines:
        cells = [" ".join(cell.split()) if "\n" in cell or "\t" in cell else cell.strip() for cell in cells]
        if not any(cells):
            continue
        if header is None:
            header = _header(number, cells, limits)
            continue
        extra = [index for index in range(len(header), len(cells)) if cells[index]]
        if extra:
            raise StaffFileError([f"строка {number}, {column_name(header, extra[0])}: значение в столбце без "
                                  "заголовка — впишите заголовок или удалите значение"])
        if len(rows) >= limits.max_rows:
            raise StaffFileError([f"в файле больше {amount(limits.max_rows)} строк: разделите его на части "
                                  f"не больше {amount(limits.max_rows)} строк"])
        rows.append((number, tuple(cells[: len(header)]) + ("",) * (len(header) - len(cells))))
    if header is None:
        raise StaffFileError(["файл пуст: нет строки заголовков"])
    return StaffTable(kind, header, tuple(rows), **about)


def _header(number: int, cells: list[str], limits: FileLimits) -> tuple[str, ...]:
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) > limits.max_columns:
        raise StaffFileError([f"в строке заголовков больше {limits.max_columns} столбцов"])
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, title in enumerate(cells):
        if not title:
            problems.append(f"строка {number}, столбец {column_letter(index)}: пустой заголовок — впишите название "
                            "столбца или удалите столбец")
        elif title.lower() in seen:
            problems.append(f"строка {number}, столбец {column_letter(index)}: заголовок «{title}» повторяется "
                            f"(уже в столбце {column_letter(seen[title.lower()])})")
        else:
            seen[title.lower()] = index
    if problems:
        raise StaffFileError(problems)
    return tuple(cells)


# -- CSV ----------------------------------------------------------------------------------------------

def _encoding(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1251")
        except UnicodeDecodeError:
            raise StaffFileError([NOT_A_SPREADSHEET]) from None
        return "cp1251"
    return "utf-8-sig"


def _delimiter(first_line: str) -> str:
    """«;» or «,», whichever splits the header line (outside quotes) into more cells."""
    counts = {}
    for delimiter in (";", ","):
        counts[delimiter] = len(next(csv.reader([first_line], delimiter=delimiter), []))
    return ";" if counts[";"] >= counts[","] else ","


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t")
    return "\x00" in sample or controls > len(sample) // 100


def _csv_table(data: bytes, limits: FileLimits) -> StaffTable:
    if b"\x00" in data[:4096]:
        raise StaffFileError([NOT_A_SPREADSHEET])
    encoding = _encoding(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if _looks_binary(first + stream.read(4096)):
        raise StaffFileError([NOT_A_SPREADSHEET])
    stream.seek(0)
    delimiter = _delimiter(first)
    reader = csv.reader(stream, delimiter=delimiter, quotechar='"', strict=False)
    try:
        return _table("csv", ((number, row) for number, row in enumerate(reader, start=1)), limits,
                      encoding="UTF-8" if encoding == "utf-8-sig" else "Windows-1251", delimiter=delimiter)
    except csv.Error as broken:
        raise StaffFileError([f"CSV не разобран (строка {reader.line_num}): проверьте кавычки"]) from broken


# -- XLSX ---------------------------------------------------------------------------------------------

def cell_text(value: object) -> str:
    """A cell's value as the text a person typed: 85 → «85», 85.5 → «85.5», a date → «01.09.2024»."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y") if value.time() == time(0) else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The first sheet's entry (as the workbook lists its sheets), read from small XML parts only."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise StaffFileError([f"{NOT_A_SPREADSHEET}, а это архив ZIP"])
    for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if part not in names or archive.getinfo(part).file_size > 1024 * 1024:
            raise StaffFileError(["файл Excel повреждён: нет описания листов"])
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    sheet = next((node for node in workbook.iter() if node.tag.endswith("}sheet")), None)
    if sheet is None:
        raise StaffFileError(["в файле Excel нет листов"])
    target = next((rel.get("Target", "") for rel in rels if rel.get("Id") == sheet.get(RELS)), "")
    path = target.lstrip("/") if target.startswith("/") else "xl/" + target
    if path not in names:
        raise StaffFileError(["файл Excel повреждён: нет первого листа"])
    return path


def _check_unpacked(archive: zipfile.ZipFile, sheet_path: str, limits: FileLimits) -> None:
    """The sheet and its shared strings (what is read), and the whole workbook (openpyxl also reads its styles),
    within the limit once unpacked: a zip bomb is refused before a byte of it is inflated (the sizes are the
    archive's own; ``zipfile`` never inflates an entry past its declared size)."""
    parts = [sheet_path, "xl/sharedStrings.xml"]
    unpacked = sum(archive.getinfo(part).file_size for part in parts if part in archive.namelist())
    whole = sum(item.file_size for item in archive.infolist())
    if max(unpacked, whole // 2) > limits.max_unpacked_bytes:
        shown = unpacked if unpacked > limits.max_unpacked_bytes else whole
        raise StaffFileError([f"лист Excel распаковывается в {megabytes(shown)} МБ (допустимо "
                              f"{megabytes(limits.max_unpacked_bytes)} МБ): файл повреждён или слишком велик"])


def _merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> list[str]:
    """The merged ranges the sheet declares (its XML streamed in chunks: the ranges come after the cells)."""
    found: list[str] = []
    tail = b""
    with archive.open(sheet_path) as stream:
        while chunk := stream.read(1024 * 1024):
            window = tail + chunk
            found.extend(match.decode() for match in MERGE.findall(window))
            tail = window[-200:]  # a range cut by the chunk's end is found whole in the next window
    return sorted(set(found))


def _xlsx_table(data: bytes, limits: FileLimits) -> StaffTable:
    import openpyxl  # imported when an .xlsx comes: it takes a while to load

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet_path = _first_sheet_path(archive)
        _check_unpacked(archive, sheet_path, limits)
        merged = _merged_ranges(archive, sheet_path)
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, EOFError, ValueError) as broken:
        raise StaffFileError(["файл Excel повреждён: не удалось открыть"]) from broken
    if merged:
        raise StaffFileError([f"объединённые ячейки {', '.join(merged[:5])}: разъедините их — в каждой ячейке "
                              "одно значение"])
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as broken:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise StaffFileError(["файл Excel повреждён: не удалось открыть"]) from broken
    try:
        # rows are counted as they stream (the sheet's declared size is not trusted: a sheet formatted down to its
        # last row declares a million rows and may hold fifty)
        return _table("xlsx", _xlsx_lines(workbook.worksheets[0].iter_rows(), limits), limits)
    finally:
        workbook.close()


def _xlsx_lines(rows: Iterable, limits: FileLimits) -> Iterator[tuple[int, list[str]]]:
    header: tuple[str, ...] = ()
    for row in rows:
        cells = [cell for cell in row if getattr(cell, "column", None) is not None]
        if not cells:
            continue
        number = cells[0].row
        width = max(cell.column for cell in cells)
        if width > limits.max_columns + 1:
            width = max((cell.column for cell in cells if cell.value not in (None, "")), default=0)
        texts = [""] * width
        for cell in cells:
            if cell.column > width:
                continue
            if cell.data_type == "f":
                raise StaffFileError([f"строка {number}, {column_name(header, cell.column - 1)}: формула — "
                                      "вставьте значения (в Excel: «Специальная вставка» → «Значения»)"])
            texts[cell.column - 1] = cell_text(cell.value)
        if not header and any(texts):
            header = tuple(text.strip() for text in texts)
        yield number, texts
