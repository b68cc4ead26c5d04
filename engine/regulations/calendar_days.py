"""The days of the curator's calendar (001 §2.4: monitoring «до 20 декабря и до 20 мая»; the base review, yearly by
15 September — the school's choice): the pack's ``report_calendar`` entries with a ``task``, each on the pack's day
unless the organization's administrator moved it (``Organization.calendar_days``: {entry id: "MM-DD"}, only the days
that differ from the pack's; None — the pack's). An entry keeps its id, clause and choice; its label names its day.

    calendar_entries(organization, regulation=None)  the entries the calendar runs by, on the organization's days
    entry_days(regulation, organization)             [(pack's entry, its day "MM-DD", the pack's day)] for the page
    records(organization)                            the same for the API (id, task, label, clause, day, pack_day)
    parse_calendar_days(raw, regulation)             what the administrator typed ({id: "25.12"}) -> (stored, problems)
    shown(value, regulation)                         the stored days as people read them (the audit, the history)

The running processes follow a change in ``engine.services.curation.calendar`` (``follow_calendar_days``).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from engine import regulations
from engine.regulations import RegulationPack
from engine.regulations.pack_parts import ReportDate
from engine.regulations.report_dates import MONTHS_GENITIVE, parse_day

_UNTIL = re.compile(r"\s*\(до [^)]*\)\s*$")


def day_key(entry: ReportDate) -> str:
    return f"{entry.month:02d}-{entry.day:02d}"


def typed(key: str) -> str:
    """"12-25" as people write it: «25.12»."""
    return f"{key[3:5]}.{key[0:2]}"


def base_label(entry: ReportDate) -> str:
    """The entry's label without its day: «Мониторинг и оценка результатов реализации системы наставничества»."""
    return _UNTIL.sub("", entry.label) or entry.label


def on_day(entry: ReportDate, key: str) -> ReportDate:
    """The pack's entry moved to ``key`` ("MM-DD"), its label naming the new day."""
    if key == day_key(entry):
        return entry
    month, day = int(key[:2]), int(key[3:])
    return dataclasses.replace(entry, month=month, day=day,
                               label=f"{base_label(entry)} (до {day} {MONTHS_GENITIVE[month - 1]})")


def _own(organization: Any) -> Mapping[str, str]:
    own = getattr(organization, "calendar_days", None)
    return own if isinstance(own, Mapping) else {}


def calendar_entries(organization: Any, regulation: RegulationPack | None = None) -> tuple[ReportDate, ...]:
    """The entries of the curator's calendar on the organization's days (its administrator's, else the pack's)."""
    regulation = regulation or regulations.pack_of(organization)
    own = _own(organization)
    return tuple(on_day(entry, own[entry.id]) if isinstance(own.get(entry.id), str) else entry
                 for entry in regulation.calendar_tasks())


def entry_days(regulation: RegulationPack, organization: Any = None) -> list[tuple[ReportDate, str, str]]:
    """Each entry of the pack's calendar with the day it runs on ("MM-DD") and the pack's own day."""
    own = _own(organization)
    return [(entry, str(own.get(entry.id) or day_key(entry)), day_key(entry)) for entry in regulation.calendar_tasks()]


def records(organization: Any) -> list[dict[str, Any]]:
    """The calendar's entries as the API shows them: id, task, label (naming the day), clause, day and the pack's."""
    return [{"id": moved.id, "task": moved.task, "label": moved.label, "clause": moved.clause, "day": key,
             "pack_day": pack_key}
            for entry, key, pack_key in entry_days(regulations.pack_of(organization), organization)
            if (moved := on_day(entry, key))]


def parse_calendar_days(raw: Any, regulation: RegulationPack) -> tuple[dict[str, str] | None, list[tuple[str, str]]]:
    """The days the administrator set ({entry id: «25.12»}; an empty day or null — the pack's) as stored (only the
    days that differ from the pack's; None — none differ), or the problems as (entry id or "", message)."""
    if raw is None:
        return None, []
    if not isinstance(raw, Mapping):
        return None, [("", "ожидается объект {срок: «день.месяц»}, например {\"monitoring_december\": \"25.12\"}")]
    entries = {entry.id: entry for entry in regulation.calendar_tasks()}
    if raw and not entries:
        return None, [("", "положение организации не задаёт сроков мониторинга и сверки базы")]
    days, problems = _typed_days(raw, entries)
    problems += _clashes(entries, days)
    if problems:
        return None, problems
    stored = {entry_id: key for entry_id, key in days.items() if key != day_key(entries[entry_id])}
    return stored or None, []


def _typed_days(raw: Mapping[Any, Any], entries: Mapping[str, ReportDate]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each typed day checked ({entry id: "MM-DD"}; an empty one left out), every problem named by its entry."""
    problems: list[tuple[str, str]] = []
    days: dict[str, str] = {}
    for entry_id, value in raw.items():
        entry = entries.get(str(entry_id))
        if entry is None:
            known = ", ".join(f"{e.id} ({base_label(e)})" for e in entries.values())
            problems.append(("", f"в календаре нет срока «{entry_id}»; есть: {known}"))
        elif isinstance(value, str) and value.strip():
            key, problem = parse_day(value.strip())
            if problem is None:
                days[entry.id] = key
            else:
                problems.append((entry.id, f"«{entry.label}»: {problem}"))
        elif value is not None and not isinstance(value, str):
            problems.append((entry.id, f"«{entry.label}»: ожидается дата вида «20.12» (день.месяц)"))
    return days, problems


def _clashes(entries: Mapping[str, ReportDate], days: Mapping[str, str]) -> list[tuple[str, str]]:
    """A task moved onto the day of another entry with the same task (two monitorings on 20.12): refused."""
    groups: dict[tuple[str | None, str], list[ReportDate]] = {}
    for entry in entries.values():
        groups.setdefault((entry.task, days.get(entry.id, day_key(entry))), []).append(entry)
    problems = []
    for (_task, key), together in groups.items():
        moved = [entry for entry in together if entry.id in days]
        if len(together) > 1 and moved:
            other = next(entry for entry in together if entry is not moved[0])
            problems.append((moved[0].id, f"«{moved[0].label}»: {typed(key)} — уже срок «{other.label}»; "
                                          "две одинаковые задачи в один день не назначаются"))
    return problems


def shown(value: Any, regulation: RegulationPack | None) -> str:
    """{"monitoring_december": "12-25"} as «Мониторинг и оценка … (до 20 декабря): 25.12» (the pack's label)."""
    if not isinstance(value, Mapping) or not value:
        return "—"
    labels = {entry.id: entry.label for entry in (regulation.calendar_tasks() if regulation else ())}
    return "; ".join(f"{labels.get(str(entry_id), entry_id)}: {typed(str(key))}" for entry_id, key in value.items())
