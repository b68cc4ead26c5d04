"""What the network mentoring pages show: the Coordination Centre's desk for the department's staff (network
mentors and their directions, trainees waiting by direction with their diagnosis, the year's groups), a group for
its mentor (the work plan, the trainees' plans, the work in the regulation's forms), one trainee's year, the
trainee's own page. Labels of roles come from the organization's pack (004: «Стажёр», «Сетевой наставник»).
Whose data a staff member sees is written to the access log (152-ФЗ)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    CompetenceDiagnosis,
    Mentee,
    MentorAppointment,
    NetworkGroup,
    NetworkMember,
    NetworkWorkRecord,
    OpenTask,
    Organization,
    Person,
    Role,
    appointed_on_stmt,
    log_access,
)
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import RegulationPack, pack_of
from engine.services.network import basics, report, trainees, year
from engine.services.people.actor import Actor, staff_organizations
from engine.services.people.role_labels import labels_of
from engine.workflow import Clock


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


@dataclass
class Hub:
    """What network mentoring holds for the person: the centres they staff, the groups they lead, their
    entries as a trainee."""

    centres: list[Organization]
    groups: list[NetworkGroup]
    entries: list[TraineeEntry]


def hub(session: Session, actor: Actor) -> Hub:
    if not takes_part(session, actor):
        raise PermissionDenied(f"{actor.full_name}: сетевое наставничество ведут организации, положение которых "
                               "его предусматривает (004)")
    return Hub(staff_network_organizations(session, actor), my_groups(session, actor), my_entries(session, actor))


def _require_staff(session: Session, actor: Actor, organization_id: int) -> None:
    if organization_id not in staff_organizations(session, actor):
        raise PermissionDenied(f"{actor.full_name}: страница координационного центра доступна специалистам, "
                               "начальнику и методистам управления образования")


def _log(session: Session, actor: Actor, people: list[int], purpose: str) -> None:
    for person_id in sorted(set(people) - {actor.person_id}):
        log_access(session, person_id, purpose, viewer=actor.person_id, fields=["direction", "category", "plan"])


# -- the Coordination Centre's desk -------------------------------------------------------------------

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
    _require_staff(session, actor, organization_id)
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
                                                   Mentee.status == MenteeStatus.WAITING.value).order_by(Mentee.id))
    for mentee in waiting:
        if not mentee.person.is_active:
            continue
        block = blocks.setdefault(basics.direction_key(mentee.direction), DirectionBlock(mentee.direction or "", []))
        block.waiting.append(WaitingTrainee(mentee, labels.get(mentee.category, mentee.category),
                                            trainees.latest_diagnosis(session, mentee.id)))
    year_ = basics.academic_year_of(today)
    groups = list(session.scalars(select(NetworkGroup).where(NetworkGroup.organization_id == organization_id,
                                                             NetworkGroup.academic_year == year_)
                                  .order_by(NetworkGroup.id)))
    people = [w.mentee.person_id for b in blocks.values() for w in b.waiting]
    _log(session, actor, people + [m.person_id for g in groups for m in g.members], "координационный центр")
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
    _log(session, actor, [mentee.person_id], "мониторинг деятельности стажёра")
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


# -- a group and a trainee's year ------------------------------------------------------------------------

@dataclass
class MemberRow:
    member: NetworkMember
    category: str
    plan_state: str
    awaits_decision: bool  # the plan waits for the mentor (004 IV.1)
    awaits_review: bool  # the review is open (004 IV.1)


@dataclass
class GroupPage:
    group: NetworkGroup
    regulation: RegulationPack
    labels: dict[str, str]
    rows: list[MemberRow]
    records: list[NetworkWorkRecord]
    is_mentor: bool
    work_plan_open: bool  # the mentor's work plan is awaited (004 III.5)
    today: date

    @property
    def year_label(self) -> str:
        return basics.academic_year_label(self.group.academic_year)

    def form_label(self, form_id: str) -> str:
        return self.regulation.work_form(form_id).label

    def names(self, record: NetworkWorkRecord) -> str:
        by_id = {row.member.person_id: row.member.person.full_name for row in self.rows}
        return ", ".join(by_id.get(i, "—") for i in record.trainee_ids)


def _open_forms(session: Session, instance_id: int | None) -> set[str]:
    if instance_id is None:
        return set()
    return {str(f) for f in session.scalars(select(OpenTask.form_id).where(OpenTask.instance_id == instance_id))}


def _require_group(session: Session, actor: Actor, group: NetworkGroup) -> bool:
    """True for the group's mentor; staff see it too; anyone else is refused."""
    if actor.person_id == group.mentor_id:
        return True
    _require_staff(session, actor, group.organization_id)
    return False


def group_page(session: Session, actor: Actor, group_id: int, clock: Clock | None = None) -> GroupPage:
    group = session.get(NetworkGroup, group_id)
    if group is None:
        raise NotFound(f"нет группы стажёров №{group_id}")
    is_mentor = _require_group(session, actor, group)
    regulation = basics.network_pack(group.organization)
    labels = {c.id: c.label for c in regulation.mentee_categories}
    rows = []
    for member in group.members:
        forms = _open_forms(session, member.workflow_instance_id)
        rows.append(MemberRow(member, labels.get(member.mentee.category, member.mentee.category),
                              report.plan_state(member), FormId.ACCEPT_DEVELOPMENT_PLAN in forms,
                              FormId.TRAINEE_REVIEW in forms))
    _log(session, actor, [m.person_id for m in group.members], f"группа стажёров №{group.id}")
    return GroupPage(group, regulation, labels_of(session, group.organization_id), rows, list(group.records),
                     is_mentor, FormId.MENTOR_WORK_PLAN in _open_forms(session, group.workflow_instance_id),
                     basics.local_day(regulation, basics.now(session, clock)))


@dataclass
class MemberPage:
    member: NetworkMember
    group: NetworkGroup
    labels: dict[str, str]
    category: str
    plan_state: str
    diagnosis: CompetenceDiagnosis | None
    records: list[NetworkWorkRecord]
    my_role: str  # "mentee" | "mentor" | "staff"
    plan_open: bool  # the trainee may submit or correct the plan
    decision_open: bool  # the mentor may agree or return it
    review_open: bool  # the mentor may write the review

    @property
    def readiness(self) -> str:
        return report.TraineeLine(self.member.mentee, self.member, self.category, self.diagnosis).readiness

    def form_label(self, form_id: str) -> str:
        return pack_of(self.group.organization).work_form(form_id).label


def member_page(session: Session, actor: Actor, member_id: int) -> MemberPage:
    found = year.member(session, member_id)
    group = found.group
    if actor.person_id == found.person_id:
        role = Role.MENTEE.value
    elif _require_group(session, actor, group):
        role = Role.MENTOR.value
    else:
        role = "staff"
    forms = _open_forms(session, found.workflow_instance_id)
    regulation = basics.network_pack(group.organization)
    category = {c.id: c.label for c in regulation.mentee_categories}.get(found.mentee.category, found.mentee.category)
    _log(session, actor, [found.person_id], f"учебный год стажёра в группе №{group.id}")
    return MemberPage(found, group, labels_of(session, group.organization_id), category, report.plan_state(found),
                      trainees.latest_diagnosis(session, found.mentee_id),
                      [r for r in group.records if found.person_id in r.trainee_ids], role,
                      role == Role.MENTEE and FormId.DEVELOPMENT_PLAN in forms,
                      role == Role.MENTOR and FormId.ACCEPT_DEVELOPMENT_PLAN in forms,
                      role == Role.MENTOR and FormId.TRAINEE_REVIEW in forms)


# -- the mentor's and the trainee's own pages -----------------------------------------------------------------

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


def work_form_choices(regulation: RegulationPack) -> list[tuple[str, str]]:
    return [(form.id, form.label) for form in regulation.work_forms]
