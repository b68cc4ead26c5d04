"""What a step records beside the workflow: a rule decision (its whole explanation) and a role granted
by an order. Lifecycle and formation both record these; neither imports the other for it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Decision, RoleAssignment
from engine.db.types import utcnow
from engine.services.people.actor import Actor
from engine.vocabulary import gendered


def record_decision(session: Session, decision: dict | None, *, actor: Actor, **subject: object) -> Decision | None:
    if not isinstance(decision, dict) or "ruleset" not in decision:
        return None
    row = Decision(ruleset_id=decision["ruleset"], ruleset_version=str(decision["version"]),
                   verdict=decision["verdict"], body=decision, made_by_id=actor.person_id, **subject)
    session.add(row)
    session.flush()
    return row


def grant_role(session: Session, person_id: int, organization_id: int, role: str) -> RoleAssignment:
    """The person's role in the organization: one row per (person, organization, role) — a new one, or the
    revoked one made active again (``granted_at`` is the new grant's time)."""
    exists = session.scalar(select(RoleAssignment).where(
        RoleAssignment.person_id == person_id, RoleAssignment.organization_id == organization_id,
        RoleAssignment.role == role))
    if exists is None:
        exists = RoleAssignment(person_id=person_id, organization_id=organization_id, role=role)
        session.add(exists)
    elif not exists.active:
        exists.active, exists.revoked_at, exists.granted_at = True, None, utcnow()
    return exists


def participation_consent(full_name: str | None) -> str:
    """The participation consent as the page shows it and the consent step stores it (followed by the person's
    comment): the written consent 003 §3.2 names — «с письменного согласия их участников на возложение на них
    дополнительных обязанностей, связанных с наставнической деятельностью» (001 and 004 have no wording of their
    own; the same text serves them); «Согласен» / «Согласна» as the person's name shows."""
    agree = gendered(full_name, "Согласен", "Согласна", "Согласен(на)")
    return (f"{agree} на участие в наставнической паре (группе) и на возложение на меня дополнительных "
            "обязанностей, связанных с наставнической деятельностью.")
