"""The «Сроки» of a calendar roadmap (004 прил. 1–4) read as dates of one academic year.

A roadmap is printed for the model's first year («Сентябрь 2021», «Январь 2022», «Май 2022»); a school runs it
every academic year, so a printed month is taken as the same month of the school's academic year
(1 September – 31 August: September–December of its first calendar year, January–August of the second) and
the printed year is not read. What the column may say:

=================================  ==========================================================================
«Сентябрь 2021», «Январь 2022»    that month: open from its first day, due by its last
«Октябрь-ноябрь 2021»,             a span: open from the first month, due by the last day of the last
«Октябрь 2021 – май 2022»
«Ноябрь 2021, март 2022»           each part its own occurrence (done in November and again in March)
«2 полугодие 2021»                 the half-year's months inside the academic year (2: Sep–Dec, 1: Jan–Jun)
«В течение года», «Постоянно»,     the whole year: open from 1 September, due by the last day of the latest
«В течение учебного года»          month the roadmap prints anywhere (the month the year's work closes:
                                   May for the school roadmap, 004 прил. 2 п. 8.1)
«Ежегодно» beside a month          nothing more: the roadmap runs every academic year anyway
«По мере реализации»,              no due date of its own (no deadline, no escalation)
«По мере необходимости»
anything else                      not understood: no due date, shown with the printed text and the mark
                                   «срок не распознан» (tests keep the shipped roadmaps free of those)
=================================  ==========================================================================
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")
WHOLE_YEAR = ("в течение года", "в течение учебного года", "постоянно", "ежегодно")
AS_NEEDED = ("по мере реализации", "по мере необходимости")
ACADEMIC_ORDER = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)
_MONTH = "(" + "|".join(MONTHS) + r")(?:\s+\d{4})?"
_SPAN = re.compile(rf"{_MONTH}(?:\s*[-–—]\s*{_MONTH})?")
_HALF = re.compile(r"([12])\s*полугодие(?:\s+\d{4})?")

# what a term is
MONTHS_TERM, WHOLE_YEAR_TERM, AS_NEEDED_TERM, UNPARSED_TERM = "months", "whole_year", "as_needed", "unparsed"


@dataclass(frozen=True)
class Term:
    """A printed «Сроки» cell: ``kind`` and, for ``months``, the spans (first month, last month) in order."""

    printed: str
    kind: str
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(month for first, last in self.spans for month in _between(first, last))


@dataclass(frozen=True)
class Occurrence:
    """One time the event is due in an academic year: open from ``opens_on``, due by ``due_on`` (None: no due
    date of its own)."""

    opens_on: date
    due_on: date | None


def parse_term(printed: str | None) -> Term:
    """What the «Сроки» cell says (see the module's table)."""
    text = re.sub(r"\s+", " ", (printed or "").strip().lower().replace("ё", "е"))
    if text in AS_NEEDED:
        return Term(printed or "", AS_NEEDED_TERM)
    spans: list[tuple[int, int]] = []
    whole_year = False
    for part in (p.strip() for p in text.split(",")):
        if part in WHOLE_YEAR:
            whole_year = True
        elif (span := _SPAN.fullmatch(part)) is not None:
            first = MONTHS.index(span.group(1)) + 1
            spans.append((first, MONTHS.index(span.group(2)) + 1 if span.group(2) else first))
        elif (half := _HALF.fullmatch(part)) is not None:
            spans.append((9, 12) if half.group(1) == "2" else (1, 6))
        else:
            return Term(printed or "", UNPARSED_TERM)
    if spans:
        return Term(printed or "", MONTHS_TERM, tuple(spans))
    return Term(printed or "", WHOLE_YEAR_TERM if whole_year else UNPARSED_TERM)


def month_in_year(month: int, academic_year: int) -> tuple[int, int]:
    """(calendar year, month) of ``month`` in the academic year that starts on 1 September ``academic_year``."""
    return (academic_year if month >= 9 else academic_year + 1), month


def first_day(month: int, academic_year: int) -> date:
    year, month = month_in_year(month, academic_year)
    return date(year, month, 1)


def last_day(month: int, academic_year: int) -> date:
    year, month = month_in_year(month, academic_year)
    return date(year, month, calendar.monthrange(year, month)[1])


def closing_month(terms: list[Term]) -> int:
    """The latest month the roadmap prints, in academic order (the month its year's work closes); August
    when it prints none."""
    months = [month for term in terms for month in term.months]
    return max(months, key=ACADEMIC_ORDER.index) if months else 8


def occurrences(term: Term, academic_year: int, closes_in: int) -> list[Occurrence]:
    """When the event is due in the academic year ``academic_year`` (``closes_in``: ``closing_month``)."""
    start = date(academic_year, 9, 1)
    if term.kind == MONTHS_TERM:
        return [Occurrence(first_day(first, academic_year), last_day(last, academic_year))
                for first, last in term.spans]
    if term.kind == WHOLE_YEAR_TERM:
        return [Occurrence(start, last_day(closes_in, academic_year))]
    return [Occurrence(start, None)]


def _between(first: int, last: int) -> list[int]:
    a, b = ACADEMIC_ORDER.index(first), ACADEMIC_ORDER.index(last)
    return list(ACADEMIC_ORDER[a:b + 1]) if a <= b else [first, last]
