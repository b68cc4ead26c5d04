"""What and when a pack asks to be reported: the report calendar (``report_calendar:`` — a report after each stage,
or a day of the year with the curator's yearly task or the people who report by it: 001 §2.4, 003 п. 3) and the
indicators of the mentor's periodic report (``report_indicators:`` — 002 §5). Problems go to the reader's ``fail``
by field."""
from __future__ import annotations

import re
from functools import partial

from engine.regulations.manifest import Manifest
from engine.regulations.pack import CALENDAR_TASKS, INDICATOR_KINDS, INDICATOR_STAGES, REPORTERS
from engine.regulations.pack_parts import ReportDate, ReportIndicator

_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")


def report_calendar(m: Manifest) -> list[ReportDate]:
    """``report_calendar:`` — each entry either ``after: stage`` or ``day: "MM-DD"`` (with a ``task`` or whom it
    asks to report by then, ``report_by``)."""
    return [_report_date(m, at, entry) for at, entry in m.entries("report_calendar")]


def _report_date(m: Manifest, at: str, entry: dict) -> ReportDate:
    after, day, task, report_by = entry.get("after"), entry.get("day"), entry.get("task"), entry.get("report_by")
    month_day = None
    if after not in (None, "stage"):
        m.fail(f"{at}after", "допустимо только after: stage (отчёт после каждого этапа)")
    if task is not None and (task not in CALENDAR_TASKS or day is None):
        m.fail(f"{at}task", f"задача календаря — одно из {', '.join(CALENDAR_TASKS)}, только с day: \"MM-DD\"")
    if report_by is not None and (report_by not in REPORTERS or day is None or task is not None):
        m.fail(f"{at}report_by", f"кто отчитывается к дате — одно из {', '.join(REPORTERS)}, только с day: "
                                 "\"MM-DD\" и без task")
    if (after is None) == (day is None):
        m.fail(f"{at}day", "укажите либо day: \"MM-DD\" (дата года), либо after: stage")
    if day is not None:
        found = _MONTH_DAY.fullmatch(str(day))
        if not found or not (1 <= int(found.group(1)) <= 12 and 1 <= int(found.group(2)) <= 31):
            m.fail(f"{at}day", f"дата «{day}» не вида \"05-20\" (месяц-день)")
        else:
            month_day = (int(found.group(1)), int(found.group(2)))
    return ReportDate(id=m.text(entry, "id", at) or "", label=m.text(entry, "label", at) or "",
                      clause=m.clause(entry, at), after_stage=after == "stage",
                      month=month_day[0] if month_day else None, day=month_day[1] if month_day else None,
                      task=str(task) if task in CALENDAR_TASKS else None, choice=m.choice(entry, at),
                      report_by=str(report_by) if report_by in REPORTERS and task is None else None)


def report_indicators(m: Manifest) -> list[ReportIndicator]:
    """``report_indicators``: what the mentor's periodic report gives per program (002 §5), each cited."""
    return m.cited("report_indicators", ReportIndicator, kind=partial(_one_of, m, "kind", INDICATOR_KINDS, "text"),
                   stage=partial(_one_of, m, "stage", INDICATOR_STAGES, "process"))


def _one_of(m: Manifest, key: str, allowed: dict[str, str], default: str, at: str, entry: dict) -> str:
    """``report_indicators[].kind`` / ``.stage``: one of ``allowed`` (absent: ``default``)."""
    value = entry.get(key, default)
    if value not in allowed:
        m.fail(f"{at}{key}", f"«{value}»: ожидается одно из {', '.join(allowed)}")
        return default
    return str(value)
