"""The curator's registries made editable (003 §3.3: the curator keeps the base of mentors and of mentees and
proposes mentor candidates): whom she may enter, entering a mentee with the rules' decision explained, and
proposing a mentor candidate, which starts the appointment process (the head's order follows).

Who may be entered: an active person of the organization's tree (works in it or in one under it, or holds a
role in it), not anonymized (``mentorship.basics.person_for_registry``) — a mentee not already waiting or in a program
there, a mentor candidate not already appointed there nor proposed in a process still running. A network
mentoring desk (004 III.3: trainees with the direction they need help in) enters trainees on its own page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import (
    InstanceStatus,
    Mentee,
    MentorAppointment,
    Organization,
    Person,
    Role,
    RoleAssignment,
    WorkflowInstance,
    appointed_on_stmt,
    is_appointed,
    log_access,
    log_shown,
    record_audit,
)
from engine.db.paging import paginate
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import RegulationPack, pack_of
from engine.regulations.pack_parts import MenteeCategory
from engine.services.curation.registries import Page, name_patterns
from engine.services.mentorship import mentee_registry, mentor_appointment
from engine.services.mentorship.basics import organization_by_id
from engine.services.network.basics import runs_network
from engine.services.people.actor import Actor, subtree
from engine.services.process import instances
from engine.services.process.domain import organization_today
from engine.workflow import Clock

ROLE = Role.CURATOR
APPOINTMENT_PROCESS = "mentor_appointment"
# the appointment process's steps before the order is signed: its candidate is «предложен(а)»
PROPOSAL_STEPS = (FormId.PROPOSE_MENTOR, FormId.SIGN_ORDER)


@dataclass(frozen=True)
class EditScope:
    """One organization whose registries the curator edits, and what its regulation pack asks of an entry."""

    organization: Organization
    pack: RegulationPack
    decides_category: bool  # the pack's category ruleset decides the category (003 §3.6.1)
    categories: tuple[MenteeCategory, ...]  # otherwise the curator names one of these (001 §1.1, 004 прил. 2)
    network: bool  # trainees are entered on the network desk with their direction (004 III.3)

    @property
    def name(self) -> str:
        return self.organization.short_name or self.organization.name


def curator_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organizations where the actor is the curator, in id order."""
    held = actor.organizations(ROLE)
    if not held:
        raise PermissionDenied(f"{actor.full_name or actor.login}: базы наставников и наставляемых ведёт куратор "
                               "(003 §3.3)")
    return list(session.scalars(select(Organization).where(Organization.id.in_(held)).order_by(Organization.id)))


def edit_scope(session: Session, actor: Actor, organization_id: int | None) -> EditScope:
    """The organization ``organization_id`` (None: the curator's first) as the forms need it; refused unless
    the actor is its curator."""
    if organization_id is None:
        organization_id = curator_organizations(session, actor)[0].id
    actor.require(organization_id, ROLE, action="ведение баз наставников и наставляемых")
    organization = organization_by_id(session, organization_id)
    pack = pack_of(organization)
    return EditScope(organization, pack, pack.ruleset("mentee_category") is not None,
                     pack.categories_for(organization.kind), runs_network(pack, organization.kind))


def _people_of(session: Session, organization: Organization):
    """SELECT of the active, not anonymized people of the organization's tree (by workplace or a role held there)."""
    places = subtree(session, {organization.id})
    role_holders = select(RoleAssignment.person_id).where(RoleAssignment.organization_id == organization.id,
                                                          RoleAssignment.active.is_(True))
    return (select(Person).where(Person.is_active.is_(True), Person.anonymized_at.is_(None),
                                 or_(Person.organization_id.in_(places), Person.id.in_(role_holders)))
            .options(joinedload(Person.organization)).order_by(Person.full_name, Person.id))


def _searched(stmt, query: str):
    patterns = name_patterns(query)
    return stmt.where(or_(*(Person.full_name.ilike(p, escape="\\") for p in patterns))) if patterns else stmt


def _log_shown(session: Session, actor: Actor, people: list[Person], purpose: str) -> None:
    log_shown(session, people, purpose, viewer=actor.person_id, fields=["full_name", "position", "organization"])


# -- the base of mentees ---------------------------------------------------------------------------

def mentee_candidates(session: Session, actor: Actor, organization_id: int, *, query: str = "", page: int = 1,
                      size: int = 20) -> Page[Person]:
    """People the curator may enter in the base of mentees: the organization's tree's active people who are
    not waiting for a pair or in a program there, searched by name."""
    scope = edit_scope(session, actor, organization_id)
    entered = select(Mentee.person_id).where(Mentee.organization_id == scope.organization.id,
                                             Mentee.status.in_(mentee_registry.OPEN_STATUSES))
    stmt = _searched(_people_of(session, scope.organization).where(Person.id.not_in(entered)), query)
    found = paginate(session, stmt, page, size)
    _log_shown(session, actor, found.rows, "кандидаты в базу наставляемых")
    return Page.of(found)


def add_mentee(session: Session, actor: Actor, organization_id: int, person_id: int, *, category: str | None = None,
               clock: Clock | None = None) -> Mentee:
    """The curator enters the person in the base of mentees (``mentee_registry.register_mentee``): the pack's
    category ruleset decides the category and roadmap (003 §3.6.1), or the curator names the category and the
    pack's eligibility ruleset checks it (001 §1.1). A refusal by the rules is ``MenteeRefused`` carrying the
    whole decision (each criterion passed, failed or without data, with its message and clause); nothing is
    stored. The entry is audited."""
    scope = edit_scope(session, actor, organization_id)
    if scope.network:
        raise NastavnikError(f"{scope.name}: стажёров сетевого наставничества вносят на странице «Сетевое "
                             "наставничество» вместе с направлением, в котором нужна помощь (004 I.3, III.3)",
                             where="person_id")
    if category is not None and scope.decides_category:
        category = None  # the rules decide it (003 §3.6.1); the curator's choice is not asked
    entry = mentee_registry.register_mentee(session, actor, scope.organization.id, person_id, category=category,
                                            clock=clock)
    if entry.person_id != actor.person_id:
        log_access(session, entry.person, "внесение в базу наставляемых", viewer=actor.person_id,
                   fields=["full_name", "rule_facts", "category"])
    record_audit(session, "mentee.registered", actor=actor.person_id, obj=entry, organization=scope.organization.id,
                 details={"person": entry.person.full_name, "category": entry.category,
                          "decision_id": entry.decision_id})
    return entry


# -- the base of mentors -----------------------------------------------------------------------------

def proposed_candidates(session: Session, organization_id: int) -> dict[int, WorkflowInstance]:
    """Person id → the appointment process still running for them in the organization before the order is
    signed (the candidate proposed: the eligibility step back with the curator, or the order with the head)."""
    found: dict[int, WorkflowInstance] = {}
    for instance in session.scalars(select(WorkflowInstance).where(
            WorkflowInstance.kind == APPOINTMENT_PROCESS, WorkflowInstance.organization_id == organization_id,
            WorkflowInstance.status == InstanceStatus.RUNNING.value).order_by(WorkflowInstance.id)):
        candidate = (instance.subject or {}).get("candidate_id")
        if isinstance(candidate, int) and any(t.form_id in PROPOSAL_STEPS for t in instance.open_tasks):
            found.setdefault(candidate, instance)
    return found


def mentor_candidates(session: Session, actor: Actor, organization_id: int, *, query: str = "", page: int = 1,
                      size: int = 20, today: date | None = None) -> Page[Person]:
    """People the curator may propose as mentor candidates: the organization's tree's active people neither
    appointed there today nor proposed in a running appointment process, searched by name."""
    scope = edit_scope(session, actor, organization_id)
    today = today or organization_today(session, scope.organization)
    busy = set(proposed_candidates(session, scope.organization.id))
    appointed = appointed_on_stmt(today, organization_id=scope.organization.id).with_only_columns(
        MentorAppointment.person_id)  # the appointments in force there (signed, within the term)
    stmt = _searched(_people_of(session, scope.organization).where(Person.id.not_in(appointed)), query)
    if busy:
        stmt = stmt.where(Person.id.not_in(busy))
    found = paginate(session, stmt, page, size)
    _log_shown(session, actor, found.rows, "кандидаты в наставники")
    return Page.of(found)


def propose_candidate(session: Session, actor: Actor, organization_id: int, person_id: int, *,
                      direction: str | None = None, today: date | None = None,
                      clock: Clock | None = None) -> WorkflowInstance:
    """The curator proposes a mentor candidate (003 §3.3): the appointment process starts
    (``mentor_appointment.propose_mentor``), its eligibility step decides by the pack's rules (003 §3.5,
    004 II.2) and, the candidate eligible, the head's order waits for signature. Refused for a person already
    appointed there or proposed in a running process; a network mentor needs the direction (004 II.2)."""
    scope = edit_scope(session, actor, organization_id)
    day = today or organization_today(session, scope.organization, clock)
    person = session.get(Person, person_id)
    if person is not None:
        running = proposed_candidates(session, scope.organization.id).get(person.id)
        if running is not None:
            raise NastavnikError(f"{person.full_name} уже предложен(а) в наставники: процесс назначения "
                                 f"№{running.id} ещё идёт", where="person_id")
        if is_appointed(session, person.id, day, organization_id=scope.organization.id):
            raise NastavnikError(f"{person.full_name} уже назначен(а) наставником приказом, срок полномочий "
                                 "действует (003 §3.4)", where="person_id")
    if scope.network:
        direction = " ".join((direction or "").split())
        if not direction:
            raise NastavnikError("укажите направление профессиональной деятельности сетевого наставника (004 II.2)",
                                 where="direction")
        if len(direction) > 200:
            raise NastavnikError("направление — не длиннее 200 знаков", where="direction")
    else:
        direction = None
    instance = mentor_appointment.propose_mentor(session, actor, scope.organization.id, person_id,
                                                 direction=direction, clock=clock)
    record_audit(session, "mentor.proposed", actor=actor.person_id, object_type="workflow_instance",
                 object_id=instance.id, organization=scope.organization.id,
                 details={"person_id": person_id, "direction": direction})
    return instance


@dataclass
class MentorProposal:
    """What the appointment process decided about a candidate and what it waits for now."""

    instance: WorkflowInstance
    person: Person | None
    decision: dict | None
    explanation: list[str]
    waiting_for: list[str]  # names of the open steps
    state: str  # 'awaiting_order' | 'needs_data' | 'not_eligible' | 'appointed' | 'ended'


def proposal(session: Session, actor: Actor, instance_id: int) -> MentorProposal:
    """The outcome of a mentor appointment process, for the curator of its organization."""
    instance = session.get(WorkflowInstance, instance_id)
    if instance is None or instance.kind != APPOINTMENT_PROCESS:
        raise NotFound(f"нет процесса назначения наставника №{instance_id}")
    actor.require(instance.organization_id, ROLE, action="просмотр предложения кандидата в наставники")
    data = instances.snapshot(session, instance_id).data
    candidate = (instance.subject or {}).get("candidate_id")
    person = session.get(Person, candidate) if isinstance(candidate, int) else None
    decision = data.get("decision") if isinstance(data.get("decision"), dict) else None
    forms = {t.form_id for t in instance.open_tasks}
    if FormId.SIGN_ORDER in forms:
        state = "awaiting_order"
    elif FormId.PROPOSE_MENTOR in forms:
        state = "needs_data"
    elif decision is not None and decision.get("verdict") == "not_eligible":
        state = "not_eligible"
    elif data.get("appointment_status") == "appointed" or instance.status == InstanceStatus.RUNNING:
        state = "appointed"
    else:
        state = "ended"
    if person is not None and person.id != actor.person_id:
        log_access(session, person, "предложение кандидата в наставники", viewer=actor.person_id,
                   fields=["full_name", "rule_facts"])
    return MentorProposal(instance, person, decision, [str(line) for line in data.get("explanation") or []],
                          [t.name for t in instance.open_tasks], state)
