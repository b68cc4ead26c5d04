"""Domain time: calendar months and the end of a mentor's term, as the regulations count them."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from engine.vocabulary import Regulation


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the day clamped to the month's length)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def appointment_term_end(regulation: str, starts_on: date) -> date:
    """Last day of a mentor's term starting ``starts_on``.

    Tomsk: appointed for two years (003 §3.4) → starts_on + 24 months − 1 day.
    Yakutsk network mentors: for one academic year (004 III.2) → 31 August closing that year.
    """
    if regulation == Regulation.TOMSK:
        return add_months(starts_on, 24) - timedelta(days=1)
    if regulation == Regulation.YAKUTSK:
        return date(starts_on.year + (1 if starts_on.month >= 9 else 0), 8, 31)
    raise ValueError(f"неизвестное положение {regulation!r}")
