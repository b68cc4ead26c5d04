"""What network mentoring holds for the person themself: the hub (the centres they staff, the groups they lead,
their entries as a trainee), the mentor's own groups, the trainee's own entries with the diagnosis and the plan."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CompetenceDiagnosis, Mentee, NetworkGroup, NetworkMember, Organization
from engine.errors import PermissionDenied
from engine.regulations import pack_of
from engine.services.network import access, report, trainees
from engine.services.people.actor import Actor
from engine.services.people.role_labels import labels_of


@dataclass
class Hub:
    """What network mentoring holds for the person: the centres they staff, the groups they lead, their
    entries as a trainee."""

    centres: list[Organization]
    groups: list[NetworkGroup]
    entries: list[TraineeEntry]


def hub(session: Session, actor: Actor) -> Hub:
    if not access.takes_part(session, actor):
        raise PermissionDenied(f"{actor.full_name}: сетевое наставничество ведут организации, положение которых "
                               "его предусматривает (004)")
    return Hub(access.staff_network_organizations(session, actor), my_groups(session, actor), my_entries(session, actor))


@dataclass
class TraineeEntry:
    mentee: Mentee
    labels: dict[str, str]
    category: str
    diagnosis: CompetenceDiagnosis | None
    member: NetworkMember | None

    @property
    def plan_state(self) -> str:
        return report.plan_state(self.member) if self.member else "none"


def my_entries(session: Session, actor: Actor) -> list[TraineeEntry]:
    """The actor's own entries as a trainee (newest first), each with the diagnosis and the group's year."""
    entries = []
    for mentee in session.scalars(select(Mentee).where(Mentee.person_id == actor.person_id,
                                                       Mentee.direction.is_not(None)).order_by(Mentee.id.desc())):
        regulation = pack_of(mentee.organization)
        member = session.scalar(select(NetworkMember).where(NetworkMember.mentee_id == mentee.id)
                                .order_by(NetworkMember.id.desc()).limit(1))
        entries.append(TraineeEntry(mentee, labels_of(session, mentee.organization_id),
                                    {c.id: c.label for c in regulation.mentee_categories}.get(mentee.category,
                                                                                               mentee.category),
                                    trainees.latest_diagnosis(session, mentee.id), member))
    return entries


def my_groups(session: Session, actor: Actor) -> list[NetworkGroup]:
    """The groups the actor leads as a network mentor, newest first."""
    return list(session.scalars(select(NetworkGroup).where(NetworkGroup.mentor_id == actor.person_id)
                                .order_by(NetworkGroup.academic_year.desc(), NetworkGroup.id.desc())))
