"""What the council tells, in the transaction of the step:

    scheduled(session, found, actor_id)        # the members: a session is scheduled, its date, place, agenda (000 §4.1)
    voting_open(session, found, actor_id)      # the members present: the session is held, vote on each item (000 §4.2)
    secretary_elected(session, found, actor_id)  # the secretary: record the discussion, draw the protocol up (000 §5.1)
    decisions_awaiting(session, found)         # the heads: the signed protocol's adopted decisions await them (000 §4.3)

Nobody is told of their own act (the chair who schedules or holds the session); each notice has a key (once per
session and event).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from engine.db.models import CouncilSession, Role
from engine.services.council.base import member_ids
from engine.services.notifications.kinds import (
    COUNCIL_DECISIONS_AWAITING,
    COUNCIL_SECRETARY_ELECTED,
    COUNCIL_SESSION_SCHEDULED,
    COUNCIL_VOTING_OPEN,
)
from engine.services.notifications.outbox import notify, notify_many
from engine.services.process.task_notifications import role_holders


def session_link(found: CouncilSession) -> str:
    return f"/council/sessions/{found.id}"


def _heading(found: CouncilSession) -> str:
    return f"сессия совета наставников № {found.number} ({found.held_on:%d.%m.%Y})"


def _agenda(found: CouncilSession) -> str:
    return "\n".join(f"{item.position}. {item.title}" for item in found.items)


def scheduled(session: Session, found: CouncilSession, actor_id: int | None) -> None:
    place = f", место: {found.place}" if found.place else ""
    members = sorted(member_ids(found.council) - {actor_id})
    notify_many(session, members, COUNCIL_SESSION_SCHEDULED, f"Назначена сессия совета наставников № {found.number} на {found.held_on:%d.%m.%Y}",
                body=f"Сессия № {found.number} назначена на {found.held_on:%d.%m.%Y}{place} (000 §4.1).\n"
                     f"Повестка:\n{_agenda(found)}",
                link=session_link(found), organization_id=found.council.organization_id,
                key=f"council:{found.id}:scheduled")


def voting_open(session: Session, found: CouncilSession, actor_id: int | None) -> None:
    present = [a.person_id for a in found.attendance if a.person_id != actor_id]
    notify_many(session, present, COUNCIL_VOTING_OPEN, f"Голосование открыто: {_heading(found)}",
                body="Решение совета принимается по итогам голосования на сессии (000 §4.2). Проголосуйте по "
                     f"каждому вопросу повестки: «за», «против» или «воздержался».\nПовестка:\n{_agenda(found)}",
                link=session_link(found), organization_id=found.council.organization_id,
                key=f"council:{found.id}:voting")


def secretary_elected(session: Session, found: CouncilSession, actor_id: int | None) -> None:
    if found.secretary_id is None or found.secretary_id == actor_id:
        return
    notify(session, found.secretary_id, COUNCIL_SECRETARY_ELECTED,
           f"Вы избраны секретарём: {_heading(found)}",
           body=f"На сессии вы избраны секретарём ({found.secretary_votes}). Запишите обсуждение и решение по "
                "каждому вопросу повестки и оформите протокол (000 §5.1); его подписывают председатель и секретарь.",
           link=session_link(found), organization_id=found.council.organization_id,
           key=f"council:{found.id}:secretary")


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
                link=session_link(found), organization_id=organization_id,
                key=f"council:{found.id}:agreement")
