"""The terms a pack sets: the program's (``program:`` — ``term_months`` or ``end: academic_year_end``, 004 III.2,
and the bounds ``min_months``/``max_months``, 002 §1.2) and the mentor's (``mentor_term:`` — two years to the day
before, 003 §3.4, or the academic year, 004 III.2). Problems go to the reader's ``fail`` by field."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.regulations.manifest import Manifest
from engine.regulations.pack import TERM_ENDS
from engine.regulations.pack_parts import MentorTerm


@dataclass(frozen=True)
class ProgramTerm:
    """``program:`` as the pack gives it; every part optional (a pack may set no term for its programs)."""

    months: int | None
    end: str | None  # «academic_year_end»: the program lasts the academic year, instead of months
    limits: tuple[int, int] | None  # (min, max) months
    clause: str | None
    choice: str | None


def program_term(m: Manifest) -> ProgramTerm:
    program = m.mapping("program", required=False)
    months = _program_months(m, program)
    end = _program_end(m, program, months)
    limits = _program_limits(m, program, months)
    return ProgramTerm(months=months, end=end, limits=limits, clause=program.get("clause"),
                       choice=program.get("choice"))


def _program_months(m: Manifest, program: dict[str, Any]) -> int | None:
    if program:
        m.clause(program, "program.")
    months = program.get("term_months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months <= 0):
        m.fail("program.term_months", "ожидается целое число месяцев больше нуля")
        return None
    return months


def _program_limits(m: Manifest, program: dict[str, Any], months: int | None) -> tuple[int, int] | None:
    """``program.min_months`` / ``max_months``: the bounds the regulation sets on a program's term (002 §1.2: «от 3
    месяцев до 1 года»); the standard ``term_months`` lies within them. Neither given: None."""
    low, high = program.get("min_months"), program.get("max_months")
    if low is None and high is None:
        return None
    bad = [key for key, value in (("min_months", low), ("max_months", high))
           if isinstance(value, bool) or not isinstance(value, int) or value <= 0]
    for key in bad:
        m.fail(f"program.{key}", "ожидается целое число месяцев больше нуля (укажите и min_months, и max_months)")
    if bad or not isinstance(low, int) or not isinstance(high, int):
        return None
    if low > high:
        m.fail("program.min_months", f"наименьший срок ({low} мес.) больше наибольшего ({high} мес.)")
        return None
    if months is not None and not low <= months <= high:
        m.fail("program.term_months", f"срок программы {months} мес. вне пределов положения: от {low} до {high} мес.")
    return (low, high)


def _program_end(m: Manifest, program: dict[str, Any], months: int | None) -> str | None:
    """``program.end: academic_year_end`` — the program lasts the academic year (004 III.2), instead of months."""
    end = program.get("end")
    if end is None:
        return None
    if end != "academic_year_end":
        m.fail("program.end", "допустимо только end: academic_year_end (программа — на учебный год)")
        return None
    if months is not None:
        m.fail("program.end", "укажите либо term_months, либо end: academic_year_end, но не оба")
    return str(end)


def mentor_term(m: Manifest) -> MentorTerm:
    """``mentor_term: {end, months, clause, choice}`` — ``end`` one of ``TERM_ENDS``; ``months`` for day_before."""
    entry = m.mapping("mentor_term")
    end, months = entry.get("end"), entry.get("months")
    if end not in TERM_ENDS:
        m.fail("mentor_term.end", f"ожидается одно из: {', '.join(TERM_ENDS)}")
        end = "academic_year_end"
    if end == "day_before" and (not isinstance(months, int) or isinstance(months, bool) or months <= 0):
        m.fail("mentor_term.months", "для end: day_before нужен срок в месяцах (целое число больше нуля)")
        months = 12
    return MentorTerm(end=str(end), months=months if end == "day_before" else None,
                      clause=m.clause(entry, "mentor_term."), choice=m.choice(entry, "mentor_term."))
