"""The «Сроки» of the 004 calendar roadmaps read as dates of a school's academic year: a printed month is the same
month of that year (004 прил. 2: «Сентябрь 2021» → September of the year, «Январь 2022» → its January)."""
from __future__ import annotations

from datetime import date

import pytest

from engine.regulations import all_roadmaps
from engine.regulations.calendar_terms import (
    AS_NEEDED_TERM,
    MONTHS_TERM,
    UNPARSED_TERM,
    WHOLE_YEAR_TERM,
    Occurrence,
    closing_month,
    occurrences,
    parse_term,
)

YEAR = 2025  # the academic year 2025/2026


@pytest.mark.parametrize(("printed", "expected"), [
    ("Сентябрь 2021", [Occurrence(date(2025, 9, 1), date(2025, 9, 30))]),           # 004 прил. 2 п. 1.1
    ("Январь 2022", [Occurrence(date(2026, 1, 1), date(2026, 1, 31))]),             # п. 7.2: January of the year
    ("Май 2022", [Occurrence(date(2026, 5, 1), date(2026, 5, 31))]),                # п. 8.1
    ("Октябрь-ноябрь 2021", [Occurrence(date(2025, 10, 1), date(2025, 11, 30))]),   # п. 1.4
    ("Октябрь 2021 – май 2022", [Occurrence(date(2025, 10, 1), date(2026, 5, 31))]),  # п. 6.2
    ("Ноябрь 2021, март 2022", [Occurrence(date(2025, 11, 1), date(2025, 11, 30)),    # п. 5.1: twice
                                Occurrence(date(2026, 3, 1), date(2026, 3, 31))]),
    ("Ноябрь - декабрь 2021", [Occurrence(date(2025, 11, 1), date(2025, 12, 31))]),  # прил. 1 п. 10.1
    ("Август 2022, ежегодно", [Occurrence(date(2026, 8, 1), date(2026, 8, 31))]),    # прил. 1 п. 7.2
    ("2 полугодие 2021", [Occurrence(date(2025, 9, 1), date(2025, 12, 31))]),        # прил. 1 п. 4.2
    ("Февраль 2024", [Occurrence(date(2026, 2, 1), date(2026, 2, 28))]),             # the printed year is not read
])
def test_a_printed_month_is_that_month_of_the_academic_year(printed, expected):
    term = parse_term(printed)
    assert term.kind == MONTHS_TERM
    assert occurrences(term, YEAR, closes_in=5) == expected


def test_the_whole_year_runs_to_the_month_the_roadmap_closes_and_as_needed_has_no_due_date():
    assert parse_term("В течение года").kind == WHOLE_YEAR_TERM
    assert parse_term("Постоянно").kind == WHOLE_YEAR_TERM
    assert occurrences(parse_term("В течение года"), YEAR, closes_in=5) == [Occurrence(date(2025, 9, 1),
                                                                                      date(2026, 5, 31))]
    assert parse_term("По мере реализации").kind == AS_NEEDED_TERM  # 004 прил. 2 п. 9.1
    assert occurrences(parse_term("По мере реализации"), YEAR, closes_in=5) == [Occurrence(date(2025, 9, 1), None)]


@pytest.mark.parametrize("printed", ["до 1 декабря", "Сентябрь, как только будет приказ", "", None, "Весна 2022"])
def test_an_unparsed_term_has_no_due_date(printed):
    term = parse_term(printed)
    assert term.kind == UNPARSED_TERM
    assert occurrences(term, YEAR, closes_in=5) == [Occurrence(date(2025, 9, 1), None)]


def test_the_school_roadmap_closes_in_may_and_every_shipped_calendar_term_is_understood():
    school = all_roadmaps()["yakutsk_school"]
    terms = [parse_term(event.due_as_printed) for event in school.events]
    assert closing_month(terms) == 5  # «Май 2022» (п. 8.1) and «Октябрь 2021 – май 2022» (п. 6.2)
    for roadmap in all_roadmaps().values():
        if roadmap.scheme == "calendar":
            unread = [e.number for e in roadmap.events if parse_term(e.due_as_printed).kind == UNPARSED_TERM]
            assert unread == [], roadmap.id


def test_a_roadmap_printing_no_month_closes_in_august():
    assert closing_month([parse_term("В течение года")]) == 8
