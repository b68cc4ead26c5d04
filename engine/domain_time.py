"""Domain time: the one owner of how the regulations count calendar time. Everything that computes a due date,
a term's end or an academic year — the services, the regulation packs, the BPMN scripts (``clock_functions``
hands them these very functions) — calls this module.

The conventions:

- **Month arithmetic** (``add_months``): a day moved by whole calendar months; a day the target month lacks
  becomes that month's last day (31 January + 1 month = 28/29 February; 29 February + 12 months = 28 February).
  A schedule is always counted from its start, never step by step: 31 January + 5 months = 30 June, whereas
  (31 January + 1) + 4 = 28 June.
- **A term of N months** starting on D runs **through** D + N months − 1 day (``term_last_day``): «сроком на
  два года» from 06.12.2026 is «по 05.12.2028». What a term's order states (``по …``), the appointment record
  and the program's planned end are that last day; the term is over on the next day.
- **A stage due date** (``stage_schedule``): the stage plan's months counted from the program's start; «до» a
  stage's due date — the stage is overdue from that day on (the workflow's escalation timer fires then). A
  stage of 1 month from 06.12.2026 is due 06.01.2027 (its last day is 05.01.2027).
- **The organization's day** (``local_day``; ``engine.documents.basics.today_in``): «today» of an organization is
  the calendar day in its time zone (its ``document_settings.time_zone`` over its pack's), for the date of its
  orders, the start of a term, a registry's day and a script's ``today()`` alike — never the UTC day.
- **The academic year** runs 1 September – 31 August (``academic_year_start``/``academic_year_end``); «на
  один учебный год» (004 III.2) ends on the 31 August closing the academic year the term starts in.
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

ACADEMIC_YEAR_END = "academic_year_end"  # a term «на учебный год»: through 31 August (004 III.2)
DAY_BEFORE = "day_before"  # a term of N months: through the day before the same day N months on


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day ``moment`` falls on in ``zone`` (a naive moment is UTC, as the engine stores it). The one
    rule for «today» of an organization: its orders are dated, its terms start and its registries count on the
    day where it is (``engine.documents.basics.today_in``), never on the UTC day."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the day clamped to the month's length)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_last_day(starts_on: date, months: int) -> date:
    """The last day of a term of ``months`` months starting ``starts_on`` (the «− 1 day» convention)."""
    return add_months(starts_on, months) - timedelta(days=1)


def academic_year_start(day: date) -> int:
    """The first calendar year of the academic year ``day`` falls in (1 September – 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_end(day: date) -> date:
    """31 August closing the academic year ``day`` falls in."""
    return date(academic_year_start(day) + 1, 8, 31)


def term_ends_on(starts_on: date, end: str, months: int | None = None) -> date:
    """The last day of a term starting ``starts_on``: ``end`` «day_before» — ``months`` months less a day;
    «academic_year_end» — the academic year's 31 August."""
    if end == ACADEMIC_YEAR_END:
        return academic_year_end(starts_on)
    if end == DAY_BEFORE and months is not None:
        return term_last_day(starts_on, months)
    raise ValueError(f"unknown term end {end!r} (months {months!r})")


def stage_schedule(starts_on: date, planned_months: Sequence[int]) -> list[date]:
    """Each stage's due date: the months of the stages up to and including it, counted from ``starts_on``."""
    dues, total = [], 0
    for months in planned_months:
        total += months or 0
        dues.append(add_months(starts_on, total))
    return dues


def full_years(born_on: date, on: date) -> int:
    """Full years of age on ``on`` of someone born on ``born_on`` (001 §1.1: «в возрасте от 10 лет»)."""
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))


# -- the same functions on the ISO strings of task data (what BPMN scripts get) ---------------------------

def _iso_day(value: Any) -> date:
    text = str(value).strip()
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date() if len(text) > 10 else date.fromisoformat(text)


def scheduled_stages(started_on: Any, stages: list[dict], *, from_index: int = 0, extra_months: int = 0) -> list[dict]:
    """The stage plan of a program (``[{id, planned_months, …}]``) with each stage's ``months_from_start`` and
    ``due_at`` (ISO date, ``stage_schedule``). An extension (003 §7.2) passes ``extra_months`` and the
    current stage's ``from_index``: that stage and the later ones move by the months, counted from the start
    (so 31 January's schedule moves to month ends, not to the 28th). The lifecycle process's start data and
    its «move the due dates» step both come from here, and the database's due dates too."""
    start, out = _iso_day(started_on), []
    total = 0
    for index, stage in enumerate(stages):
        total += int(stage.get("planned_months") or 0)
        months = int(stage.get("months_from_start", total))
        if index >= from_index:
            months += int(extra_months)
        out.append({**stage, "months_from_start": months, "due_at": add_months(start, months).isoformat()})
    return out


def mentor_term_end(appointed_on: Any, term: dict) -> str:
    """The last day (ISO) of a mentor's term starting ``appointed_on``; ``term``: the pack's mentor term as
    start data (``{"end": …, "months": …}``, ``RegulationPack.process_data``)."""
    return term_ends_on(_iso_day(appointed_on), str(term.get("end")), term.get("months")).isoformat()
