"""The people the API lists: staff (curator, head, methodologist) see the people of their organizations and
of the organizations under them, with minimal fields; reading one person's data is logged (152-ФЗ)."""
from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import Mentee, MentorAppointment, Person, RoleAssignment, log_access
from engine.errors import NotFound, PermissionDenied
from engine.services.pages import Slice, iso
from engine.services.people.actor import Actor, require_staff

PERSON_FIELDS = ["full_name", "position", "organization", "roles"]


def _people_condition(organizations: set[int]):
    with_role = select(RoleAssignment.person_id).where(RoleAssignment.organization_id.in_(organizations),
                                                       RoleAssignment.active.is_(True))
    return or_(Person.organization_id.in_(organizations), Person.id.in_(with_role))


def _roles(person: Person, organizations: set[int]) -> list[dict]:
    return [{"organization_id": r.organization_id, "role": r.role} for r in person.roles
            if r.active and r.organization_id in organizations]


def person_summary(person: Person, organizations: set[int]) -> dict:
    return {"id": person.id, "full_name": person.full_name, "position": person.position,
            "organization_id": person.organization_id, "is_active": person.is_active,
            "roles": _roles(person, organizations)}


def list_people(session: Session, actor: Actor, *, offset: int = 0, limit: int | None = None,
                search: str | None = None) -> Slice:
    """People of the staff's organizations (minimal fields), by name; the page shown is logged."""
    organizations = require_staff(session, actor, "списки людей")
    condition = _people_condition(organizations)
    if search and search.strip():
        text = search.strip()  # SQLite's lower() and LIKE fold ASCII only: try the usual spellings too
        variants = {text, text.lower(), text.capitalize(), text.title(), text.upper()}
        condition = condition & or_(func.lower(Person.full_name).contains(text.lower(), autoescape=True),
                                    *(Person.full_name.contains(v, autoescape=True) for v in variants))
    total = session.scalar(select(func.count()).select_from(Person).where(condition)) or 0
    people = session.scalars(select(Person).where(condition).options(selectinload(Person.roles))
                             .order_by(Person.full_name, Person.id).offset(offset).limit(limit)).all()
    for person in people:
        if person.id != actor.person_id:
            log_access(session, person, "список людей (API)", viewer=actor.person_id, fields=PERSON_FIELDS)
    session.flush()
    return Slice(total, [person_summary(p, organizations) for p in people])


def person_details(session: Session, actor: Actor, person_id: int) -> dict:
    """One person as staff of their organization sees them: roles, mentor terms, mentee registry entries."""
    organizations = require_staff(session, actor, "сведения о людях")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    if session.scalar(select(Person.id).where(Person.id == person_id, _people_condition(organizations))) is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: человек с номером {person_id} не относится к вашим "
                               "организациям")
    details = person_summary(person, organizations)
    appointments = session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == person.id, MentorAppointment.organization_id.in_(organizations))
        .order_by(MentorAppointment.id))
    details["mentor_appointments"] = [
        {"id": a.id, "organization_id": a.organization_id, "status": a.status, "starts_on": iso(a.starts_on),
         "ends_on": iso(a.ends_on), "direction": a.direction, "order_id": a.order_id} for a in appointments]
    entries = session.scalars(select(Mentee).where(Mentee.person_id == person.id,
                                                   Mentee.organization_id.in_(organizations)).order_by(Mentee.id))
    details["mentee_entries"] = [
        {"id": m.id, "organization_id": m.organization_id, "category": m.category, "status": m.status,
         "registered_on": iso(m.registered_on)} for m in entries]
    if person.id != actor.person_id:
        log_access(session, person, f"сведения о человеке №{person.id} (API)", viewer=actor.person_id,
                   fields=PERSON_FIELDS + ["mentor_appointments", "mentee_entries"])
        session.flush()
    return details
