"""Who may see and do what in network mentoring (004): the organizations where the actor takes part in it, the
checks of the department's staff, the specialist, a group's mentor, a trainee, and the access log of whose data a
staff member sees (152-ФЗ)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Mentee, NetworkGroup, NetworkMember, Organization, Role, log_access
from engine.errors import NotFound, PermissionDenied
from engine.regulations import pack_of
from engine.services.network import basics, trainees, year
from engine.services.people.actor import Actor, staff_organizations


def network_organizations(session: Session, actor: Actor) -> list[Organization]:
    """Organizations where the actor holds a role in mentorship (not the administrator's) and whose pack runs
    network mentoring."""
    held = {org for org, role in actor.roles if role != Role.ADMIN}
    found = session.scalars(select(Organization).where(Organization.id.in_(held))
                            .order_by(Organization.id))
    return [o for o in found if basics.runs_network(pack_of(o), o.kind)]


def takes_part(session: Session, actor: Actor) -> bool:
    return bool(network_organizations(session, actor))


def participates_elsewhere(session: Session, actor: Actor) -> bool:
    """Whether the actor is a mentor or mentee in an organization that does not run network mentoring."""
    participant = actor.organizations(Role.MENTOR) | actor.organizations(Role.MENTEE)
    network = {o.id for o in network_organizations(session, actor)}
    return bool(participant - network)


def staff_network_organizations(session: Session, actor: Actor) -> list[Organization]:
    staff = staff_organizations(session, actor)
    return [o for o in network_organizations(session, actor) if o.id in staff]


def require_network_role(session: Session, actor: Actor, role: str) -> None:
    """The actor holds ``role`` in an organization running network mentoring (the mentor's, the trainee's page)."""
    if not any(actor.has_role(o.id, role) for o in network_organizations(session, actor)):
        raise PermissionDenied(f"{actor.full_name}: страница для участников сетевого наставничества (004)")


def require_specialist(session: Session, actor: Actor, organization_id: int) -> None:
    """The department's specialist (the curator role) forms groups and enters trainees (004 III.4)."""
    basics.network_pack(basics.organization(session, organization_id))
    actor.require(organization_id, Role.CURATOR, action="работа с базой стажёров и группами (004 III.4)")


def require_group_mentor(session: Session, actor: Actor, group_id: int) -> NetworkGroup:
    group = session.get(NetworkGroup, group_id)
    if group is None:
        raise NotFound(f"нет группы стажёров №{group_id}")
    if actor.person_id != group.mentor_id:
        raise PermissionDenied(f"{actor.full_name}: это делает сетевой наставник группы (004 III.5, III.6)")
    return group


def require_member_role(session: Session, actor: Actor, member_id: int, role: str) -> NetworkMember:
    """The trainee of ``member_id`` (role mentee) or the mentor of their group (role mentor)."""
    found = year.member(session, member_id)
    person = found.person_id if role == Role.MENTEE else found.group.mentor_id
    if actor.person_id != person:
        who = "стажёр" if role == Role.MENTEE else "сетевой наставник группы"
        raise PermissionDenied(f"{actor.full_name}: это делает {who} (004 IV.1, IV.3)")
    return found


def require_own_entry(session: Session, actor: Actor, mentee_id: int) -> Mentee:
    mentee = trainees.trainee(session, mentee_id)
    if actor.person_id != mentee.person_id:
        raise PermissionDenied(f"{actor.full_name}: самодиагностику заполняет сам стажёр (004 III.3)")
    return mentee


def require_staff(session: Session, actor: Actor, organization_id: int) -> None:
    if organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name}: страница координационного центра доступна специалистам, "
                               "начальнику и методистам управления образования")


def log_viewed(session: Session, actor: Actor, people: list[int], purpose: str) -> None:
    for person_id in sorted(set(people) - {actor.person_id}):
        log_access(session, person_id, purpose, viewer=actor.person_id, fields=["direction", "category", "plan"])


def require_group_view(session: Session, actor: Actor, group: NetworkGroup) -> bool:
    """True for the group's mentor; staff see it too; anyone else is refused."""
    if actor.person_id == group.mentor_id:
        return True
    require_staff(session, actor, group.organization_id)
    return False
