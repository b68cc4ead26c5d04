"""The data of the order on the results of the best-mentor contest (003 §9.1, 004 прил. 1 п. 6.1), checked and
normalised: the contest's title, the winners with their places and the incentive they receive. The wording is the
pack's (``rules/<pack>/orders/contest_result.j2``); what the template receives is
``engine.regulations.order_contract``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.documents.basics import (
    COMMON_KEYS,
    OrderDataError,
    check_keys,
    checked_person,
    checked_text,
    common_fields,
    field_of,
)
from engine.regulations import RegulationPack


def norm_contest_result(data: Mapping[str, Any], regulation: RegulationPack) -> dict[str, Any]:
    where = "contest_result"
    check_keys(data, {"contest", "winners", "incentive"} | COMMON_KEYS, where)
    raw = data.get("winners")
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise OrderDataError("укажите хотя бы одного победителя конкурса", where=f"{where}.winners")
    winners = []
    for i, entry in enumerate(raw):
        at = f"{where}.winners[{i}]"
        place = checked_text(field_of(entry, "place"), f"{at}.place")
        winners.append({"person": checked_person(field_of(entry, "person"), f"{at}.person"), "place": place})
    return {"contest": checked_text(data.get("contest"), f"{where}.contest"),
            "incentive": checked_text(data.get("incentive"), f"{where}.incentive"),
            "winners": winners, **common_fields(data, where)}
