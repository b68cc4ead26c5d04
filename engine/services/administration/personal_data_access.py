"""Who may read a person's personal data (152-ФЗ): the person's organizations for the administrators, the check
that the actor administers one of them (or one above it), and the person looked up by id (``NotFound`` if absent).
Used by the export (``personal_data``) and the anonymization (``anonymization``)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Person, RoleAssignment
from engine.errors import NotFound, PermissionDenied
from engine.services.people.actor import Actor, administered_organizations


def person_organizations(session: Session, person: Person) -> set[int]:
    """The organizations a person belongs to for the administrators: the place of work, else those of their roles."""
    if person.organization_id is not None:
        return {person.organization_id}
    return set(session.scalars(select(RoleAssignment.organization_id).where(RoleAssignment.person_id == person.id)))


def is_person_administrator(session: Session, actor: Actor, person: Person) -> bool:
    return bool(person_organizations(session, person) & administered_organizations(session, actor))


def require_person_administrator(session: Session, actor: Actor, person: Person, *, action: str) -> None:
    if actor.is_system or is_person_administrator(session, actor, person):
        return
    raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно только администратору "
                           f"организации, где работает человек (№ {person.id}), или вышестоящей")


def person_or_404(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    return person
