"""A workbook (.xlsx, openpyxl) from sections, a sheet per section: the section's title names the sheet, its column
headings make the first row (bold, frozen, so it stays in view while scrolling), and its rows follow typed as they
are — a number stays a number, a date a date shown ДД.ММ.ГГГГ, a text a text (never read as a formula: a name that
starts with «=» is a name). Column widths follow the content. The one XLSX writer of the exports (registries,
statistical form); it knows nothing of the database.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MAX_ROWS = 1_048_575  # a sheet's rows besides the heading (Excel's limit)
MAX_TITLE = 31  # a sheet name's length in Excel
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 8, 60  # characters
WIDTH_SAMPLE = 2000  # rows read for the widths: a long registry's widths come from its head

Value = object  # str, int, float, Decimal, date, datetime, bool or None; anything else is written as its text


class TooManyRows(ValueError):
    """A section has more rows than a sheet holds."""


@dataclass(frozen=True)
class Section:
    title: str  # the sheet's name (cut to 31 characters, forbidden characters replaced)
    headings: Sequence[str]
    rows: Sequence[Sequence[Value]]
    widths: Sequence[int] = field(default=())  # characters per column; empty: from the content


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, no apostrophe at either end, at most 31 characters, not empty,
    different from ``taken`` (case-insensitively, as Excel compares them): «Наставники (2)» after «Наставники»."""
    name = " ".join(FORBIDDEN_IN_TITLE.sub(" ", text).split()).strip("'").strip() or "Лист"
    name = name[:MAX_TITLE].rstrip()
    used = {t.casefold() for t in taken}
    candidate, number = name, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = name[:MAX_TITLE - len(suffix)].rstrip() + suffix
    return candidate


def _shown_length(value: Value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 3
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(section: Section) -> list[int]:
    """Widths in characters: the longest heading word or value of each column (its first ``WIDTH_SAMPLE`` rows),
    a little padding, between ``MIN_WIDTH`` and ``MAX_WIDTH`` (a longer text wraps)."""
    if section.widths:
        return list(section.widths)
    widths = [max((len(word) for word in heading.split()), default=0) for heading in section.headings]
    for row in section.rows[:WIDTH_SAMPLE]:
        for index, value in enumerate(row[:len(widths)]):
            widths[index] = max(widths[index], _shown_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _cell(sheet, value: Value) -> WriteOnlyCell:
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, "да" if value else "нет")
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value.replace(tzinfo=None))  # Excel has no time zones: the caller's local time
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = DATE_FORMAT
        return cell
    if value is None or isinstance(value, int | float | Decimal):
        return WriteOnlyCell(sheet, value)
    cell = WriteOnlyCell(sheet, _text(str(value)))
    cell.data_type = "s"  # «=…» stays text: a cell never becomes a formula
    cell.alignment = WRAP
    return cell


WRAP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)


def workbook(sections: Sequence[Section], *, title: str = "", author: str = "") -> bytes:
    """The workbook of ``sections`` as bytes (write-only: a registry of 100 000 rows is streamed, not kept as
    cells). ``title``/``author``: the file's properties."""
    book = Workbook(write_only=True)
    book.properties.title = title or None
    book.properties.creator = author or "Наставник"
    names: list[str] = []
    for section in sections:
        if len(section.rows) > MAX_ROWS:
            raise TooManyRows(section.title)
        names.append(sheet_title(section.title, names))
        sheet = book.create_sheet(names[-1])
        for index, width in enumerate(column_widths(section), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        heading = []
        for text in section.headings:
            cell = WriteOnlyCell(sheet, _text(text))
            cell.data_type = "s"
            cell.font, cell.alignment = BOLD, WRAP
            heading.append(cell)
        sheet.append(heading)
        for row in section.rows:
            sheet.append([_cell(sheet, value) for value in row])
    if not sections:
        book.create_sheet("Лист")
    out = BytesIO()
    book.save(out)
    return out.getvalue()
