"""The data of orders about a running program, checked and normalised: extension (003 §7.2), completion on the
grounds of 003 §7.1, mentor replacement (003 §5.1) and release (003 §4.1). The wording is the pack's
(``rules/<pack>/orders/<kind>.j2``)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    OrderDataError,
    check_keys,
    checked_date,
    checked_people,
    checked_person,
    checked_text,
    common_fields,
    fmt_date,
    form_text,
    parse_day,
    participants,
)
from engine.regulations import RegulationPack
from engine.regulations.order_contract import COMPLETION_GROUNDS, PETITIONERS

# extension -----------------------------------------------------------------------------------------


def norm_extension(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "extension"
    check_keys(data, {"program", "new_end_on", "changes", "plan_changes", "new_form"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"program": participants(data.get("program"), f"{where}.program")}
    new_end = checked_date(data.get("new_end_on"), f"{where}.new_end_on", required=False)
    changes = checked_text(data.get("changes"), f"{where}.changes", required=False)
    plan_changes = _plan_changes(data.get("plan_changes"), f"{where}.plan_changes")
    new_form = form_text(data.get("new_form"), f"{where}.new_form")
    if not new_end and not changes and not plan_changes and not new_form:
        raise OrderDataError("укажите новый срок окончания программы (new_end_on), содержание изменений "
                             "(changes), изменённые мероприятия (plan_changes) или новую форму наставничества "
                             "(new_form) — 003 §7.2", where=where)
    old_end = out["program"].get("planned_end_on")
    if new_end and old_end and parse_day(new_end) <= parse_day(old_end):
        raise OrderDataError(f"новый срок {fmt_date(parse_day(new_end))} не позже прежнего {fmt_date(parse_day(old_end))}",
                             where=f"{where}.new_end_on")
    if new_end:
        out["new_end_on"] = new_end
    if changes:
        out["changes"] = changes
    if plan_changes:
        out["plan_changes"] = plan_changes
    if new_form:
        out["new_form"] = new_form
    return {**out, **common_fields(data, where)}


def _plan_changes(value: Any, where: str) -> list[dict[str, str]]:
    """The changed events of approved plan corrections (003 §7.2): each an event, was, becomes, reason."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise OrderDataError("изменённые мероприятия — список", where=where)
    rows = []
    for index, row in enumerate(value):
        if not isinstance(row, Mapping):
            raise OrderDataError("изменение мероприятия — словарь", where=f"{where}[{index}]")
        check_keys(row, {"event", "was", "becomes", "reason"}, f"{where}[{index}]")
        rows.append({key: str(checked_text(row.get(key), f"{where}[{index}].{key}"))
                     for key in ("event", "was", "becomes", "reason")})
    return rows


# completion ----------------------------------------------------------------------------------------

# the grounds may also be given by the letters of 003 §7.1 (а, б, в) or their Latin look-alikes
_GROUND_LETTERS = dict(zip("абв", COMPLETION_GROUNDS, strict=True))
_GROUND_ALIASES = {**_GROUND_LETTERS, **dict(zip("abc", COMPLETION_GROUNDS, strict=True))}


def norm_completion(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "completion"
    check_keys(data, {"program", "ground", "completed_on", "note"} | COMMON_KEYS, where)
    raw = str(getattr(data.get("ground"), "value", data.get("ground")) or "").strip().lower()
    ground = _GROUND_ALIASES.get(raw, raw)
    if ground not in COMPLETION_GROUNDS:
        raise OrderDataError(f"основание завершения {data.get('ground')!r} не предусмотрено; допустимо: "
                             + ", ".join(f"{g} («{letter}»)" for letter, g in _GROUND_LETTERS.items()),
                             where=f"{where}.ground")
    out: dict[str, Any] = {
        "program": participants(data.get("program"), f"{where}.program"),
        "ground": ground,
        "completed_on": checked_date(data.get("completed_on"), f"{where}.completed_on"),
    }
    note = checked_text(data.get("note"), f"{where}.note", required=False)
    if note:
        out["note"] = note
    return {**out, **common_fields(data, where)}


# mentor_replacement --------------------------------------------------------------------------------


def norm_replacement(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "mentor_replacement"
    check_keys(data, {"program", "new_mentor", "on", "petition_by", "reason", "released_on"} | COMMON_KEYS, where)
    program = participants(data.get("program"), f"{where}.program")
    new_mentor = checked_person(data.get("new_mentor"), f"{where}.new_mentor")
    if new_mentor["full_name"] == program["mentor"]["full_name"]:
        raise OrderDataError("новый наставник совпадает с прежним", where=f"{where}.new_mentor")
    petition = str(data.get("petition_by") or "mentee")
    if petition not in PETITIONERS:
        raise OrderDataError(f"инициатор замены {petition!r} не предусмотрен; допустимо: "
                             f"{', '.join(PETITIONERS)}", where=f"{where}.petition_by")
    out: dict[str, Any] = {"program": program, "new_mentor": new_mentor,
                           "on": checked_date(data.get("on"), f"{where}.on"), "petition_by": petition}
    reason = checked_text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    if data.get("released_on"):  # the former mentor was released by an order of its own (003 §4.1)
        out["released_on"] = checked_date(data.get("released_on"), f"{where}.released_on")
    return {**out, **common_fields(data, where)}


# mentor_release ------------------------------------------------------------------------------------


def norm_release(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "mentor_release"
    check_keys(data, {"mentor", "released_on", "reason", "mentees"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"mentor": checked_person(data.get("mentor"), f"{where}.mentor"),
                           "released_on": checked_date(data.get("released_on"), f"{where}.released_on")}
    mentees = checked_people(data.get("mentees"), f"{where}.mentees", required=False)
    if mentees:
        out["mentees"] = mentees
    reason = checked_text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **common_fields(data, where)}
