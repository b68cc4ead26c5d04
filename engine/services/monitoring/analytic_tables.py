"""The tables of the analytic report (``analytic_report``): the figures counted for the period (``analytic_figures``)
laid out as the sections the page, the workbook and the PDF show alike (``analytic_exports``) — participants (003 §3.3,
001 §2.3), forms and models (003 §2.4), programs (003 §7.1, §7.2), the stage reports, the mentors' reports and who is
overdue, and the indicators of 002 §5 named by the organization's regulation.

    report_tables(organization, period, at, found) -> list[Table]
    plain(value) -> the value with its dates as ISO strings (JSON-ready)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.db.models import MENTORSHIP_FORM_LABELS, Organization
from engine.errors import NastavnikError
from engine.regulations import pack_of
from engine.regulations.pack import INDICATOR_STAGES, ReportIndicator
from engine.services.audit.history import GROUND_NAMES
from engine.services.monitoring.analytic_period import Period
from engine.vocabulary import PARTICIPANT_KIND_LABELS, CompletionGround


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # the heading of the section, the sheet's name
    caption: str
    headings: tuple[str, ...]
    rows: list[Row]

    def value(self, key: str, column: int = 1) -> Any:
        return next(row.cells[column] for row in self.rows if row.key == key)

    def as_dict(self) -> dict:
        """JSON-ready: dates as ГГГГ-ММ-ДД."""
        return {"key": self.key, "title": self.title, "caption": self.caption, "headings": list(self.headings),
                "rows": [{"key": row.key, "cells": [plain(c) for c in row.cells]} for row in self.rows]}


def plain(value: Any) -> Any:
    """``value`` with its dates (in dicts and lists too) as ISO strings."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def _form_labels(organization: Organization) -> dict[str, str]:
    try:
        return {f.id: f.label for f in pack_of(organization).forms_for(organization.kind)}
    except NastavnikError:
        return {}


def _indicator_catalogue(organization: Organization) -> dict[str, ReportIndicator]:
    """The indicators the organization's regulation names (the pack's ``report_indicators``)."""
    try:
        return {i.id: i for i in pack_of(organization).report_indicators}
    except NastavnikError:  # the organization's pack is not installed here: the raw ids are shown
        return {}


def report_tables(organization: Organization, period: Period, at: date, found: dict) -> list[Table]:
    people, progs, stages, mentors = (found["participants"], found["programs"], found["stage_reports"],
                                      found["mentor_reports"])
    end = f"на {at:%d.%m.%Y}"
    formed, working = people["formed"], people["working"]
    kinds = people["mentees_by_kind"]
    kind_rows = [Row(f"mentees_{kind.value}", (f"из них: {label}", kinds.get(kind.value, 0)))
                 for kind, label in PARTICIPANT_KIND_LABELS.items()]
    if kinds.get("none"):
        kind_rows.append(Row("mentees_none", ("из них: вид участника не указан", kinds["none"])))
    tables = [Table("participants", "Участники", "Участники программ, выполнявшихся в периоде (003 §3.3, 001 §2.3)",
                    ("Показатель", "Количество"), [
        Row("mentors", ("Наставники", people["mentors"])),
        Row("mentees", ("Наставляемые — всего", people["mentees"])), *kind_rows,
        Row("pairs_formed", ("Пары, сформированные в периоде", sum(f["pairs"] for f in formed.values()))),
        Row("groups_formed", ("Группы, сформированные в периоде", sum(f["groups"] for f in formed.values()))),
        Row("pairs_working", (f"Пары, работающие {end}", sum(f["pairs"] for f in working.values()))),
        Row("groups_working", (f"Группы, работающие {end}", sum(f["groups"] for f in working.values())))])]
    labels = _form_labels(organization)
    forms = list(labels) + sorted(f for f in {*formed, *working} if f not in labels)
    zero = {"pairs": 0, "groups": 0}
    tables.append(Table("forms", "Формы и модели", "Пары и группы по формам и моделям наставничества (003 §2.4)",
                        ("Форма (модель) наставничества", "Пары сформированы", "Группы сформированы",
                         f"Пары работают {end}", f"Группы работают {end}"),
                        [Row(form, (labels.get(form) or MENTORSHIP_FORM_LABELS.get(form, form),
                                    formed.get(form, zero)["pairs"], formed.get(form, zero)["groups"],
                                    working.get(form, zero)["pairs"], working.get(form, zero)["groups"]))
                         for form in forms]))
    tables.append(Table("programs", "Программы", "Персонализированные программы наставничества (003 §7.1, §7.2)",
                        ("Показатель", "Количество"), [
        Row("started", ("Начаты в периоде", progs["started"])),
        Row("completed", ("Завершены в периоде — всего", progs["completed_total"])),
        *(Row(f"completed_{g.value}", (f"основание: {GROUND_NAMES[g]} ({g.clause})", progs["completed"][g.value]))
          for g in CompletionGround),
        Row("extended", ("Продлены приказом в периоде (003 §7.2)", progs["extended"])),
        Row("running", (f"Выполняются {end}", progs["running_at_end"])),
        Row("on_time", ("из них в срок", progs["on_time_at_end"])),
        Row("overdue", ("из них с просроченным этапом", progs["overdue_at_end"]))]))
    tables.append(Table("stage_reports", "Отчёты об этапах",
                        "Отчёты об этапах программ (003, прил. 1–4), представленные и рассмотренные в периоде",
                        ("Показатель", "Количество"), [
        Row("submitted", ("Представлены наставниками", stages["submitted"])),
        Row("approved", ("Приняты куратором", stages["approved"])),
        Row("returned", ("Возвращены на доработку", stages["returned"]))]))
    tables.append(Table("mentor_reports", "Отчёты наставников",
                        "Отчёты наставников за период (003, п. 3 распоряжения: до 10 июня, 10 декабря) "
                        f"со сроком в периоде, на {found['today']:%d.%m.%Y}", ("Показатель", "Количество"), [
        Row("due", ("Должны быть представлены", mentors["due"])),
        Row("filed", ("Представлены", mentors["filed"])),
        Row("filed_late", ("из них позже срока", mentors["filed_late"])),
        Row("overdue", ("Не представлены в срок", mentors["overdue"])),
        Row("expected", ("Ожидаются (срок не наступил)", mentors["expected"]))]))
    tables.append(Table("overdue_mentors", "Не представили отчёт", "Наставники, не представившие отчёт в срок",
                        ("Наставник", "Организация", "Срок", "Передан куратору"),
                        [Row(str(m["mentor_id"]), (m["mentor"], m["organization"], m["due_on"], m["escalated_on"]))
                         for m in mentors["overdue_mentors"]]))
    if found["indicators"]:
        catalogue = _indicator_catalogue(organization)
        order = [k for k in catalogue if k in found["indicators"]] + sorted(
            k for k in found["indicators"] if k not in catalogue)
        rows = []
        for key in order:
            values, known = found["indicators"][key], catalogue.get(key)
            numeric = values["numbers"] > 0
            rows.append(Row(key, (known.label if known else key,
                                  INDICATOR_STAGES.get(known.stage, "—") if known else "—", values["filled"],
                                  values["average"] if numeric else None,
                                  values["total"] if numeric and not (known and known.kind == "percent") else None)))
        tables.append(Table("indicators", "Показатели 002 §5",
                            "Показатели мониторинга (002 §5) по представленным отчётам наставников",
                            ("Показатель", "Этап мониторинга", "Программ со значением", "Среднее", "Сумма"), rows))
    return tables
