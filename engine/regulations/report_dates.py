"""The dates by which an organization's mentors report (003 п. 3 of the order: «ежегодно до 10 июня, 10 декабря»):
the pack's ``report_calendar`` entries with ``report_by: mentor``, unless the organization's administrator set its own
(``Organization.report_dates``: ["06-10", "12-10"], month-day; None — the pack's).

    parse_days(raw) -> (days, problem)             what the administrator typed («10.06, 10.12»), each day checked
    report_dates(organization, regulation=None)    the dates the worker opens reports by (the organization's or the pack's)
    date_label(organization, calendar_id, due_on)  how a report's date is named («… (до 10 июня)»)
    covering_window(dates, due) -> (after, until)  the report dates that count for ``due``: a report already opened
                                                   for a date the administrator then moved counts for the nearest one

An administrator's date that is also the pack's keeps the pack's entry (its id, label and clause): a report opened
before the change is found under the same id. A date of her own is ``mentor_report_MMDD``, cited by the pack's first
mentor date's clause and named by its label with her day.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from engine import regulations
from engine.regulations import RegulationPack
from engine.regulations.pack_parts import ReportDate

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                   "ноября", "декабря")
MONTHS_PREPOSITIONAL = ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                        "октябре", "ноябре", "декабре")
DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February is not in every year: refused
MOST_DATES = 12
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})")


def shown(days: Sequence[str] | None) -> str:
    """["06-10", "12-10"] as people write it: «10.06, 10.12»."""
    return ", ".join(f"{day[3:5]}.{day[0:2]}" for day in days or [])


def pack_days(regulation: RegulationPack) -> list[str]:
    return sorted(f"{d.month:02d}-{d.day:02d}" for d in regulation.periodic_reports()
                  if d.month is not None and d.day is not None)


def parse_day(word: str) -> tuple[str, str | None]:
    """«10.06» as "06-10", or why it is no day of every year."""
    found = _DAY_MONTH.fullmatch(word)
    if found is None:
        return "", f"«{word}» — не дата вида «10.06» (день.месяц)"
    day, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        return "", f"«{word}»: месяца {month} нет — месяц от 1 до 12"
    if day == 29 and month == 2:
        return "", "«29.02» бывает не каждый год — выберите 28.02 или 01.03"
    most = DAYS_IN_MONTH[month - 1]
    if day == 0:
        return "", f"«{word}»: дня 0 нет"
    if day > most:
        return "", (f"«{word}»: такой даты нет — в {MONTHS_PREPOSITIONAL[month - 1]} {most} "
                    f"{'день' if most % 10 == 1 else 'дней'}")
    return f"{month:02d}-{day:02d}", None


def parse_days(raw: Any) -> tuple[list[str] | None, str | None]:
    """The days of ``raw`` («10.06, 10.12», or a list of such) as sorted month-days, or the problem in Russian.
    Empty: None (the pack's dates)."""
    if raw is None:
        return None, None
    parts: list[Any] = raw if isinstance(raw, list) else re.split(r"[,;\s]+", raw) if isinstance(raw, str) else [raw]
    if not all(isinstance(part, str) for part in parts):
        return None, "ожидаются даты вида «10.06» (день.месяц) через запятую"
    words = [part.strip() for part in parts if part.strip()]
    if not words:
        return None, None
    days: list[str] = []
    for word in words:
        key, problem = parse_day(word)
        if problem is not None:
            return None, problem
        if key in days:
            return None, f"дата «{word}» указана дважды"
        days.append(key)
    if len(days) > MOST_DATES:
        return None, f"не больше {MOST_DATES} дат в году"
    return sorted(days), None



def _base_label(regulation: RegulationPack) -> str:
    first = regulation.periodic_reports()[0]
    return re.sub(r"\s*\(до [^)]*\)\s*$", "", first.label) or "Отчёт наставника"


def own_date(regulation: RegulationPack, day: str) -> ReportDate:
    """An administrator's date that is none of the pack's."""
    month, day_of_month = int(day[:2]), int(day[3:])
    first = regulation.periodic_reports()[0]
    return ReportDate(id=f"mentor_report_{month:02d}{day_of_month:02d}",
                      label=f"{_base_label(regulation)} (до {day_of_month} {MONTHS_GENITIVE[month - 1]})",
                      clause=first.clause, month=month, day=day_of_month, report_by=first.report_by)


def report_dates(organization: Any, regulation: RegulationPack | None = None) -> tuple[ReportDate, ...]:
    """The dates the organization's mentors report by: its own when its administrator set them, else the pack's."""
    regulation = regulation or regulations.pack_of(organization)
    pack = regulation.periodic_reports()
    own = getattr(organization, "report_dates", None)
    if not pack or not own:
        return pack
    by_day = {f"{d.month:02d}-{d.day:02d}": d for d in pack}
    return tuple(by_day.get(day) or own_date(regulation, day) for day in sorted(own))


def date_label(organization: Any, calendar_id: str, due_on: date) -> str:
    """The name of a report's date: the pack's or the organization's entry with that id, else «… (до 10 июня)»
    from the report's own day (a date the administrator has since removed)."""
    regulation = regulations.pack_of(organization)
    for found in (*report_dates(organization, regulation), *regulation.periodic_reports()):
        if found.id == calendar_id:
            return found.label
    return own_date(regulation, f"{due_on.month:02d}-{due_on.day:02d}").label if regulation.periodic_reports() else ""


def covering_window(dates: Sequence[ReportDate], due: date) -> tuple[date, date]:
    """(after, until]: the due dates nearer to ``due`` than to the calendar's previous and next dates. With the
    calendar unchanged the reports of ``due`` are the only ones in it; a report opened for a date the administrator
    then moved by a few days or weeks is found here and no second one is opened for the period."""
    before = [found for d in dates if (found := d.last_before(due)) is not None]
    after = [found for d in dates if (found := d.next_on_or_after(due + timedelta(days=1))) is not None]
    previous = max(before) if before else due - timedelta(days=366)
    following = min(after) if after else due + timedelta(days=366)
    return previous + (due - previous) // 2, due + (following - due) // 2
