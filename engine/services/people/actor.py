"""Who is acting: a person and the roles they hold in which organizations (``Role``, re-exported for
the web layer, which names roles but never reads the models)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, Role, RoleAssignment
from engine.errors import NotFound, PermissionDenied

ROLE_LABELS: dict[str, str] = {  # looked up by the role's value (Role is a StrEnum)
    Role.CURATOR: "куратор",
    Role.METHODOLOGIST: "методист",
    Role.HEAD: "руководитель",
    Role.MENTOR: "наставник",
    Role.MENTEE: "наставляемый",
    Role.ADMIN: "администратор",
}


@dataclass(frozen=True)
class Actor:
    person_id: int | None  # None: the system itself (timers, scheduled jobs)
    login: str
    full_name: str
    roles: frozenset[tuple[int, str]]  # (organization id, role)

    @property
    def is_system(self) -> bool:
        return self.person_id is None

    def has_role(self, organization_id: int, role: str) -> bool:
        return (organization_id, role) in self.roles

    def require(self, organization_id: int, role: str, *, action: str) -> None:
        if not self.has_role(organization_id, role):
            raise PermissionDenied(
                f"{self.full_name or self.login}: действие «{action}» доступно только роли "
                f"«{ROLE_LABELS.get(role, role)}» этой организации")

    def organizations(self, role: str | None = None) -> set[int]:
        return {org for org, held in self.roles if role is None or held == role}


SYSTEM = Actor(None, "system", "Система", frozenset())


def load_actor(session: Session, login: str) -> Actor:
    person = session.scalar(select(Person).where(Person.login == login))
    if person is None or not person.is_active:
        raise NotFound(f"нет активного пользователя с логином «{login}»")
    return actor_of(session, person)


def active_with_roles(session: Session, person_id: int) -> tuple[Person, Actor] | None:
    """The active person with this id and their ``Actor``, in one SELECT (a logged-in request's first need: who,
    and with which roles), else None."""
    rows = session.execute(
        select(Person, RoleAssignment.organization_id, RoleAssignment.role).where(Person.id == person_id)
        .outerjoin(RoleAssignment, and_(RoleAssignment.person_id == Person.id, RoleAssignment.active.is_(True)))
    ).all()
    if not rows or not rows[0][0].is_active:
        return None
    person = rows[0][0]
    roles = frozenset((org, role) for _person, org, role in rows if org is not None)
    return person, Actor(person.id, person.login, person.full_name, roles)


def actor_of(session: Session, person: Person) -> Actor:
    """The ``Actor`` of a person already loaded (and known to be active): their active roles, one SELECT."""
    rows = session.execute(
        select(RoleAssignment.organization_id, RoleAssignment.role)
        .where(RoleAssignment.person_id == person.id, RoleAssignment.active.is_(True))
    ).all()
    return Actor(person.id, person.login, person.full_name, frozenset((org, role) for org, role in rows))


# -- staff: who sees an organization's records ------------------------------------------------------

STAFF_ROLES = (Role.CURATOR, Role.HEAD, Role.METHODOLOGIST)


def subtree(session: Session, roots: set[int]) -> set[int]:
    """``roots`` and every organization under them (one recursive SELECT, whatever the depth)."""
    if not roots:
        return set()
    return set(roots) | set(session.scalars(subtree_ids(roots)))


def subtree_ids(roots: set[int]) -> Select[tuple[int]]:
    """SQL: the ids of the organizations ``roots`` and every one under them (a recursive CTE; UNION stops at an
    organization already found), to filter by in the same statement."""
    tree = select(Organization.id).where(Organization.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union(select(Organization.id).join(tree, Organization.parent_id == tree.c.id))
    return select(tree.c.id)


def staff_organizations(session: Session, actor: Actor) -> set[int]:
    """Organizations where the actor is staff, and every organization under them."""
    return subtree(session, {org for org, role in actor.roles if role in STAFF_ROLES})


def require_staff(session: Session, actor: Actor, what: str) -> set[int]:
    organizations = staff_organizations(session, actor)
    if not organizations:
        names = " или ".join(f"«{ROLE_LABELS[r]}»" for r in STAFF_ROLES)
        raise PermissionDenied(f"{actor.full_name or actor.login}: {what} доступны только ролям {names}")
    return organizations


# -- administrators: who manages an organization's tree, people and roles ----------------------------
#
# The rule (issue 12): a role is held in one organization. The administrator's role extends to every
# organization under it (the department's administrator manages its schools); so does what staff may *see*
# (``staff_organizations``: a department's curator sees its schools' registries). What a role may *do* in a
# workflow — a curator's approval, a head's signature — stays with the organization where it is held.


def administered_organizations(session: Session, actor: Actor) -> set[int]:
    """Organizations the actor administers: where they hold the administrator's role, and every one under it."""
    return subtree(session, actor.organizations(Role.ADMIN))


def require_admin(session: Session, actor: Actor, organization_id: int | None, *, action: str) -> None:
    """``PermissionDenied`` unless the actor administers ``organization_id`` (held there or above it); with
    ``None``: unless the actor administers some organization."""
    administered = administered_organizations(session, actor)
    if (organization_id is None and administered) or (organization_id is not None and organization_id in administered):
        return
    where = "этой организации или вышестоящей" if organization_id is not None else "какой-либо организации"
    raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно только роли "
                           f"«администратор» {where}")
