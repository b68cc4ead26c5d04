"""Domain time: calendar months and academic years, as the regulations count them. A mentor's term and its
end convention belong to the regulation pack (``engine.regulations.pack.MentorTerm``)."""
from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the day clamped to the month's length)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def academic_year_start(day: date) -> int:
    """The first calendar year of the academic year ``day`` falls in (1 September – 31 August)."""
    return day.year if day.month >= 9 else day.year - 1


def full_years(born_on: date, on: date) -> int:
    """Full years of age on ``on`` of someone born on ``born_on`` (001 §1.1: «в возрасте от 10 лет»)."""
    return on.year - born_on.year - ((on.month, on.day) < (born_on.month, born_on.day))
