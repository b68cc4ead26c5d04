"""The council of mentors of an organization (000 §4–5): who may see and do what, the council itself, its members
and chair.

Who does what (000 is silent on most of it; the product's choice, stated where it applies):
* the curator forms the council (members, chair) and, like the chair, schedules sessions and sets their agenda;
* the chair (the facilitator, 000 §4.4) or the curator holds the session: marks who came and records the election of
  the secretary (000 §5.1: «выбранным на сессии секретарем»);
* every member present votes on every item (000 §4.2); the secretary records the discussion and draws the protocol
  up (000 §5.1–5.2); the chair and the secretary sign it; the head agrees the adopted decisions (000 §4.3:
  «согласовываются с администрацией»).
The curator, the head and the council's members see its sessions and protocols.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Council, CouncilMember, CouncilSession, Organization, Person, Role, record_audit
from engine.db.types import utcnow
from engine.documents.basics import zone_of
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack_of
from engine.regulations.council_bodies import BODY_KINDS, MENTORS_COUNCIL, PEDAGOGICAL_COUNCIL, CouncilBody
from engine.services.people.actor import Actor

# 000 §4.2 says a decision is taken by the session's vote and names no quorum or majority: the product's default
QUORUM_RULE = ("решение принято, если на сессии присутствует более половины членов совета (кворум) и голосов «за» "
               "больше, чем «против» (000 §4.2 не задаёт кворум и большинство — правило по умолчанию системы)")
# 004 прил. 1 п. 3.1.1 names the pedagogical council's protocol, not how it decides: the same default
PEDAGOGICAL_QUORUM_RULE = ("решение принято, если на заседании присутствует более половины членов педагогического "
                           "совета (кворум) и голосов «за» больше, чем «против» (004 прил. 1 п. 3.1.1 не задаёт "
                           "порядок принятия решений — правило по умолчанию системы)")
TEXT_MAX = 4000
TITLE_MAX = 500


class CouncilDataError(NastavnikError):
    """What was sent about a council or its session is missing or wrong (the message names the field)."""


def clean(value: Any, field: str, label: str, *, limit: int = TEXT_MAX, required: bool = True) -> str:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()).strip()
    if required and not text:
        raise CouncilDataError(f"заполните поле «{label}»", where=field)
    if len(text) > limit:
        raise CouncilDataError(f"поле «{label}» — не длиннее {limit} знаков (сейчас {len(text)})", where=field)
    return text


def audit(session: Session, action: str, actor: Actor | None, council: Council, obj: Any = None,
          **details: Any) -> None:
    record_audit(session, action, actor=actor.person_id if actor else None, obj=obj if obj is not None else council,
                 organization=council.organization_id, details=details or None)


def quorum_rule(council: Council) -> str:
    return PEDAGOGICAL_QUORUM_RULE if council.body == PEDAGOGICAL_COUNCIL else QUORUM_RULE


def body_of(organization: Organization, body: str) -> CouncilBody:
    """The body ``body`` of the organization's pack; a pack without it refuses in Russian naming what it has."""
    try:
        return pack_of(organization).council_body(body)
    except NotFound as error:
        raise CouncilDataError(error.message, where="body") from None


def body_label(council: Council) -> str:
    """The body's label from the pack, or the product's when the pack no longer lists it."""
    found = next((b for b in pack_of(council.organization).council_bodies if b.id == council.body), None)
    return found.label if found is not None else BODY_KINDS.get(council.body, (council.body, ""))[0]


def council_for(session: Session, organization_id: int, *, create: bool = False,
                body: str = MENTORS_COUNCIL) -> Council | None:
    council = session.scalar(select(Council).where(Council.organization_id == organization_id, Council.body == body))
    if council is None and create:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise NotFound(f"нет организации № {organization_id}", where="organization")
        body_of(organization, body)
        council = Council(organization_id=organization_id, body=body)
        session.add(council)
        session.flush()
    return council


def member_ids(council: Council | None) -> set[int]:
    return {m.person_id for m in council.members} if council is not None else set()


def is_member(council: Council | None, actor: Actor) -> bool:
    return actor.person_id is not None and actor.person_id in member_ids(council)


def is_chair(council: Council | None, actor: Actor) -> bool:
    return council is not None and actor.person_id is not None and council.chair_id == actor.person_id


def may_see(council: Council | None, organization_id: int, actor: Actor) -> bool:
    return (actor.has_role(organization_id, Role.CURATOR) or actor.has_role(organization_id, Role.HEAD)
            or is_member(council, actor))


def require_curator(actor: Actor, organization_id: int, action: str) -> None:
    if actor.is_system:
        raise PermissionDenied(f"действие «{action}» выполняет куратор лично, не система")
    actor.require(organization_id, Role.CURATOR, action=action)


def require_organizer(council: Council, actor: Actor, action: str) -> None:
    """The curator of the organization or the council's chair."""
    if not (actor.has_role(council.organization_id, Role.CURATOR) or is_chair(council, actor)):
        raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно куратору или "
                               "председателю совета")


def require_may_schedule(session: Session, actor: Actor, organization_id: int) -> None:
    """Before a request's body is read (the API): the curator of the organization or the chair of one of its bodies;
    ``sessions.schedule`` then checks the chosen body's own chair."""
    chairs = set(session.scalars(select(Council.chair_id).where(Council.organization_id == organization_id)))
    if not (actor.has_role(organization_id, Role.CURATOR) or (actor.person_id is not None and actor.person_id in chairs)):
        raise PermissionDenied(f"{actor.full_name or actor.login}: заседание назначает куратор или председатель "
                               "коллегиального органа организации")


def visible_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organizations whose council the actor sees: curator or head there, or a member of its council."""
    ids = actor.organizations(Role.CURATOR) | actor.organizations(Role.HEAD)
    if actor.person_id is not None:
        ids |= set(session.scalars(select(Council.organization_id).join(CouncilMember)
                                   .where(CouncilMember.person_id == actor.person_id)))
    return list(session.scalars(select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)))


def get_session(session: Session, actor: Actor, session_id: int) -> CouncilSession:
    found = session.get(CouncilSession, session_id)
    if found is None:
        raise NotFound(f"нет сессии совета № {session_id}", where="session")
    if not may_see(found.council, found.council.organization_id, actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: сессии совета видят куратор, руководитель и "
                               "члены совета")
    return found


def person_name(session: Session, person_id: int | None) -> str:
    person = session.get(Person, person_id) if person_id is not None else None
    return person.full_name if person is not None else "—"


def local_today(council: Council, now: datetime | None = None) -> date:
    """Today in the council's organization's time zone."""
    return (now or utcnow()).astimezone(zone_of(council.organization)).date()


# --- membership (the curator) ---------------------------------------------------------------------


def add_member(session: Session, actor: Actor, organization_id: int, person_id: int, *,
               body: str = MENTORS_COUNCIL) -> Council:
    require_curator(actor, organization_id, "состав коллегиального органа")
    council = council_for(session, organization_id, create=True, body=body)
    assert council is not None
    person = session.get(Person, person_id)
    if person is None or not person.is_active:
        raise CouncilDataError("выберите действующего сотрудника организации", where="person_id")
    if person_id in member_ids(council):
        raise CouncilDataError(f"{person.full_name} уже в составе совета", where="person_id")
    council.members.append(CouncilMember(person_id=person_id, added_on=local_today(council)))
    session.flush()
    audit(session, "council.member_added", actor, council, person_id=person_id)
    return council


def remove_member(session: Session, actor: Actor, organization_id: int, person_id: int, *,
                  body: str = MENTORS_COUNCIL) -> Council:
    require_curator(actor, organization_id, "состав коллегиального органа")
    council = council_for(session, organization_id, body=body)
    if council is None or person_id not in member_ids(council):
        raise NotFound("этого человека нет в составе совета", where="person_id")
    council.members = [m for m in council.members if m.person_id != person_id]
    if council.chair_id == person_id:
        council.chair_id = None
    session.flush()
    audit(session, "council.member_removed", actor, council, person_id=person_id)
    return council


def set_chair(session: Session, actor: Actor, organization_id: int, person_id: int, *,
              body: str = MENTORS_COUNCIL) -> Council:
    """The chair: the mentor-leader who facilitates the sessions (000 §4.4), one of the members (of the pedagogical
    council: whom the curator names among its members — 004 is silent, the product's choice)."""
    require_curator(actor, organization_id, "председатель коллегиального органа")
    council = council_for(session, organization_id, body=body)
    if council is None or person_id not in member_ids(council):
        raise CouncilDataError("председателем может быть только член совета", where="person_id")
    council.chair_id = person_id
    session.flush()
    audit(session, "council.chair_set", actor, council, person_id=person_id)
    return council
