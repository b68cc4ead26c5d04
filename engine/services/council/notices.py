"""What the council tells: the head of the organization, when a signed protocol has adopted decisions that take
effect only after the administration agrees them (000 §4.3)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import CouncilSession, Role
from engine.services.notifications.kinds import COUNCIL_DECISIONS_AWAITING
from engine.services.notifications.outbox import notify_many
from engine.services.process.task_notifications import role_holders


def decisions_awaiting(session: Session, found: CouncilSession) -> None:
    """The heads of the council's organization hear that the adopted decisions of session ``found`` await them
    (once per session: the key)."""
    adopted = [item.position for item in found.items if item.result == "adopted" and item.agreement is None]
    if not adopted:
        return
    organization_id = found.council.organization_id
    numbers = ", ".join(f"№ {n}" for n in adopted)
    notify_many(session, role_holders(session, organization_id, Role.HEAD), COUNCIL_DECISIONS_AWAITING,
                f"Решения совета наставников ждут согласования: протокол № {found.number} от {found.held_on:%d.%m.%Y}",
                body=f"Протокол подписан председателем и секретарём. Решения по вопросам повестки {numbers} вступают в "
                     "силу после согласования с администрацией (000 §4.3).",
                link=f"/council/sessions/{found.id}", organization_id=organization_id,
                key=f"council:{found.id}:agreement")
