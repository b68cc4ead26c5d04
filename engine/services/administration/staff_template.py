"""The staff file template an administrator downloads: the header row of an organization's person fields (their
Russian labels) and the «Организация» column; an XLSX also carries a sheet «Справка» — per column, whether it is
required, the values it takes, its unit and limits, and the rule files that read it."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from engine.db.models import Organization
from engine.services.people.person_fields import PersonField, person_fields

ORGANIZATION_COLUMN = "Организация"
FORMATS = ("csv", "xlsx")
KIND_TEXT = {"text": "текст", "email": "адрес электронной почты", "phone": "номер телефона",
             "date": "дата ДД.ММ.ГГГГ", "number": "число", "bool": "«да» или «нет»", "enum": "одно из значений",
             "list": "список через «;»"}
KEYS = ("email", "personnel_number")


@dataclass(frozen=True)
class TemplateFile:
    data: bytes
    file_name: str
    mimetype: str


def field_help(item: PersonField) -> tuple[str, str, str, str, str]:
    """(column, required, values, unit, limits) as the «Справка» sheet shows them."""
    fact = item.fact
    values = ", ".join(f"«{label}»" for label in item.values.values()) if item.values else KIND_TEXT[item.kind]
    if fact is not None and fact.integer:
        values = "целое число"
    unit = (fact.unit or "") if fact is not None else ""
    limits: list[str] = []
    if fact is not None and fact.minimum is not None:
        limits.append(f"не меньше {fact.minimum:g}")
    if fact is not None and fact.maximum is not None:
        limits.append(f"не больше {fact.maximum:g}")
    if item.max_length:
        limits.append(f"до {item.max_length} знаков")
    if item.name in KEYS:
        limits.append("по этому столбцу находится человек при повторном импорте")
    required = "да" if item.required else "нет"
    return item.label, required, values, unit, "; ".join(limits)


def _csv(fields: tuple[PersonField, ...]) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerow([f.label for f in fields] + [ORGANIZATION_COLUMN])
    return ("\ufeff" + text.getvalue()).encode("utf-8")  # the BOM: Excel opens it as UTF-8


def _xlsx(organization: Organization, fields: tuple[PersonField, ...]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    staff = workbook.active
    staff.title = "Сотрудники"
    staff.append([f.label for f in fields] + [ORGANIZATION_COLUMN])
    for cell in staff[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        staff.column_dimensions[cell.column_letter].width = 24
    staff.freeze_panes = "A2"
    guide = workbook.create_sheet("Справка")
    guide.append(["Столбец", "Обязательный", "Допустимые значения", "Единица", "Ограничения", "Читают правила"])
    for item in fields:
        guide.append([*field_help(item), ", ".join(item.rulesets)])
    guide.append([ORGANIZATION_COLUMN, "нет", "краткое или полное название организации", "",
                  f"{organization.short_name or organization.name} или подчинённая ей; пусто — она сама", ""])
    guide.append([])
    guide.append(["Люди находятся по электронной почте или табельному номеру: повторный импорт того же файла "
                  "ничего не меняет. Пустая ячейка оставляет сохранённое значение. Формулы и объединённые ячейки "
                  "не принимаются — только значения."])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (48, 14, 48, 12, 40, 36), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template(organization: Organization, file_format: str) -> TemplateFile:
    """The template of ``organization``'s staff file as CSV (UTF-8 with BOM, «;») or XLSX."""
    fields = person_fields(organization)
    name = f"сотрудники_{organization.id}.{file_format}"
    if file_format == "csv":
        return TemplateFile(_csv(fields), name, "text/csv")
    if file_format == "xlsx":
        return TemplateFile(_xlsx(organization, fields), name,
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    raise ValueError(file_format)
