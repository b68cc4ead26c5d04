"""What the Coordination Centre's desk shows the department's staff (004 III.3, III.4): network mentors and their
directions, trainees waiting by direction with their diagnosis, the year's groups; the trainee whose monitoring the
specialist records; whom the specialist may enter as a trainee; the academic year running now."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine.db.models import (
    CompetenceDiagnosis,
    Mentee,
    MentorAppointment,
    NetworkGroup,
    Organization,
    Person,
    Role,
    appointed_on_stmt,
)
from engine.db.models.mentorship import MenteeStatus
from engine.regulations import RegulationPack
from engine.services.network import access, basics, trainees
from engine.services.people.actor import Actor
from engine.services.people.role_labels import labels_of
from engine.workflow import Clock


@dataclass
class WaitingTrainee:
    mentee: Mentee
    category: str
    diagnosis: CompetenceDiagnosis | None


@dataclass
class DirectionBlock:
    direction: str
    mentors: list[MentorAppointment]
    waiting: list[WaitingTrainee] = field(default_factory=list)


@dataclass
class CentrePage:
    organization: Organization
    regulation: RegulationPack
    labels: dict[str, str]
    today: date
    academic_year: int
    mentors: list[MentorAppointment]
    directions: list[DirectionBlock]
    groups: list[NetworkGroup]
    may_edit: bool  # the department's specialist forms groups and enters trainees (004 III.4)

    @property
    def year_label(self) -> str:
        return basics.academic_year_label(self.academic_year)

    def trainees_of(self, appointment: MentorAppointment) -> int:
        return sum(len(g.members) for g in self.groups if g.appointment_id == appointment.id)


def centre_page(session: Session, actor: Actor, organization_id: int, clock: Clock | None = None) -> CentrePage:
    found = basics.organization(session, organization_id)
    regulation = basics.network_pack(found)
    access.require_staff(session, actor, organization_id)
    today = basics.local_day(regulation, basics.now(session, clock))
    # a deactivated person is offered for no new group (issue 12)
    mentors = [a for a in session.scalars(appointed_on_stmt(today, organization_id=organization_id))
               if a.direction and a.person.is_active]
    labels = {c.id: c.label for c in regulation.mentee_categories}
    blocks: dict[str, DirectionBlock] = {}
    for appointment in mentors:
        key = basics.direction_key(appointment.direction)
        blocks.setdefault(key, DirectionBlock(appointment.direction or "", [])).mentors.append(appointment)
    waiting = session.scalars(select(Mentee).where(Mentee.organization_id == organization_id,
                                                   Mentee.direction.is_not(None),
                                                   Mentee.status == MenteeStatus.WAITING.value).order_by(Mentee.id)
                              .options(selectinload(Mentee.person))).all()
    diagnoses = trainees.latest_diagnoses(session, [mentee.id for mentee in waiting])
    for mentee in waiting:
        if not mentee.person.is_active:
            continue
        block = blocks.setdefault(basics.direction_key(mentee.direction), DirectionBlock(mentee.direction or "", []))
        block.waiting.append(WaitingTrainee(mentee, labels.get(mentee.category, mentee.category),
                                            diagnoses.get(mentee.id)))
    year_ = basics.academic_year_of(today)
    groups = list(session.scalars(select(NetworkGroup).where(NetworkGroup.organization_id == organization_id,
                                                             NetworkGroup.academic_year == year_)
                                  .order_by(NetworkGroup.id)))
    people = [w.mentee.person_id for b in blocks.values() for w in b.waiting]
    access.log_viewed(session, actor, people + [m.person_id for g in groups for m in g.members], "координационный центр")
    return CentrePage(found, regulation, labels_of(session, organization_id), today, year_, mentors,
                      sorted(blocks.values(), key=lambda b: b.direction.casefold()), groups,
                      actor.has_role(organization_id, Role.CURATOR))


@dataclass
class MonitoringSubject:
    mentee: Mentee
    labels: dict[str, str]
    category: str
    diagnosis: CompetenceDiagnosis | None


def monitoring_subject(session: Session, actor: Actor, mentee_id: int) -> MonitoringSubject:
    """The trainee whose monitoring the specialist records (004 III.3)."""
    mentee = trainees.trainee(session, mentee_id)
    actor.require(mentee.organization_id, Role.CURATOR, action="запись мониторинга деятельности стажёра")
    regulation = basics.network_pack(mentee.organization)
    access.log_viewed(session, actor, [mentee.person_id], "мониторинг деятельности стажёра")
    return MonitoringSubject(mentee, labels_of(session, mentee.organization_id),
                             {c.id: c.label for c in regulation.mentee_categories}.get(mentee.category, mentee.category),
                             trainees.latest_diagnosis(session, mentee.id))


def current_year(session: Session, organization_id: int, clock: Clock | None = None) -> int:
    """The academic year running now where the organization is (2025 = 2025/2026)."""
    regulation = basics.network_pack(basics.organization(session, organization_id))
    return basics.academic_year_of(basics.local_day(regulation, basics.now(session, clock)))


@dataclass
class RegistrationOptions:
    organization: Organization
    regulation: RegulationPack
    labels: dict[str, str]
    people: list[Person]
    directions: list[str]


def registration_options(session: Session, actor: Actor, organization_id: int,
                         clock: Clock | None = None) -> RegistrationOptions:
    """Whom the specialist may enter as a trainee: people working in the department's organizations who are
    not trainees now, with the pack's categories (004 I.3) and the directions network mentors cover."""
    found = basics.organization(session, organization_id)
    regulation = basics.network_pack(found)
    actor.require(organization_id, Role.CURATOR, action="внесение стажёра в базу сетевого наставничества")
    places = _subtree(session, organization_id)
    busy = set(session.scalars(select(Mentee.person_id).where(Mentee.organization_id == organization_id,
                                                              Mentee.status.in_(trainees.OPEN_STATUSES))))
    people = [p for p in session.scalars(select(Person).where(Person.organization_id.in_(places),
                                                              Person.is_active.is_(True))
                                         .order_by(Person.full_name)) if p.id not in busy]
    today = basics.local_day(regulation, basics.now(session, clock))
    directions = sorted({a.direction for a in session.scalars(appointed_on_stmt(today, organization_id=organization_id))
                         if a.direction}, key=str.casefold)
    return RegistrationOptions(found, regulation, labels_of(session, organization_id), people, directions)


def _subtree(session: Session, organization_id: int) -> set[int]:
    found, frontier = {organization_id}, {organization_id}
    while frontier:
        frontier = set(session.scalars(select(Organization.id).where(Organization.parent_id.in_(frontier)))) - found
        found |= frontier
    return found
