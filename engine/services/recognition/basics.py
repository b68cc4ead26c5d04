"""What the recognition modules share: the organization's pack, its tree, the people who may act there."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import regulations
from engine.db.models import Organization, Person, Role, RoleAssignment
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.regulations import RegulationPack
from engine.services.mentorship.attachments import AttachmentLimits, CheckedFile, Upload, check_upload, check_uploads
from engine.services.people.actor import Actor, subtree

RECORDERS = (Role.CURATOR.value, Role.HEAD.value)  # who records incentives, nominates, runs a contest
TEXT_LIMIT = 5000
TITLE_LIMIT = 300

__all__ = ["AttachmentLimits", "CheckedFile", "RECORDERS", "Upload", "check_upload", "check_uploads"]


def organization(session: Session, organization_id: int) -> Organization:
    found = session.get(Organization, organization_id)
    if found is None:
        raise NotFound(f"нет организации с номером {organization_id}", where="organization_id")
    return found


def pack(organization_row: Organization) -> RegulationPack:
    return regulations.pack_of(organization_row)


def require_recorder(actor: Actor, organization_id: int, action: str) -> None:
    """A curator or head of the organization (the role held there)."""
    if not any(actor.has_role(organization_id, role) for role in RECORDERS):
        raise PermissionDenied(f"{actor.full_name or actor.login}: {action} — дело куратора или руководителя "
                               "этой организации")


def active_roles(session: Session, person_id: int) -> list[tuple[int, str]]:
    return [(org, role) for org, role in session.execute(
        select(RoleAssignment.organization_id, RoleAssignment.role)
        .where(RoleAssignment.person_id == person_id, RoleAssignment.active.is_(True)))]


def mentor_in(session: Session, person_id: int, organization_id: int, where: str = "mentor_id") -> Person:
    """The person, if they are an active mentor of the organization or of one under it."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}", where=where)
    tree = subtree(session, {organization_id})
    if not person.is_active or not any(org in tree and role == Role.MENTOR.value
                                       for org, role in active_roles(session, person_id)):
        raise NastavnikError(f"{person.full_name} не наставник этой организации (или подчинённой ей)", where=where)
    return person


def member_of_tree(session: Session, person_id: int, organization_id: int, where: str) -> Person:
    """The person, if active with any role in the organization or one under it (a juror)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}", where=where)
    tree = subtree(session, {organization_id})
    if not person.is_active or not any(org in tree for org, _ in active_roles(session, person_id)):
        raise NastavnikError(f"{person.full_name} не работает в этой организации (или подчинённой ей)", where=where)
    return person


def roots_of(session: Session, organization_ids: set[int]) -> set[int]:
    """The top organization of each one's tree (a school's department)."""
    roots = set()
    for organization_id in organization_ids:
        current = session.get(Organization, organization_id)
        seen = set()
        while current is not None and current.parent_id is not None and current.id not in seen:
            seen.add(current.id)
            current = session.get(Organization, current.parent_id)
        if current is not None:
            roots.add(current.id)
    return roots


def family(session: Session, actor: Actor) -> set[int]:
    """Every organization of the trees the actor works in: theirs, their department and its other organizations."""
    return subtree(session, roots_of(session, {org for org, _ in actor.roles}))


def clean_text(value: object, label: str, where: str, *, limit: int = TEXT_LIMIT, required: bool = True) -> str:
    text = " ".join(str(value or "").split()) if limit <= TITLE_LIMIT else str(value or "").strip()
    if not text and required:
        raise NastavnikError(f"заполните поле «{label}»", where=where)
    if len(text) > limit:
        raise NastavnikError(f"поле «{label}»: не длиннее {limit} знаков (сейчас {len(text)})", where=where)
    return text


def people_in_tree(session: Session, organization_id: int, role: str | None = None) -> list[Person]:
    """Active people with a role (``role``, or any) in the organization or one under it, by name: the choices of
    a page (jurors, mentors to nominate or encourage)."""
    tree = subtree(session, {organization_id})
    holders = select(RoleAssignment.person_id).where(RoleAssignment.organization_id.in_(tree),
                                                     RoleAssignment.active.is_(True))
    if role is not None:
        holders = holders.where(RoleAssignment.role == role)
    # no DISTINCT over the person's columns: PostgreSQL has no equality for its JSON ones
    query = select(Person).where(Person.id.in_(holders), Person.is_active.is_(True))
    return list(session.scalars(query.order_by(Person.full_name, Person.id)))
