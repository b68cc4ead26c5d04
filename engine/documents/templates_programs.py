"""Templates of orders about a running program: extension (003 §7.2), completion on the grounds of
003 §7.1, mentor replacement (003 §5.1) and release (003 §4.1)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    Item,
    OrderContext,
    OrderDataError,
    check_keys,
    checked_date,
    checked_people,
    checked_person,
    checked_text,
    common_fields,
    fmt_date,
    mentees_phrase,
    names_line,
    pair_phrase,
    parse_day,
    participants,
    who_line,
)
from engine.vocabulary import CompletionGround

# extension -----------------------------------------------------------------------------------------


def norm_extension(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "extension"
    check_keys(data, {"program", "new_end_on", "changes"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"program": participants(data.get("program"), f"{where}.program")}
    new_end = checked_date(data.get("new_end_on"), f"{where}.new_end_on", required=False)
    changes = checked_text(data.get("changes"), f"{where}.changes", required=False)
    if not new_end and not changes:
        raise OrderDataError("укажите новый срок окончания программы (new_end_on) или содержание изменений "
                             "(changes)", where=where)
    old_end = out["program"].get("planned_end_on")
    if new_end and old_end and parse_day(new_end) <= parse_day(old_end):
        raise OrderDataError(f"новый срок {fmt_date(parse_day(new_end))} не позже прежнего {fmt_date(parse_day(old_end))}",
                             where=f"{where}.new_end_on")
    if new_end:
        out["new_end_on"] = new_end
    if changes:
        out["changes"] = changes
    return {**out, **common_fields(data, where)}


def items_extension(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    program = data["program"]
    pair = pair_phrase(program)
    items: list[Item] = []
    if data.get("new_end_on"):
        line = (f"Продлить срок реализации персонализированной программы наставничества ({pair}) "
                f"до {fmt_date(parse_day(data['new_end_on']))}")
        if program.get("planned_end_on"):
            line += f" (ранее – до {fmt_date(parse_day(program['planned_end_on']))})"
        items.append((line + ".", []))
    if data.get("changes"):
        target = ("указанную персонализированную программу наставничества" if data.get("new_end_on")
                  else f"персонализированную программу наставничества ({pair})")
        items.append((f"Внести изменения в {target}: {data['changes'].rstrip('.')}.", []))
    items.append(("Куратору внести соответствующие изменения в банк персонализированных программ "
                  f"наставничества{ctx.ref('п. 3.3')}.", []))
    return items


def purpose_extension(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    return ("п. 7.2" if ctx.tomsk else None,
            "по обоюдному согласию наставника и наставляемого, на основании ходатайства куратора")


# completion ----------------------------------------------------------------------------------------

_GROUNDS: dict[str, tuple[str, str]] = {
    # ground → (letter, phrase after «в связи с» / «по …»)
    CompletionGround.PLAN_COMPLETED: (
        "а", "в связи с завершением плана мероприятий персонализированной программы наставничества в полном объёме"),
    CompletionGround.PARTICIPANTS_INITIATIVE: (
        "б", "по инициативе наставника и (или) наставляемого по уважительным обстоятельствам"),
    CompletionGround.IMPROPER_EXECUTION: (
        "в", "по инициативе куратора в связи с недолжным исполнением персонализированной программы наставничества"),
}
_GROUND_ALIASES = {"a": "plan_completed", "а": "plan_completed", "b": "participants_initiative",
                   "б": "participants_initiative", "c": "improper_execution", "в": "improper_execution"}


def norm_completion(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "completion"
    check_keys(data, {"program", "ground", "completed_on", "note"} | COMMON_KEYS, where)
    raw = str(getattr(data.get("ground"), "value", data.get("ground")) or "").strip().lower()
    ground = _GROUND_ALIASES.get(raw, raw)
    if ground not in _GROUNDS:
        raise OrderDataError(f"основание завершения {data.get('ground')!r} не предусмотрено п. 7.1; допустимо: "
                             + ", ".join(f"{g.value} («{_GROUNDS[g][0]}»)" for g in CompletionGround),
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


def items_completion(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    letter, phrase = _GROUNDS[data["ground"]]
    ground = f"подпункт «{letter}» п. 7.1 Положения" if ctx.tomsk else phrase
    line = (f"Завершить {fmt_date(parse_day(data['completed_on']))} реализацию персонализированной программы "
            f"наставничества ({pair_phrase(data['program'])}); основание – {ground}")
    line += f" ({data['note'].rstrip('.')})." if data.get("note") else "."
    return [
        (line, []),
        ("Куратору подготовить итоговый аналитический отчёт о реализации персонализированной программы "
         f"наставничества и внести сведения в банк персонализированных программ наставничества{ctx.ref('п. 3.3')}.",
         []),
    ]


def purpose_completion(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    return ("п. 7.1" if ctx.tomsk else None), _GROUNDS[data["ground"]][1]


# mentor_replacement --------------------------------------------------------------------------------

_PETITIONS = {
    "mentee": ("п. 5.1", "на основании ходатайства наставляемого о замене наставника"),
    "mentor": ("п. 4.1", "на основании заявления наставника о сложении с него обязанностей наставника"),
    "curator": ("п. 3.2, 3.3", "по представлению куратора реализации программ наставничества"),
}


def norm_replacement(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "mentor_replacement"
    check_keys(data, {"program", "new_mentor", "on", "petition_by", "reason"} | COMMON_KEYS, where)
    program = participants(data.get("program"), f"{where}.program")
    new_mentor = checked_person(data.get("new_mentor"), f"{where}.new_mentor")
    if new_mentor["full_name"] == program["mentor"]["full_name"]:
        raise OrderDataError("новый наставник совпадает с прежним", where=f"{where}.new_mentor")
    petition = str(data.get("petition_by") or "mentee")
    if petition not in _PETITIONS:
        raise OrderDataError(f"инициатор замены {petition!r} не предусмотрен; допустимо: "
                             f"{', '.join(_PETITIONS)}", where=f"{where}.petition_by")
    out: dict[str, Any] = {"program": program, "new_mentor": new_mentor,
                           "on": checked_date(data.get("on"), f"{where}.on"), "petition_by": petition}
    reason = checked_text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **common_fields(data, where)}


def items_replacement(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    program, on = data["program"], fmt_date(parse_day(data["on"]))
    mentees = program["mentees"]
    whom = mentees_phrase(mentees)
    release = f"Освободить от обязанностей наставника с {on}: {who_line(program['mentor'])}; {whom}"
    release += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    return [
        (release, []),
        (f"Закрепить наставником с {on}: {who_line(data['new_mentor'])}; {whom}.", []),
        (f"Новому наставнику совместно с {'наставляемым' if len(mentees) == 1 else 'наставляемыми'} "
         f"скорректировать персонализированную программу наставничества{ctx.ref('п. 7.2')}.", []),
    ]


def purpose_replacement(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    clause, phrase = _PETITIONS[data["petition_by"]]
    return (clause if ctx.tomsk else None), phrase


# mentor_release ------------------------------------------------------------------------------------


def norm_release(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
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


def items_release(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    line = f"Освободить от обязанностей наставника с {fmt_date(parse_day(data['released_on']))}: {who_line(data['mentor'])}"
    line += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    items: list[Item] = [(line, [])]
    if data.get("mentees"):
        items.append(("Куратору реализации программ наставничества предложить кандидатуру наставника для "
                      f"наставляемых: {names_line(data['mentees'])}{ctx.ref('п. 3.3')}.", []))
    items.append((f"Куратору внести изменения в банк наставников и наставляемых{ctx.ref('п. 3.3')}.", []))
    return items


def purpose_release(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    return ("п. 4.1" if ctx.tomsk else None), _PETITIONS["mentor"][1]
