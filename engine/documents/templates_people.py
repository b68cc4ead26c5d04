"""Templates of orders about people: appointing mentors (003 §3.4, 004 III.2), forming pairs and groups
(003 §3.2, §6.2; 004 III.4), appointing the curator (003 §3.2–3.3)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    Item,
    OrderContext,
    OrderDataError,
    capitalize,
    check_keys,
    checked_date,
    checked_person,
    checked_text,
    common_fields,
    field_of,
    fmt_date,
    pair_phrase,
    parse_day,
    participants,
    term_end,
    who_line,
)
from engine.domain_time import add_months

# appointment_of_mentors ---------------------------------------------------------------------------


def norm_appointment(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "appointment_of_mentors"
    check_keys(data, {"mentors", "starts_on", "ends_on"} | COMMON_KEYS, where)
    starts = checked_date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = checked_date(data.get("ends_on"), f"{where}.ends_on", required=False)
    raw = data.get("mentors")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одного наставника", where=f"{where}.mentors")
    mentors = []
    for i, entry in enumerate(raw):
        at = f"{where}.mentors[{i}]"
        wrapped = ("person" in entry) if isinstance(entry, Mapping) else hasattr(entry, "person")
        person_value, extra = (field_of(entry, "person"), entry) if wrapped else (entry, {})
        mentor: dict[str, Any] = {"person": checked_person(person_value, at)}
        m_starts = checked_date(field_of(extra, "starts_on"), f"{at}.starts_on", required=False) or starts
        if m_starts is None:
            raise OrderDataError("не указана дата начала срока наставника", where=f"{at}.starts_on")
        m_ends = (checked_date(field_of(extra, "ends_on"), f"{at}.ends_on", required=False)
                  or (ends if m_starts == starts else None)
                  or term_end(regulation, parse_day(m_starts)).isoformat())
        if parse_day(m_ends) < parse_day(m_starts):
            raise OrderDataError(f"срок окончания {m_ends} раньше начала {m_starts}", where=f"{at}.ends_on")
        mentor["starts_on"], mentor["ends_on"] = m_starts, m_ends
        direction = checked_text(field_of(extra, "direction"), f"{at}.direction", required=False)
        if direction:
            mentor["direction"] = direction
        mentors.append(mentor)
    return {"mentors": mentors, **common_fields(data, where)}


def _term_phrase(ctx: OrderContext, starts_iso: str, ends_iso: str) -> str:
    starts, ends = parse_day(starts_iso), parse_day(ends_iso)
    standard = term_end(ctx.regulation, starts) == ends
    if standard and ctx.tomsk:
        return f"сроком на два года (с {fmt_date(starts)} по {fmt_date(ends)})"
    if standard:
        first = starts.year if starts.month >= 9 else starts.year - 1
        return (f"сроком на один учебный год ({first}/{first + 1} учебный год, "
                f"с {fmt_date(starts)} по {fmt_date(ends)})")
    return f"на срок с {fmt_date(starts)} по {fmt_date(ends)}"


def items_appointment(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    mentors = data["mentors"]
    terms = {(m["starts_on"], m["ends_on"]) for m in mentors}
    common = len(terms) == 1
    role = "сетевыми наставниками" if ctx.yakutsk else "наставниками"
    head = f"Назначить {role}"
    if common:
        head += " " + _term_phrase(ctx, *next(iter(terms)))
    if ctx.yakutsk:
        head += " с закреплением направлений профессиональной деятельности"
    subs = []
    for m in mentors:
        line = who_line(m["person"])
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
    elif ctx.yakutsk:
        items.append(("Сетевым наставникам сопровождать разработку стажерами индивидуальных планов "
                      "профессионального развития по курируемому направлению деятельности "
                      "(п. 1 раздела IV Положения).", []))
    else:
        items.append(("Куратору внести сведения о наставниках в базу наставников и наставляемых.", []))
    return items


def purpose_appointment(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.4", "в целях организации наставничества руководителей образовательных организаций"
    if ctx.yakutsk:
        return "п. 2 раздела III", "в целях организации сетевого наставничества"
    return None, "в целях реализации программ наставничества"


# pair_formation ------------------------------------------------------------------------------------


def norm_pairs(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "pair_formation"
    check_keys(data, {"groups", "starts_on", "ends_on"} | COMMON_KEYS, where)
    raw = data.get("groups")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одну наставническую пару (группу)", where=f"{where}.groups")
    out: dict[str, Any] = {"groups": [participants(g, f"{where}.groups[{i}]") for i, g in enumerate(raw)]}
    starts = checked_date(data.get("starts_on"), f"{where}.starts_on", required=False)
    ends = checked_date(data.get("ends_on"), f"{where}.ends_on", required=False)
    if (starts is None) != (ends is None):
        raise OrderDataError("срок программ указывается двумя датами: начало и окончание",
                             where=f"{where}.{'ends_on' if starts else 'starts_on'}")
    if starts and ends:
        if parse_day(ends) < parse_day(starts):
            raise OrderDataError(f"окончание {ends} раньше начала {starts}", where=f"{where}.ends_on")
        out["starts_on"], out["ends_on"] = starts, ends
    return {**out, **common_fields(data, where)}


def items_pairs(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    if ctx.tomsk:
        head = ("Утвердить наставнические пары (группы), сформированные на добровольной основе с "
                "непосредственным участием куратора, наставников и наставляемых (п. 6.2 Положения):")
    elif ctx.yakutsk:
        head = ("Утвердить группы стажеров сетевых наставников по направлениям деятельности "
                "(п. 4 раздела III Положения):")
    else:
        head = "Утвердить наставнические пары (группы):"
    subs = [capitalize(pair_phrase(g)) + "." for g in data["groups"]]
    items: list[Item] = [(head, subs)]
    if data.get("starts_on"):
        starts, ends = parse_day(data["starts_on"]), parse_day(data["ends_on"])
        line = (f"Установить срок реализации персонализированных программ наставничества с {fmt_date(starts)} "
                f"по {fmt_date(ends)}")
        if ctx.tomsk and add_months(starts, 24) - timedelta(days=1) == ends:
            line += " (24 месяца, п. 1.2.6 Положения)"
        items.append((line + ".", []))
    if ctx.tomsk:
        items.append(("Наставникам совместно с наставляемыми составить персонализированные программы "
                      "наставничества в соответствии с моделью наставничества (п. 3.7, 4.2 Положения).", []))
    elif ctx.yakutsk:
        items.append(("Стажерам разработать индивидуальные планы профессионального развития и выполнять их "
                      "(п. 3 раздела IV Положения).", []))
    else:
        items.append(("Наставникам совместно с наставляемыми разработать индивидуальные планы и выполнять их.", []))
    return items


def purpose_pairs(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 6.2", ("с письменного согласия участников наставнических пар (групп) на возложение на "
                               "них дополнительных обязанностей, связанных с наставнической деятельностью")
    if ctx.yakutsk:
        return "п. 4 раздела III", "с согласия участников сетевого наставничества"
    return None, "с согласия участников наставнических пар (групп)"


# curator_appointment -------------------------------------------------------------------------------


def norm_curator(data: Mapping[str, Any], regulation: str) -> dict[str, Any]:
    where = "curator_appointment"
    check_keys(data, {"curator", "starts_on"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"curator": checked_person(data.get("curator"), f"{where}.curator")}
    starts = checked_date(data.get("starts_on"), f"{where}.starts_on", required=False)
    if starts:
        out["starts_on"] = starts
    return {**out, **common_fields(data, where)}


def items_curator(data: dict[str, Any], ctx: OrderContext) -> list[Item]:
    since = f" с {fmt_date(parse_day(data['starts_on']))}" if data.get("starts_on") else ""
    if ctx.tomsk:
        return [
            (f"Назначить куратором реализации программ наставничества руководителей образовательных "
             f"организаций{since}: {who_line(data['curator'])}.", []),
            ("Куратору осуществлять функции, установленные п. 3.3 Положения, в том числе не реже одного раза "
             "в год актуализировать сведения о наставляемых, вести банк наставников и наставляемых и банк "
             "персонализированных программ наставничества.", []),
        ]
    if not ctx.yakutsk:
        return [
            (f"Назначить куратором внедрения целевой модели наставничества{since}: {who_line(data['curator'])}.", []),
            ("Куратору вести базу наставников и наставляемых и мониторинг реализации программ наставничества.", []),
        ]
    return [
        (f"Назначить куратором внедрения «Целевой модели наставничества в образовательном пространстве города "
         f"Якутска»{since}: {who_line(data['curator'])}.", []),
        ("Куратору обеспечить реализацию дорожной карты внедрения Целевой модели наставничества, "
         "формирование базы наставников и базы наставляемых.", []),
    ]


def purpose_curator(data: dict[str, Any], ctx: OrderContext) -> tuple[str | None, str]:
    if ctx.tomsk:
        return "п. 3.2, 3.3", "в целях координации реализации персонализированных программ наставничества"
    return None, "в целях координации внедрения целевой модели наставничества"
