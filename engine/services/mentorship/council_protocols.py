"""The pedagogical council's protocols an order of the mentorship model cites (004 прил. 1 п. 3.1.1: the plan of
implementing the target model and the regulation on mentorship are considered by the pedagogical council, then
approved by the head's order). Drafting «Об утверждении плана…» or «Об утверждении положения…», the curator is offered
the organization's SIGNED protocols of that body with an ADOPTED decision on the agenda item that considered this
very document (``AgendaItem.considers``); choosing one fills the order's ``council_held_on`` and
``council_protocol_number``. Where the protocol is not in the system (held before it, on paper) the date and number
may still be typed — the product's choice, as before; the two ways together are refused.

Read straight from the council's tables (the council room is above this one and is not imported)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import AgendaItem, Council, CouncilSession, SessionStatus
from engine.errors import NastavnikError
from engine.regulations.council_bodies import CONSIDERED_ORDERS, PEDAGOGICAL_COUNCIL

FIELD = "council_protocol_id"


@dataclass(frozen=True)
class ProtocolChoice:
    id: int
    number: int
    held_on: str  # ISO
    label: str  # «Протокол № 3 от 12.03.2026: Рассмотрение плана реализации целевой модели наставничества»


def protocols_for(session: Session, organization_id: int, kind: str) -> list[ProtocolChoice]:
    """The signed protocols of the organization's pedagogical council whose adopted decision considered the
    document the order of ``kind`` approves, newest first (none for another kind of order)."""
    if kind not in CONSIDERED_ORDERS:
        return []
    rows = session.execute(
        select(CouncilSession, AgendaItem.title).join(Council, Council.id == CouncilSession.council_id)
        .join(AgendaItem, AgendaItem.session_id == CouncilSession.id)
        .where(Council.organization_id == organization_id, Council.body == PEDAGOGICAL_COUNCIL,
               CouncilSession.status == SessionStatus.SIGNED.value, AgendaItem.considers == kind,
               AgendaItem.result == "adopted")
        .order_by(CouncilSession.held_on.desc(), CouncilSession.id.desc())).all()
    seen: dict[int, ProtocolChoice] = {}
    for found, title in rows:
        seen.setdefault(found.id, ProtocolChoice(found.id, found.number, found.held_on.isoformat(),
                                                 f"Протокол № {found.number} от {found.held_on:%d.%m.%Y}: {title}"))
    return list(seen.values())


def cite_protocol(session: Session, organization_id: int, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the chosen protocol (``council_protocol_id``) turned into its date and number; the id is checked
    against what ``protocols_for`` offers (nothing the client sends is trusted)."""
    chosen = data.pop(FIELD, None)
    if chosen is None:
        return data
    if data.get("council_held_on") or data.get("council_protocol_number"):
        raise NastavnikError("выберите протокол педагогического совета из системы или укажите дату и номер "
                             "протокола вручную — не то и другое вместе", where=FIELD)
    found = next((p for p in protocols_for(session, organization_id, kind) if p.id == chosen), None)
    if found is None:
        raise NastavnikError("этот протокол нельзя указать в приказе: нужен подписанный протокол педагогического "
                             "совета организации с принятым решением по этому вопросу (004 прил. 1 п. 3.1.1)",
                             where=FIELD)
    return {**data, "council_held_on": found.held_on, "council_protocol_number": str(found.number)}
