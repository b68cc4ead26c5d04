"""The measures of encouragement a regulation names (``incentives:`` in ``pack.yaml``; issue 18 item 4): each with
its id, label and clause, and two marks — ``percent: true`` when the measure is a salary supplement whose
percentage the organization sets (004 прил. 2 п. 9.1: «надбавка в размере ----% к заработной плате»), and
``contest: true`` on the measure the best-mentor contest gives its winners (003 §9.1). At most one is the
contest's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.regulations.manifest import Manifest
from engine.regulations.pack_parts import Cited


@dataclass(frozen=True)
class IncentiveKind(Cited):
    percent: bool = False  # the record asks the percentage of a salary supplement
    contest: bool = False


def _flag(m: Manifest, key: str, at: str, entry: dict[str, Any]) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        m.fail(f"{at}{key}", "ожидается true или false")
        return False
    return value


def incentive_kinds(m: Manifest) -> tuple[IncentiveKind, ...]:
    kinds = m.cited("incentives", IncentiveKind,
                    percent=lambda at, e: _flag(m, "percent", at, e),
                    contest=lambda at, e: _flag(m, "contest", at, e))
    if sum(1 for kind in kinds if kind.contest) > 1:
        m.fail("incentives", "только одна мера может быть поощрением победителей конкурса (contest: true)")
    return tuple(kinds)
