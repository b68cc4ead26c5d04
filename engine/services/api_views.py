"""What the JSON API shows a person besides programs (``program_views``) and tasks (``instances``):
pairs/groups, people, orders — each only within what the person's roles allow — plus the lookups the
API needs to route an action to its workflow (the open «sign the order» task, a finished task).

Staff (curator, head, methodologist) see their organizations and the organizations under them; a mentor
or mentee sees the groups they take part in. Reading people's data is logged (152-ФЗ).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import (
    AuditEntry, GroupMember, Mentee, MentorAppointment, MentoringGroup, OpenTask, Order, Organization, Person,
    RoleAssignment, log_access,
)
from engine.errors import NotFound, PermissionDenied
from engine.services import orders as order_service
from engine.services.actor import ROLE_LABELS, Actor
from engine.services.process_orders import SIGN_FORM
from engine.services.program_views import STAFF_ROLES

PERSON_FIELDS = ["full_name", "position", "organization", "roles"]


@dataclass(frozen=True)
class Slice:
    total: int
    items: list[dict]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def staff_organizations(session: Session, actor: Actor) -> set[int]:
    """Organizations where the actor is staff, and every organization under them."""
    found = {org for org, role in actor.roles if role in STAFF_ROLES}
    frontier = set(found)
    while frontier:
        children = set(session.scalars(select(Organization.id).where(Organization.parent_id.in_(frontier))))
        frontier = children - found
        found |= frontier
    return found


def _require_staff(session: Session, actor: Actor, what: str) -> set[int]:
    organizations = staff_organizations(session, actor)
    if not organizations:
        names = " или ".join(f"«{ROLE_LABELS[r]}»" for r in STAFF_ROLES)
        raise PermissionDenied(f"{actor.full_name or actor.login}: {what} доступны только ролям {names}")
    return organizations


# -- pairs and groups ------------------------------------------------------------------------------

def _visible_groups(session: Session, actor: Actor):
    member = select(GroupMember.group_id).where(GroupMember.person_id == actor.person_id)
    return or_(MentoringGroup.organization_id.in_(staff_organizations(session, actor)),
               MentoringGroup.mentor_id == actor.person_id, MentoringGroup.id.in_(member))


def group_summary(group: MentoringGroup) -> dict:
    return {"id": group.id, "organization_id": group.organization_id, "form": group.form,
            "roadmap_id": group.roadmap_id, "status": group.status, "order_id": group.order_id,
            "created_at": _iso(group.created_at),
            "mentor": {"id": group.mentor_id, "full_name": group.mentor.full_name},
            "mentees": [{"id": m.person_id, "full_name": m.person.full_name, "left_on": _iso(m.left_on)}
                        for m in group.members],
            "program_ids": [p.id for p in group.programs]}


def list_groups(session: Session, actor: Actor, *, offset: int = 0, limit: int | None = None) -> Slice:
    """Pairs and groups the actor may see, newest first."""
    condition = _visible_groups(session, actor)
    total = session.scalar(select(func.count()).select_from(MentoringGroup).where(condition)) or 0
    stmt = (select(MentoringGroup).where(condition)
            .options(selectinload(MentoringGroup.members).selectinload(GroupMember.person),
                     selectinload(MentoringGroup.mentor), selectinload(MentoringGroup.programs))
            .order_by(MentoringGroup.id.desc()).offset(offset).limit(limit))
    return Slice(total, [group_summary(g) for g in session.scalars(stmt)])


# -- people ----------------------------------------------------------------------------------------

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
    organizations = _require_staff(session, actor, "списки людей")
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
    organizations = _require_staff(session, actor, "сведения о людях")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с id {person_id}")
    if session.scalar(select(Person.id).where(Person.id == person_id, _people_condition(organizations))) is None:
        raise PermissionDenied(f"{actor.full_name or actor.login}: человек с id {person_id} не относится к вашим "
                               "организациям")
    details = person_summary(person, organizations)
    appointments = session.scalars(select(MentorAppointment).where(
        MentorAppointment.person_id == person.id, MentorAppointment.organization_id.in_(organizations))
        .order_by(MentorAppointment.id))
    details["mentor_appointments"] = [
        {"id": a.id, "organization_id": a.organization_id, "status": a.status, "starts_on": _iso(a.starts_on),
         "ends_on": _iso(a.ends_on), "direction": a.direction, "order_id": a.order_id} for a in appointments]
    entries = session.scalars(select(Mentee).where(Mentee.person_id == person.id,
                                                   Mentee.organization_id.in_(organizations)).order_by(Mentee.id))
    details["mentee_entries"] = [
        {"id": m.id, "organization_id": m.organization_id, "category": m.category, "status": m.status,
         "registered_on": _iso(m.registered_on)} for m in entries]
    if person.id != actor.person_id:
        log_access(session, person, f"сведения о человеке №{person.id} (API)", viewer=actor.person_id,
                   fields=PERSON_FIELDS + ["mentor_appointments", "mentee_entries"])
        session.flush()
    return details


# -- orders ----------------------------------------------------------------------------------------

def order_summary(order: Order) -> dict:
    return {"id": order.id, "organization_id": order.organization_id, "type": order.type,
            "subject": order.subject, "status": order.status,
            "status_label": order_service.STATUS_LABELS.get(order.status, order.status),
            "number": order.number, "issued_on": _iso(order.issued_on), "signed_at": _iso(order.signed_at),
            "signer_id": order.signer_id, "sha256": order.document_sha256, "refusal_reason": order.refusal_reason,
            "workflow_instance_id": order.workflow_instance_id, "created_at": _iso(order.created_at)}


def order_document(order: Order) -> dict:
    return order_summary(order) | {"text": order.body, "verified": order_service.verify(order)}


def list_orders(session: Session, actor: Actor, *, awaiting_signature: bool = False, status: str | None = None,
                offset: int = 0, limit: int | None = None) -> Slice:
    """Orders of the organizations where the actor is staff (none for other roles); ``awaiting_signature``:
    only those the actor may sign."""
    organizations = staff_organizations(session, actor)
    if awaiting_signature:
        found = order_service.orders_awaiting_signature(session, actor)
        return Slice(len(found), [order_summary(o) for o in found[offset:None if limit is None else offset + limit]])
    condition = Order.organization_id.in_(organizations)
    if status:
        condition = condition & (Order.status == status)
    total = session.scalar(select(func.count()).select_from(Order).where(condition)) or 0
    rows = session.scalars(select(Order).where(condition).order_by(Order.id.desc()).offset(offset).limit(limit))
    return Slice(total, [order_summary(o) for o in rows])


def get_order(session: Session, actor: Actor, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"нет приказа с id {order_id}")
    if order.organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: приказ (id {order_id}) другой организации")
    return order


def open_sign_task(session: Session, order: Order) -> OpenTask | None:
    """The «sign the order» task its workflow is waiting on, if any."""
    if order.workflow_instance_id is None:
        return None
    return session.scalar(select(OpenTask).where(OpenTask.instance_id == order.workflow_instance_id,
                                                 OpenTask.form_id == SIGN_FORM).order_by(OpenTask.id))


# -- workflow lookups ------------------------------------------------------------------------------

def finished_task(session: Session, instance_id: int, task_id: str) -> dict[str, Any] | None:
    """When and by whom a task of the instance was completed (from the audit trail), or None."""
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "workflow_instance", AuditEntry.object_id == str(instance_id),
        AuditEntry.action == "workflow.task_completed").order_by(AuditEntry.id.desc()))
    for entry in entries:
        if (entry.details or {}).get("task_id") == str(task_id):
            return {"at": _iso(entry.at), "actor_id": entry.actor_id}
    return None

