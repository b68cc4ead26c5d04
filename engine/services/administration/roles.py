"""Roles held in an organization, given and taken back by its administrator (issue 12).

A role is held in one organization (one row per person, organization and role: revoking keeps the row, inactive,
with the time; granting again makes it active). The administrator of an organization — or of one above it — gives
its roles to people who work in the organizations they administer. Nobody may leave a root organization without an
administrator: the installation would be locked out. Every grant and revocation is audited; the holders shown are
logged as access to their data (152-ФЗ)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, Role, RoleAssignment, log_access, record_audit
from engine.db.types import utcnow
from engine.errors import ConflictError, NastavnikError, NotFound
from engine.services.administration.organizations import administered
from engine.services.mentorship.records import grant_role
from engine.services.people.actor import Actor, administered_organizations
from engine.services.people.role_labels import labels_of

ROLE_ORDER = (Role.ADMIN, Role.HEAD, Role.CURATOR, Role.METHODOLOGIST, Role.MENTOR, Role.MENTEE)
ADMIN_LABEL = "Администратор"
SHOWN_FIELDS = ["full_name", "position", "login"]


@dataclass(frozen=True)
class Holder:
    assignment_id: int
    person_id: int
    full_name: str
    position: str | None
    login: str
    is_active: bool  # the person (a deactivated person keeps their roles but cannot log in)
    granted_at: datetime


@dataclass(frozen=True)
class RoleHolders:
    role: str
    label: str
    holders: list[Holder]


@dataclass(frozen=True)
class Candidate:
    person_id: int
    full_name: str
    position: str | None
    organization: str


def role_labels(session: Session, organization_id: int) -> dict[str, str]:
    """{role: label} as the organization's pack names them, capitalised; the administrator «Администратор»."""
    labels = labels_of(session, organization_id)
    shown: dict[str, str] = {role: labels.get(role, role) for role in ROLE_ORDER}
    shown = {role: label[:1].upper() + label[1:] for role, label in shown.items()}
    shown[Role.ADMIN] = ADMIN_LABEL
    return shown


def _checked_role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        known = ", ".join(r.value for r in ROLE_ORDER)
        raise NastavnikError(f"нет роли «{role}»; допустимо: {known}", where="role") from None


def role_holders(session: Session, actor: Actor, organization_id: int) -> list[RoleHolders]:
    """Who holds each role in the organization now (shown: logged as access)."""
    organization = administered(session, actor, organization_id, action="просмотр ролей организации")
    labels = role_labels(session, organization.id)
    rows = session.execute(select(RoleAssignment, Person).join(Person, Person.id == RoleAssignment.person_id)
                           .where(RoleAssignment.organization_id == organization.id,
                                  RoleAssignment.active.is_(True))
                           .order_by(Person.full_name, Person.id)).all()
    by_role: dict[str, list[Holder]] = {role: [] for role in ROLE_ORDER}
    for assignment, person in rows:
        by_role.setdefault(assignment.role, []).append(Holder(
            assignment.id, person.id, person.full_name, person.position, person.login, person.is_active,
            assignment.granted_at))
        if person.id != actor.person_id:
            log_access(session, person, f"роли организации №{organization.id}", viewer=actor.person_id,
                       fields=SHOWN_FIELDS)
    session.flush()
    return [RoleHolders(role, labels.get(role, role), holders) for role, holders in by_role.items()]


def candidates(session: Session, actor: Actor, organization_id: int) -> list[Candidate]:
    """Active people working in the organizations the actor administers: whom the grant form offers (logged)."""
    administered(session, actor, organization_id, action="назначение ролей")
    reach = administered_organizations(session, actor)
    people = session.scalars(select(Person).where(Person.organization_id.in_(reach), Person.is_active.is_(True))
                             .order_by(Person.full_name, Person.id)).all()
    found = []
    for person in people:
        found.append(Candidate(person.id, person.full_name, person.position,
                               person.organization.short_name or person.organization.name
                               if person.organization else "—"))
        if person.id != actor.person_id:
            log_access(session, person, "выбор человека для роли", viewer=actor.person_id,
                       fields=["full_name", "position", "organization"])
    session.flush()
    return found


def grant(session: Session, actor: Actor, organization_id: int, person_id: int, role: str) -> RoleAssignment:
    """Give ``role`` in the organization to the person (the caller commits). Refused: a deactivated person, a
    person outside the actor's organizations, a role the person already holds there."""
    organization = administered(session, actor, organization_id, action="назначение ролей")
    role = _checked_role(role)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека № {person_id}", where="person_id")
    if person.organization_id not in administered_organizations(session, actor):
        raise NastavnikError(f"{person.full_name} не работает в организациях, которыми вы управляете",
                             where="person_id")
    if not person.is_active:
        raise NastavnikError(f"{person.full_name} отключён(а): роль отключённому человеку не назначается",
                             where="person_id")
    label = role_labels(session, organization.id)[role]
    held = session.scalar(select(RoleAssignment).where(
        RoleAssignment.person_id == person.id, RoleAssignment.organization_id == organization.id,
        RoleAssignment.role == role, RoleAssignment.active.is_(True)))
    if held is not None:
        raise ConflictError(f"{person.full_name} уже имеет роль «{label}» в этой организации", where="role")
    assignment = grant_role(session, person.id, organization.id, role)
    session.flush()
    record_audit(session, "role.granted", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=organization.id,
                 details={"role": role, "label": label, "assignment_id": assignment.id,
                          "organization": organization.short_name or organization.name})
    return assignment


def other_root_administrators(session: Session, organization_id: int, person_id: int) -> int:
    """How many active people besides ``person_id`` administer the root ``organization_id``: none means that
    person's role (or the person: deactivation) may not go — nobody could manage the installation."""
    return session.scalar(select(func.count()).select_from(RoleAssignment).join(Person).where(
        RoleAssignment.organization_id == organization_id, RoleAssignment.role == Role.ADMIN,
        RoleAssignment.active.is_(True), RoleAssignment.person_id != person_id, Person.is_active.is_(True))) or 0


def last_administered_root(session: Session, person_id: int) -> int | None:
    """A root organization of which the person is the last active administrator (deactivating them would lock the
    installation out), else None."""
    roots = session.scalars(select(RoleAssignment.organization_id).join(RoleAssignment.organization).where(
        RoleAssignment.person_id == person_id, RoleAssignment.role == Role.ADMIN, RoleAssignment.active.is_(True),
        Organization.parent_id.is_(None)))
    return next((root for root in roots if not other_root_administrators(session, root, person_id)), None)


def revoke(session: Session, actor: Actor, organization_id: int, assignment_id: int) -> RoleAssignment:
    """Take the role back (the row stays, inactive, with the time; the caller commits). Refused for the last
    administrator of a root organization: nobody could manage the installation any more."""
    organization = administered(session, actor, organization_id, action="снятие ролей")
    assignment = session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.organization_id != organization.id:
        raise NotFound(f"в этой организации нет назначения роли № {assignment_id}")
    label = role_labels(session, organization.id).get(assignment.role, assignment.role)
    if not assignment.active:
        raise ConflictError(f"роль «{label}» у {assignment.person.full_name} уже снята")
    if assignment.role == Role.ADMIN and organization.parent_id is None and not other_root_administrators(
            session, organization.id, assignment.person_id):
        whose = "ваша" if assignment.person_id == actor.person_id else "единственная"
        raise ConflictError(f"это {whose} последняя роль администратора головной организации: без неё никто "
                            "не сможет управлять установкой; сначала назначьте другого администратора")
    assignment.active, assignment.revoked_at = False, utcnow()
    session.flush()
    record_audit(session, "role.revoked", actor=actor.person_id, object_type="person",
                 object_id=assignment.person_id, organization=organization.id,
                 details={"role": assignment.role, "label": label, "assignment_id": assignment.id,
                          "organization": organization.short_name or organization.name})
    return assignment


def assignment_record(session: Session, assignment: RoleAssignment) -> dict[str, object]:
    """A role assignment as the API shows it."""
    return {"assignment_id": assignment.id, "organization_id": assignment.organization_id,
            "person_id": assignment.person_id, "role": assignment.role,
            "label": role_labels(session, assignment.organization_id).get(assignment.role, assignment.role),
            "active": assignment.active, "granted_at": assignment.granted_at, "revoked_at": assignment.revoked_at}
