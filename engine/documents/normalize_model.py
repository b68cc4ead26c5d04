"""The data of the orders that introduce an organization's mentorship (004 roadmap item 3.1.1): on introducing the
target model, on approving the implementation plan, on approving the regulation on mentorship, on holding the final
event — checked and normalised. The wording is the pack's (``rules/<pack>/orders/<kind>.j2``); what a template
receives is ``engine.regulations.order_contract``."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    OrderDataError,
    check_keys,
    checked_date,
    checked_person,
    checked_text,
    common_fields,
)
from engine.regulations import RegulationPack

COUNCIL_KEYS = {"council_held_on", "council_protocol_number"}


def _council(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The pedagogical council's protocol the order approves by: its date and number, both or neither."""
    held = checked_date(data.get("council_held_on"), f"{where}.council_held_on", required=False)
    number = checked_text(data.get("council_protocol_number"), f"{where}.council_protocol_number", required=False)
    if (held is None) != (number is None):
        missing = "council_protocol_number" if held else "council_held_on"
        raise OrderDataError("протокол педагогического совета указывается датой и номером вместе",
                             where=f"{where}.{missing}")
    return {"council_held_on": held, "council_protocol_number": number} if held else {}


def norm_target_model(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "target_model"
    check_keys(data, {"starts_on"} | COMMON_KEYS, where)
    return {"starts_on": checked_date(data.get("starts_on"), f"{where}.starts_on"), **common_fields(data, where)}


def norm_implementation_plan(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "implementation_plan"
    check_keys(data, {"plan_title", "starts_on"} | COUNCIL_KEYS | COMMON_KEYS, where)
    return {"plan_title": checked_text(data.get("plan_title"), f"{where}.plan_title"),
            "starts_on": checked_date(data.get("starts_on"), f"{where}.starts_on"),
            **_council(data, where), **common_fields(data, where)}


def norm_regulation(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "regulation"
    check_keys(data, {"regulation_title", "effective_on"} | COUNCIL_KEYS | COMMON_KEYS, where)
    out: dict[str, Any] = {"effective_on": checked_date(data.get("effective_on"), f"{where}.effective_on")}
    title = checked_text(data.get("regulation_title"), f"{where}.regulation_title", required=False)
    if title:
        out["regulation_title"] = title
    return {**out, **_council(data, where), **common_fields(data, where)}


def norm_final_event(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "final_event"
    check_keys(data, {"event_title", "held_on", "place", "responsible"} | COMMON_KEYS, where)
    out: dict[str, Any] = {"event_title": checked_text(data.get("event_title"), f"{where}.event_title"),
                           "held_on": checked_date(data.get("held_on"), f"{where}.held_on")}
    place = checked_text(data.get("place"), f"{where}.place", required=False)
    if place:
        out["place"] = place
    out["responsible"] = checked_person(data.get("responsible"), f"{where}.responsible")
    return {**out, **common_fields(data, where)}
