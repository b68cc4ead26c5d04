"""The administrator's people (issue 12): the people whose workplace is in the organizations the actor administers
(``administered_organizations``: where they hold the administrator's role and every organization under it) —
listed, created and edited through the one contract of person fields (the base data and the rule files' facts,
``engine.services.people.person_fields``), moved to another administered organization, deactivated (never
deleted: sessions and API tokens end, the person cannot log in and is no longer offered for pairs) and
reactivated. Every change is audited with who, when and old → new; every showing of someone's data is logged
(152-ФЗ). The caller commits."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import AccountLink, Organization, Person, log_access, record_audit
from engine.db.types import utcnow
from engine.errors import ConflictError, Disclosure, NastavnikError, NotFound, PermissionDenied, ProblemsError
from engine.forms import MAX_ID
from engine.services.pages import Slice
from engine.services.people import accounts, directory
from engine.services.people.actor import ROLE_LABELS, Actor, Role, administered_organizations, require_admin
from engine.services.people.person_fields import (
    Change,
    FieldProblem,
    PersonField,
    apply_values,
    current_value,
    parse_values,
    person_fields,
)
from engine.services.people.person_records import create_person

STATES = ("active", "deactivated", "all")
# roles whose account only an administrator of the organization where they are held may change (``require_reach``)
ACCOUNT_GUARDED_ROLES = (Role.ADMIN, Role.HEAD, Role.CURATOR, Role.METHODOLOGIST)
LISTED_FIELDS = ["full_name", "position", "email", "organization", "roles"]


class PersonDataRefused(ProblemsError):
    """What was entered about a person is refused: ``problems`` are ``FieldProblem``s naming each field; nothing
    was saved."""

    when_none = "данные человека не приняты"

    def __init__(self, problems: list, *, where: str | None = None) -> None:
        first = getattr(problems[0], "field", None) if problems else None
        super().__init__(problems, where=where or first)


def _who(actor: Actor) -> str:
    return actor.full_name or actor.login


def administered_list(session: Session, actor: Actor) -> list[Organization]:
    """The organizations the actor administers, by name (the forms' choice of a workplace)."""
    found = administered_organizations(session, actor)
    if not found:
        raise PermissionDenied(f"{_who(actor)}: люди организаций доступны только роли «администратор»")
    return list(session.scalars(select(Organization).where(Organization.id.in_(found))
                                .order_by(Organization.parent_id.is_not(None), Organization.name)))


def administered_organization(session: Session, actor: Actor, organization_id: int, *, action: str) -> Organization:
    organization = session.get(Organization, organization_id) if 0 < organization_id <= MAX_ID else None
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}", where="organization_id")
    require_admin(session, actor, organization.id, action=action)
    return organization


def administered_person(session: Session, actor: Actor, person_id: int, *, action: str,
                        account: bool = False) -> Person:
    """The person ``person_id`` if their workplace is in the actor's administered tree; ``NotFound`` or
    ``PermissionDenied`` otherwise. ``account``: the action changes the person's data or access, so every staff or
    administrator's role the person holds must be in the tree too (``require_reach``)."""
    person = session.get(Person, person_id) if 0 < person_id <= MAX_ID else None
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    administered = administered_organizations(session, actor)
    if person.organization_id is None or person.organization_id not in administered:
        if not administered:
            raise PermissionDenied(f"{_who(actor)}: действие «{action}» доступно только роли «администратор»")
        raise PermissionDenied(f"{_who(actor)}: человек №{person_id} работает не в организации, которую вы "
                               f"администрируете (действие «{action}»)")
    if account:
        require_reach(actor, person, administered, action=action)
    return person


def require_reach(actor: Actor, person: Person, administered: set[int], *, action: str) -> None:
    """A school's administrator may not take over an account that holds a role above the school — a department's
    curator, head, methodologist or administrator working in the school: its data and access are managed by the
    administrator of that organization (a reset link would hand over the department's role)."""
    outside = [r for r in person.roles if r.active and r.role in ACCOUNT_GUARDED_ROLES
               and r.organization_id not in administered]
    if outside:
        held = "; ".join(f"«{ROLE_LABELS.get(r.role, r.role)}» в {_name(r.organization)}" for r in outside)
        raise PermissionDenied(f"{_who(actor)}: {person.full_name} — {held}, а эту организацию вы не "
                               f"администрируете: действие «{action}» выполняет её администратор")


# -- the list ------------------------------------------------------------------------------------------------

def _search(text: str):
    text = " ".join(text.split())[:200]
    variants = {text, text.lower(), text.capitalize(), text.title(), text.upper()}
    # SQLite's lower() and LIKE fold ASCII only: the usual spellings of a Cyrillic name are tried too
    return or_(func.lower(Person.full_name).contains(text.lower(), autoescape=True),
               *(Person.full_name.contains(v, autoescape=True) for v in variants),
               func.lower(Person.email).contains(text.lower(), autoescape=True),
               Person.login.contains(text.lower(), autoescape=True))


def role_rows(person: Person) -> list[dict]:
    """The person's active roles: organization, role and its label."""
    return [{"organization_id": r.organization_id, "organization": _name(r.organization), "role": r.role,
             "label": ROLE_LABELS.get(r.role, r.role)} for r in person.roles if r.active]


def _name(organization: Organization | None) -> str | None:
    return (organization.short_name or organization.name) if organization is not None else None


def summary(person: Person) -> dict:
    return {"id": person.id, "full_name": person.full_name, "login": person.login, "position": person.position,
            "email": person.email, "phone": person.phone, "personnel_number": person.personnel_number,
            "organization_id": person.organization_id, "organization": _name(person.organization),
            "is_active": person.is_active, "has_password": bool(person.password_hash),
            "roles": role_rows(person)}


def list_people(session: Session, actor: Actor, *, search: str | None = None, organization_id: int | None = None,
                state: str = "active", offset: int = 0, limit: int | None = 25) -> Slice:
    """People working in the organizations the actor administers (one of them with ``organization_id``), by
    name; ``search``: part of the name, the e-mail or the login; ``state``: active, deactivated or all. The
    page shown is logged (152-ФЗ)."""
    tree = {o.id for o in administered_list(session, actor)}
    if organization_id is not None:
        if organization_id not in tree:
            raise PermissionDenied(f"{_who(actor)}: организация №{organization_id} — не из тех, что вы "
                                   "администрируете")
        tree = {organization_id}
    if state not in STATES:
        raise NastavnikError(f"«{state}» — недопустимое состояние; допустимо: {', '.join(STATES)}", where="state")
    condition: Any = Person.organization_id.in_(tree)
    if state != "all":
        condition = condition & Person.is_active.is_(state == "active")
    if search and search.strip():
        condition = condition & _search(search)
    total = session.scalar(select(func.count()).select_from(Person).where(condition)) or 0
    people = session.scalars(select(Person).where(condition)
                             .options(selectinload(Person.roles), selectinload(Person.organization))
                             .order_by(Person.full_name, Person.id).offset(offset).limit(limit)).all()
    for person in people:
        if person.id != actor.person_id:
            log_access(session, person, "список людей (администрирование)", viewer=actor.person_id,
                       fields=LISTED_FIELDS)
    session.flush()
    return Slice(total, [summary(p) for p in people])


def people_for(session: Session, actor: Actor, *, search: str | None = None, organization_id: int | None = None,
               state: str | None = None, offset: int = 0, limit: int | None = None) -> Slice:
    """The people list of the API: an administrator's people (``list_people``, with contact data and the
    filters); for staff who administer nothing, their organizations' people with minimal fields
    (``directory.list_people``)."""
    if administered_organizations(session, actor):
        return list_people(session, actor, search=search, organization_id=organization_id, state=state or "active",
                           offset=offset, limit=limit)
    return directory.list_people(session, actor, offset=offset, limit=limit, search=search)


def json_value(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def record(session: Session, person: Person) -> dict:
    """The person as the administrator's API returns them: the summary and every field's value (JSON)."""
    fields = person_fields(person.organization) if person.organization is not None else ()
    return {**summary(person), "values": {item.name: json_value(current_value(person, item.name)) for item in fields}}


# -- e-mail: unique among active people ------------------------------------------------------------------------

def require_free_email(session: Session, actor: Actor, email: str | None, *, fields: tuple[PersonField, ...],
                       person_id: int | None = None) -> None:
    """``PersonDataRefused`` naming the active person who already has ``email`` (case-insensitive)."""
    if not email:
        return
    stmt = select(Person).where(func.lower(Person.email) == email.strip().lower(), Person.is_active.is_(True))
    if person_id is not None:
        stmt = stmt.where(Person.id != person_id)
    holder = session.scalars(stmt.order_by(Person.id)).first()
    if holder is None:
        return
    label = next((f.label for f in fields if f.name == "email"), "Электронная почта")
    place = f" ({_name(holder.organization)})" if holder.organization is not None else ""
    error = PersonDataRefused([FieldProblem("email", label, email,
                                            f"этот адрес уже указан у {holder.full_name}{place}")])
    raise error.disclosing(Disclosure(holder.id, actor.person_id, "совпадение адреса электронной почты",
                                      ("full_name", "email")))


def _parsed(fields: tuple[PersonField, ...], raw: Mapping[str, object], *, text: bool,
            partial: bool) -> dict[str, Any]:
    values, problems = parse_values(fields, raw, text=text, partial=partial)
    if problems:
        raise PersonDataRefused(problems)
    return values


# -- create, edit, move ---------------------------------------------------------------------------------------

def fields_for(session: Session, actor: Actor, organization_id: int) -> tuple[PersonField, ...]:
    """What is entered about a person of the organization (its pack's rule files' facts included)."""
    return person_fields(administered_organization(session, actor, organization_id,
                                                   action="просмотр полей сведений о человеке"))


def create(session: Session, actor: Actor, organization_id: int, raw: Mapping[str, object], *, text: bool,
           login: str | None = None) -> Person:
    """A new active person working in ``organization_id`` (administered by the actor), without a password:
    the administrator then issues an invitation link (``account_links``)."""
    organization = administered_organization(session, actor, organization_id, action="добавление человека")
    fields = person_fields(organization)
    values = _parsed(fields, raw, text=text, partial=False)
    require_free_email(session, actor, values.get("email"), fields=fields)
    return create_person(session, organization, fields, values, actor=actor, login=login or None)


def _editable(session: Session, actor: Actor, person_id: int, action: str) -> Person:
    person = administered_person(session, actor, person_id, action=action, account=True)
    if person.anonymized_at is not None:
        raise ConflictError(f"данные человека №{person.id} обезличены по его запросу (152-ФЗ): изменить их нельзя")
    return person


def edit(session: Session, actor: Actor, person_id: int, raw: Mapping[str, object], *, text: bool,
         partial: bool = False) -> list[Change]:
    """The sent values written on the person (``partial``: only the fields sent), each change audited old → new."""
    person = _editable(session, actor, person_id, "изменение сведений о человеке")
    organization = person.organization
    fields = person_fields(organization) if organization is not None else ()
    values = _parsed(fields, raw, text=text, partial=partial)
    if person.is_active:
        require_free_email(session, actor, values.get("email"), fields=fields, person_id=person.id)
    return apply_values(session, person, fields, values, actor=actor)


def move(session: Session, actor: Actor, person_id: int, organization_id: int) -> bool:
    """The person now works in ``organization_id`` (both places administered by the actor); audited with the old
    and the new workplace. False when it is the same organization."""
    person = _editable(session, actor, person_id, "перевод в другую организацию")
    target = administered_organization(session, actor, organization_id, action="перевод в другую организацию")
    if person.organization_id == target.id:
        return False
    old = person.organization
    person.organization_id = target.id
    session.flush()
    session.refresh(person, ["organization"])
    record_audit(session, "person.moved", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=target.id,
                 details={"changes": [{"field": "organization_id", "label": "Место работы",
                                       "old": _name(old) or "—", "new": _name(target)}],
                          "from": old.id if old is not None else None, "to": target.id})
    return True


# -- deactivation -----------------------------------------------------------------------------------------------

def deactivate(session: Session, actor: Actor, person_id: int) -> Person:
    """The person may no longer log in (sessions and API tokens end, open account links are revoked) and is no
    longer offered for new pairs or as a mentor candidate; nothing about them is deleted."""
    person = administered_person(session, actor, person_id, action="деактивация", account=True)
    if person.id == actor.person_id:
        raise ConflictError("нельзя деактивировать самого себя: это сделает другой администратор")
    if not person.is_active:
        raise ConflictError(f"{person.full_name} уже деактивирован(а)")
    accounts.deactivate(session, person, by=actor.person_id)
    now = utcnow()
    for link in session.scalars(select(AccountLink).where(AccountLink.person_id == person.id,
                                                          AccountLink.used_at.is_(None),
                                                          AccountLink.revoked_at.is_(None))):
        link.revoked_at = now
    session.flush()
    return person


def reactivate(session: Session, actor: Actor, person_id: int) -> Person:
    """The person may log in again (with the password they had, or by a new invitation link)."""
    person = _editable(session, actor, person_id, "восстановление доступа")
    if person.is_active:
        raise ConflictError(f"{person.full_name} и так активен(на)")
    fields = person_fields(person.organization) if person.organization is not None else ()
    require_free_email(session, actor, person.email, fields=fields, person_id=person.id)
    person.is_active = True
    session.flush()
    record_audit(session, "person.reactivated", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=person.organization_id)
    return person
