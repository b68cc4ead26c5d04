"""The indicators a mentor's periodic report gives per program where the organization's regulation names them (the
pack's ``report_indicators``; 002 §5: the monitoring of the program's process — its results and risks, the joint
projects, the share of the mentee's students passing ВПР/ГИА, the dynamics of their grades and of their olympiad
participation, the mentee's professional activity — and of its impact on the participants). Each is a percent
(0–100), a count (0 and more) or a text; every one may be left empty (not each applies to every program). What the
client sent is checked here, whatever sent it (the page, the API, the CLI), each problem naming the program and the
indicator.

    checked(indicators, raw, program_id) -> dict   the values to keep ({id: number | text}); NastavnikError else
    by_stage(indicators) -> [(stage label, [indicator, …]), …]   for the form and the curator's page
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.errors import NastavnikError
from engine.regulations.pack import INDICATOR_STAGES
from engine.regulations.pack_parts import ReportIndicator

TEXT_MAX = 4000
COUNT_MAX = 100_000


def _number(indicator: ReportIndicator, value: Any, program_id: int) -> int | float:
    named = f"программа № {program_id}: «{indicator.label}»"
    if isinstance(value, bool):
        raise NastavnikError(f"{named} — ожидается число", where="programs")
    if isinstance(value, str):
        text = value.strip().replace(",", ".").rstrip("%").strip()
        try:
            value = float(text)
        except ValueError:
            raise NastavnikError(f"{named} — ожидается число, получено «{value.strip()[:20]}»",
                                 where="programs") from None
    if not isinstance(value, (int, float)) or value != value:  # NaN
        raise NastavnikError(f"{named} — ожидается число", where="programs")
    if indicator.kind == "percent":
        if not 0 <= value <= 100:
            raise NastavnikError(f"{named} — процент от 0 до 100", where="programs")
        return int(value) if float(value).is_integer() else round(float(value), 1)
    if not float(value).is_integer() or not 0 <= value <= COUNT_MAX:
        raise NastavnikError(f"{named} — целое число от 0 до {COUNT_MAX}", where="programs")
    return int(value)


def checked(indicators: Sequence[ReportIndicator], raw: Any, program_id: int) -> dict[str, int | float | str]:
    """The program's indicator values from ``raw`` ({id: value}); empty ones left out; unknown ids refused."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise NastavnikError(f"программа № {program_id}: показатели — ожидается объект {{показатель: значение}}",
                             where="programs")
    known = {indicator.id: indicator for indicator in indicators}
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        said = ", ".join(known) or "положение организации показателей не называет"
        raise NastavnikError(f"программа № {program_id}: нет показателя «{unknown[0]}»; есть: {said}",
                             where="programs")
    values: dict[str, int | float | str] = {}
    for key, indicator in known.items():
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if indicator.kind == "text":
            if not isinstance(value, str):
                raise NastavnikError(f"программа № {program_id}: «{indicator.label}» — ожидается текст",
                                     where="programs")
            if len(value.strip()) > TEXT_MAX:
                raise NastavnikError(f"программа № {program_id}: «{indicator.label}» — не длиннее {TEXT_MAX} "
                                     "знаков", where="programs")
            values[key] = value.strip()
        else:
            values[key] = _number(indicator, value, program_id)
    return values


def by_stage(indicators: Sequence[ReportIndicator]) -> list[tuple[str, list[ReportIndicator]]]:
    """The indicators grouped by the stage of monitoring, in the regulation's order."""
    return [(label, [i for i in indicators if i.stage == stage]) for stage, label in INDICATOR_STAGES.items()
            if any(i.stage == stage for i in indicators)]
