"""The data of orders about people, checked and normalised: appointing mentors (003 §3.4, 004 III.2), forming
pairs and groups (003 §6.2, 004 III.4), appointing the curator (003 §3.2, 004 п. 4.1). The wording is the
pack's (``rules/<pack>/orders/<kind>.j2``); what a template receives is ``engine.regulations.order_contract``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    OrderDataError,
    check_keys,
    checked_date,
    checked_person,
    checked_text,
    common_fields,
    field_of,
    parse_day,
    participants,
)
from engine.regulations import RegulationPack

# appointment_of_mentors ---------------------------------------------------------------------------


def norm_appointment(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    """Each mentor with a term: their own dates, else the order's, the end defaulting to the pack's standard
    term (``regulation.mentor_term``)."""
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
                  or regulation.mentor_term.ends_on(parse_day(m_starts)).isoformat())
        if parse_day(m_ends) < parse_day(m_starts):
            raise OrderDataError(f"срок окончания {m_ends} раньше начала {m_starts}", where=f"{at}.ends_on")
        mentor["starts_on"], mentor["ends_on"] = m_starts, m_ends
        direction = checked_text(field_of(extra, "direction"), f"{at}.direction", required=False)
        if direction:
            mentor["direction"] = direction
        mentors.append(mentor)
    return {"mentors": mentors, **common_fields(data, where)}


# pair_formation ------------------------------------------------------------------------------------


def norm_pairs(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
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


# curator_appointment -------------------------------------------------------------------------------


def norm_curator(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "curator_appointment"
    check_keys(data, {"curator", "starts_on"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"curator": checked_person(data.get("curator"), f"{where}.curator")}
    starts = checked_date(data.get("starts_on"), f"{where}.starts_on", required=False)
    if starts:
        out["starts_on"] = starts
    return {**out, **common_fields(data, where)}
