"""The seven order templates (``TEMPLATES``): per order type, how its data is checked, which clause it
cites and which numbered items it has. The table is in ``engine.documents.orders``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from engine.db.models.mentorship import add_months, appointment_term_end
from engine.db.models.orders import OrderType
from engine.db.models.program import CompletionGround
from engine.documents.basics import (  # noqa: F401 - package-internal helpers
    Item, OrderDataError, OrderTemplate, _COMMON, _Ctx, _capitalize,
    _check_keys, _common, _date, _day, _fmt, _get,
    _mentees_phrase, _names, _pair_phrase, _participants, _people, _person,
    _text, _who,
)


# appointment_of_mentors ---------------------------------------------------------------------------


def _norm_appointment(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "appointment_of_mentors"
    _check_keys(data, {"mentors", "starts_on", "ends_on"} | _COMMON, where)
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = _date(data.get("ends_on"), f"{where}.ends_on", required=False)
    raw = data.get("mentors")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одного наставника", where=f"{where}.mentors")
    mentors = []
    for i, entry in enumerate(raw):
        at = f"{where}.mentors[{i}]"
        wrapped = ("person" in entry) if isinstance(entry, Mapping) else hasattr(entry, "person")
        person_value, extra = (_get(entry, "person"), entry) if wrapped else (entry, {})
        mentor: dict[str, Any] = {"person": _person(person_value, at)}
        m_starts = _date(_get(extra, "starts_on"), f"{at}.starts_on", required=False) or starts
        if m_starts is None:
            raise OrderDataError("не указана дата начала срока наставника", where=f"{at}.starts_on")
        m_ends = (_date(_get(extra, "ends_on"), f"{at}.ends_on", required=False)
                  or (ends if m_starts == starts else None)
                  or appointment_term_end(regulation, _day(m_starts)).isoformat())
        if _day(m_ends) < _day(m_starts):
            raise OrderDataError(f"срок окончания {m_ends} раньше начала {m_starts}", where=f"{at}.ends_on")
        mentor["starts_on"], mentor["ends_on"] = m_starts, m_ends
        direction = _text(_get(extra, "direction"), f"{at}.direction", required=False)
        if direction:
            mentor["direction"] = direction
        mentors.append(mentor)
    return {"mentors": mentors, **_common(data, where)}


def _term_phrase(ctx: _Ctx, starts_iso: str, ends_iso: str) -> str:
    starts, ends = _day(starts_iso), _day(ends_iso)
    standard = appointment_term_end(ctx.regulation, starts) == ends
    if standard and ctx.tomsk:
        return f"сроком на два года (с {_fmt(starts)} по {_fmt(ends)})"
    if standard:
        first = starts.year if starts.month >= 9 else starts.year - 1
        return (f"сроком на один учебный год ({first}/{first + 1} учебный год, "
                f"с {_fmt(starts)} по {_fmt(ends)})")
    return f"на срок с {_fmt(starts)} по {_fmt(ends)}"


def _items_appointment(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    mentors = data["mentors"]
    terms = {(m["starts_on"], m["ends_on"]) for m in mentors}
    common = len(terms) == 1
    role = "наставниками" if ctx.tomsk else "сетевыми наставниками"
    head = f"Назначить {role}"
    if common:
        head += " " + _term_phrase(ctx, *next(iter(terms)))
    if not ctx.tomsk:
        head += " с закреплением направлений профессиональной деятельности"
    subs = []
    for m in mentors:
        line = _who(m["person"])
        if m.get("direction"):
            line += f", направление – «{m['direction']}»"
        if not common:
            line += ", " + _term_phrase(ctx, m["starts_on"], m["ends_on"])
        subs.append(line + ".")
    items: list[Item] = [(head + ":", subs)]
    if ctx.tomsk:
        items.append(("Куратору реализации программ наставничества внести сведения о наставниках в банк "
                      "наставников и наставляемых (п. 3.3 Положения).", []))
        items.append(("Наставникам совместно с наставляемыми составить персонализированные программы "
                      "наставничества (п. 4.2 Положения).", []))
    else:
        items.append(("Сетевым наставникам сопровождать разработку стажерами индивидуальных планов "
                      "профессионального развития по курируемому направлению деятельности "
                      "(п. 1 раздела IV Положения).", []))
    return items


def _purpose_appointment(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.4", "в целях организации наставничества руководителей образовательных организаций"
    return "п. 2 раздела III", "в целях организации сетевого наставничества"


# pair_formation ------------------------------------------------------------------------------------


def _norm_pairs(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "pair_formation"
    _check_keys(data, {"groups", "starts_on", "ends_on"} | _COMMON, where)
    raw = data.get("groups")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одну наставническую пару (группу)", where=f"{where}.groups")
    out: dict[str, Any] = {"groups": [_participants(g, f"{where}.groups[{i}]") for i, g in enumerate(raw)]}
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = _date(data.get("ends_on"), f"{where}.ends_on", required=False)
    if (starts is None) != (ends is None):
        raise OrderDataError("срок программ указывается двумя датами: начало и окончание",
                             where=f"{where}.{'ends_on' if starts else 'starts_on'}")
    if starts and ends:
        if _day(ends) < _day(starts):
            raise OrderDataError(f"окончание {ends} раньше начала {starts}", where=f"{where}.ends_on")
        out["starts_on"], out["ends_on"] = starts, ends
    return {**out, **_common(data, where)}


def _items_pairs(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    if ctx.tomsk:
        head = ("Утвердить наставнические пары (группы), сформированные на добровольной основе с "
                "непосредственным участием куратора, наставников и наставляемых (п. 6.2 Положения):")
    else:
        head = ("Утвердить группы стажеров сетевых наставников по направлениям деятельности "
                "(п. 4 раздела III Положения):")
    subs = [_capitalize(_pair_phrase(g)) + "." for g in data["groups"]]
    items: list[Item] = [(head, subs)]
    if data.get("starts_on"):
        starts, ends = _day(data["starts_on"]), _day(data["ends_on"])
        line = (f"Установить срок реализации персонализированных программ наставничества с {_fmt(starts)} "
                f"по {_fmt(ends)}")
        if ctx.tomsk and add_months(starts, 24) - timedelta(days=1) == ends:
            line += " (24 месяца, п. 1.2.6 Положения)"
        items.append((line + ".", []))
    if ctx.tomsk:
        items.append(("Наставникам совместно с наставляемыми составить персонализированные программы "
                      "наставничества в соответствии с моделью наставничества (п. 3.7, 4.2 Положения).", []))
    else:
        items.append(("Стажерам разработать индивидуальные планы профессионального развития и выполнять их "
                      "(п. 3 раздела IV Положения).", []))
    return items


def _purpose_pairs(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 6.2", ("с письменного согласия участников наставнических пар (групп) на возложение на "
                               "них дополнительных обязанностей, связанных с наставнической деятельностью")
    return "п. 4 раздела III", "с согласия участников сетевого наставничества"


# curator_appointment -------------------------------------------------------------------------------


def _norm_curator(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "curator_appointment"
    _check_keys(data, {"curator", "starts_on"} | _COMMON, where)
    out: dict[str, Any] = {"curator": _person(data.get("curator"), f"{where}.curator")}
    starts = _date(data.get("starts_on"), f"{where}.starts_on", required=False)
    if starts:
        out["starts_on"] = starts
    return {**out, **_common(data, where)}


def _items_curator(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    since = f" с {_fmt(_day(data['starts_on']))}" if data.get("starts_on") else ""
    if ctx.tomsk:
        return [
            (f"Назначить куратором реализации программ наставничества руководителей образовательных "
             f"организаций{since}: {_who(data['curator'])}.", []),
            ("Куратору осуществлять функции, установленные п. 3.3 Положения, в том числе не реже одного раза "
             "в год актуализировать сведения о наставляемых, вести банк наставников и наставляемых и банк "
             "персонализированных программ наставничества.", []),
        ]
    return [
        (f"Назначить куратором внедрения «Целевой модели наставничества в образовательном пространстве города "
         f"Якутска»{since}: {_who(data['curator'])}.", []),
        ("Куратору обеспечить реализацию дорожной карты внедрения Целевой модели наставничества, "
         "формирование базы наставников и базы наставляемых.", []),
    ]


def _purpose_curator(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 3.3", "в целях координации реализации персонализированных программ наставничества"
    return None, "в целях координации внедрения целевой модели наставничества"


# extension -----------------------------------------------------------------------------------------


def _norm_extension(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "extension"
    _check_keys(data, {"program", "new_end_on", "changes"} | _COMMON, where)
    out: dict[str, Any] = {"program": _participants(data.get("program"), f"{where}.program")}
    new_end = _date(data.get("new_end_on"), f"{where}.new_end_on", required=False)
    changes = _text(data.get("changes"), f"{where}.changes", required=False)
    if not new_end and not changes:
        raise OrderDataError("укажите новый срок окончания программы (new_end_on) или содержание изменений "
                             "(changes)", where=where)
    old_end = out["program"].get("planned_end_on")
    if new_end and old_end and _day(new_end) <= _day(old_end):
        raise OrderDataError(f"новый срок {_fmt(_day(new_end))} не позже прежнего {_fmt(_day(old_end))}",
                             where=f"{where}.new_end_on")
    if new_end:
        out["new_end_on"] = new_end
    if changes:
        out["changes"] = changes
    return {**out, **_common(data, where)}


def _items_extension(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    program = data["program"]
    pair = _pair_phrase(program)
    items: list[Item] = []
    if data.get("new_end_on"):
        line = (f"Продлить срок реализации персонализированной программы наставничества ({pair}) "
                f"до {_fmt(_day(data['new_end_on']))}")
        if program.get("planned_end_on"):
            line += f" (ранее – до {_fmt(_day(program['planned_end_on']))})"
        items.append((line + ".", []))
    if data.get("changes"):
        target = ("указанную персонализированную программу наставничества" if data.get("new_end_on")
                  else f"персонализированную программу наставничества ({pair})")
        items.append((f"Внести изменения в {target}: {data['changes'].rstrip('.')}.", []))
    items.append(("Куратору внести соответствующие изменения в банк персонализированных программ "
                  f"наставничества{ctx.ref('п. 3.3')}.", []))
    return items


def _purpose_extension(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
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


def _norm_completion(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "completion"
    _check_keys(data, {"program", "ground", "completed_on", "note"} | _COMMON, where)
    raw = str(getattr(data.get("ground"), "value", data.get("ground")) or "").strip().lower()
    ground = _GROUND_ALIASES.get(raw, raw)
    if ground not in _GROUNDS:
        raise OrderDataError(f"основание завершения {data.get('ground')!r} не предусмотрено п. 7.1; допустимо: "
                             + ", ".join(f"{g.value} («{_GROUNDS[g][0]}»)" for g in CompletionGround),
                             where=f"{where}.ground")
    out: dict[str, Any] = {
        "program": _participants(data.get("program"), f"{where}.program"),
        "ground": ground,
        "completed_on": _date(data.get("completed_on"), f"{where}.completed_on"),
    }
    note = _text(data.get("note"), f"{where}.note", required=False)
    if note:
        out["note"] = note
    return {**out, **_common(data, where)}


def _items_completion(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    letter, phrase = _GROUNDS[data["ground"]]
    ground = f"подпункт «{letter}» п. 7.1 Положения" if ctx.tomsk else phrase
    line = (f"Завершить {_fmt(_day(data['completed_on']))} реализацию персонализированной программы "
            f"наставничества ({_pair_phrase(data['program'])}); основание – {ground}")
    line += f" ({data['note'].rstrip('.')})." if data.get("note") else "."
    return [
        (line, []),
        ("Куратору подготовить итоговый аналитический отчёт о реализации персонализированной программы "
         f"наставничества и внести сведения в банк персонализированных программ наставничества{ctx.ref('п. 3.3')}.",
         []),
    ]


def _purpose_completion(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    return ("п. 7.1" if ctx.tomsk else None), _GROUNDS[data["ground"]][1]


# mentor_replacement --------------------------------------------------------------------------------

_PETITIONS = {
    "mentee": ("п. 5.1", "на основании ходатайства наставляемого о замене наставника"),
    "mentor": ("п. 4.1", "на основании заявления наставника о сложении с него обязанностей наставника"),
    "curator": ("п. 3.2, 3.3", "по представлению куратора реализации программ наставничества"),
}


def _norm_replacement(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "mentor_replacement"
    _check_keys(data, {"program", "new_mentor", "on", "petition_by", "reason"} | _COMMON, where)
    program = _participants(data.get("program"), f"{where}.program")
    new_mentor = _person(data.get("new_mentor"), f"{where}.new_mentor")
    if new_mentor["full_name"] == program["mentor"]["full_name"]:
        raise OrderDataError("новый наставник совпадает с прежним", where=f"{where}.new_mentor")
    petition = str(data.get("petition_by") or "mentee")
    if petition not in _PETITIONS:
        raise OrderDataError(f"инициатор замены {petition!r} не предусмотрен; допустимо: "
                             f"{', '.join(_PETITIONS)}", where=f"{where}.petition_by")
    out: dict[str, Any] = {"program": program, "new_mentor": new_mentor,
                           "on": _date(data.get("on"), f"{where}.on"), "petition_by": petition}
    reason = _text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **_common(data, where)}


def _items_replacement(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    program, on = data["program"], _fmt(_day(data["on"]))
    mentees = program["mentees"]
    whom = _mentees_phrase(mentees)
    release = f"Освободить от обязанностей наставника с {on}: {_who(program['mentor'])}; {whom}"
    release += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    return [
        (release, []),
        (f"Закрепить наставником с {on}: {_who(data['new_mentor'])}; {whom}.", []),
        (f"Новому наставнику совместно с {'наставляемым' if len(mentees) == 1 else 'наставляемыми'} "
         f"скорректировать персонализированную программу наставничества{ctx.ref('п. 7.2')}.", []),
    ]


def _purpose_replacement(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    clause, phrase = _PETITIONS[data["petition_by"]]
    return (clause if ctx.tomsk else None), phrase


# mentor_release ------------------------------------------------------------------------------------


def _norm_release(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "mentor_release"
    _check_keys(data, {"mentor", "released_on", "reason", "mentees"} | _COMMON, where)
    out: dict[str, Any] = {"mentor": _person(data.get("mentor"), f"{where}.mentor"),
                           "released_on": _date(data.get("released_on"), f"{where}.released_on")}
    mentees = _people(data.get("mentees"), f"{where}.mentees", required=False)
    if mentees:
        out["mentees"] = mentees
    reason = _text(data.get("reason"), f"{where}.reason", required=False)
    if reason:
        out["reason"] = reason
    return {**out, **_common(data, where)}


def _items_release(data: dict[str, Any], ctx: _Ctx) -> list[Item]:
    line = f"Освободить от обязанностей наставника с {_fmt(_day(data['released_on']))}: {_who(data['mentor'])}"
    line += f"; причина – {data['reason'].rstrip('.')}." if data.get("reason") else "."
    items: list[Item] = [(line, [])]
    if data.get("mentees"):
        items.append(("Куратору реализации программ наставничества предложить кандидатуру наставника для "
                      f"наставляемых: {_names(data['mentees'])}{ctx.ref('п. 3.3')}.", []))
    items.append((f"Куратору внести изменения в банк наставников и наставляемых{ctx.ref('п. 3.3')}.", []))
    return items


def _purpose_release(data: dict[str, Any], ctx: _Ctx) -> tuple[str | None, str]:
    return ("п. 4.1" if ctx.tomsk else None), _PETITIONS["mentor"][1]


TEMPLATES: dict[str, OrderTemplate] = {
    t.id: t
    for t in (
        OrderTemplate("appointment_of_mentors", OrderType.APPOINTMENT_OF_MENTORS, "О назначении наставников",
                      _norm_appointment, _purpose_appointment, _items_appointment),
        OrderTemplate("pair_formation", OrderType.PAIR_FORMATION, "О формировании наставнических пар (групп)",
                      _norm_pairs, _purpose_pairs, _items_pairs),
        OrderTemplate("curator_appointment", OrderType.CURATOR_APPOINTMENT, "О назначении куратора",
                      _norm_curator, _purpose_curator, _items_curator),
        OrderTemplate("extension", OrderType.EXTENSION,
                      "О продлении (изменении) персонализированной программы наставничества",
                      _norm_extension, _purpose_extension, _items_extension),
        OrderTemplate("completion", OrderType.COMPLETION, "О завершении персонализированной программы наставничества",
                      _norm_completion, _purpose_completion, _items_completion),
        OrderTemplate("mentor_replacement", OrderType.MENTOR_REPLACEMENT, "О замене наставника",
                      _norm_replacement, _purpose_replacement, _items_replacement),
        OrderTemplate("mentor_release", OrderType.MENTOR_RELEASE, "Об освобождении от обязанностей наставника",
                      _norm_release, _purpose_release, _items_release),
    )
}
