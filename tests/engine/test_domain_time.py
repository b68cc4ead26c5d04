"""Domain time (engine/domain_time.py): month ends, leap years, 31 January, the «− 1 day» convention and the
academic year — and the BPMN scripts' date functions are these very functions."""
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from engine import domain_time as dt
from engine.workflow import FixedClock
from engine.workflow.clock import clock_functions


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2027, 1, 31), 1, date(2027, 2, 28)),  # a month end clamps
    (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
    (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 February a year on
    (date(2028, 2, 29), 48, date(2032, 2, 29)),
    (date(2027, 1, 31), 5, date(2027, 6, 30)),
    (date(2026, 12, 6), 1, date(2027, 1, 6)),  # over the year's end
    (date(2027, 3, 31), -1, date(2027, 2, 28)),
])
def test_add_months(day, months, expected):
    assert dt.add_months(day, months) == expected


def test_a_schedule_is_counted_from_its_start_not_step_by_step():
    assert dt.stage_schedule(date(2027, 1, 31), [1, 4, 9, 1]) == [
        date(2027, 2, 28), date(2027, 6, 30), date(2028, 3, 31), date(2028, 4, 30)]
    assert dt.stage_schedule(date(2028, 2, 29), [12, 12]) == [date(2029, 2, 28), date(2030, 2, 28)]


def test_a_term_runs_through_the_day_before():
    assert dt.term_last_day(date(2026, 12, 6), 24) == date(2028, 12, 5)
    assert dt.term_last_day(date(2027, 1, 31), 1) == date(2027, 2, 27)
    assert dt.term_last_day(date(2028, 3, 1), 12) == date(2029, 2, 28)
    assert dt.term_last_day(date(2027, 3, 1), 12) == date(2028, 2, 29)


@pytest.mark.parametrize(("day", "end"), [
    (date(2025, 1, 10), date(2025, 8, 31)),  # 004 III.2: appointed in January — through this 31 August
    (date(2025, 8, 31), date(2025, 8, 31)),
    (date(2025, 9, 1), date(2026, 8, 31)),
    (date(2024, 2, 29), date(2024, 8, 31)),
])
def test_the_academic_year_ends_on_31_august(day, end):
    assert dt.academic_year_end(day) == end
    assert dt.term_ends_on(day, dt.ACADEMIC_YEAR_END) == end
    assert dt.mentor_term_end(day.isoformat(), {"end": "academic_year_end", "months": None}) == end.isoformat()


def test_scripts_get_the_same_functions():
    functions = clock_functions(FixedClock("2027-01-31T09:00:00+00:00"))
    assert functions["scheduled_stages"] is dt.scheduled_stages
    assert functions["mentor_term_end"] is dt.mentor_term_end
    assert functions["add_months"]("2027-01-31", 1) == "2027-02-28"
    assert functions["add_months"]("2028-01-31T10:00:00+00:00", 1) == "2028-02-29T10:00:00+00:00"


def test_an_extension_moves_the_stages_from_the_start():
    stages = dt.scheduled_stages("2027-01-31", [{"id": "a", "planned_months": 1}, {"id": "b", "planned_months": 4}])
    assert [s["due_at"] for s in stages] == ["2027-02-28", "2027-06-30"]
    moved = dt.scheduled_stages("2027-01-31", stages, from_index=0, extra_months=1)
    assert [(s["months_from_start"], s["due_at"]) for s in moved] == [(2, "2027-03-31"), (6, "2027-07-31")]
    again = dt.scheduled_stages("2027-01-31", moved, from_index=1, extra_months=2)
    assert [s["due_at"] for s in again] == ["2027-03-31", "2027-09-30"]


def test_today_for_a_script_is_the_day_in_the_organizations_zone():
    evening = FixedClock("2026-12-06T17:30:00+00:00")  # 00:30 on 7 December in Tomsk
    assert clock_functions(evening)["today"]() == "2026-12-06"
    assert clock_functions(evening, "Asia/Tomsk")["today"]() == "2026-12-07"
    assert dt.local_day(evening.now(), ZoneInfo("Asia/Tomsk")) == date(2026, 12, 7)
