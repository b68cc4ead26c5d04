"""Proposing a pair (group), 003 §6.2 (by the criteria of §6.1): whom the curator may choose (mentors appointed by order, 003 §3.4;
mentees waiting in the registry), a check of the choice by the rules WITHOUT starting anything (the
mentor eligibility ruleset of the organization's regulation, the mentee categories, 003 §3.5, §3.6.1),
and the outcome of a started pair-formation process with its explanation."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.db.models import (
    Mentee,
    MentoringGroup,
    Organization,
    Person,
    Role,
    WorkflowInstance,
    currently_appointed,
    is_appointed,
    log_access,
)
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.regulations import pack_of
from engine.rules import decide
from engine.services.mentorship.basics import facts_for, mentor_ruleset, person_in_organization, require_active
from engine.services.mentorship.engagement import engaged_elsewhere
from engine.services.people.actor import Actor
from engine.services.process import instances
from engine.services.process.domain import organization_today

ROLE = Role.CURATOR


@dataclass
class ProposalOptions:
    organization: Organization
    mentors: list[Person]  # appointed and in term today
    mentees: list[Mentee]  # waiting in the registry
    forms: list[tuple[str, str]] = field(default_factory=list)  # (form id, label with the categories it is for)


@dataclass
class PairCheck:
    mentor: Person
    mentor_appointed: bool
    mentor_decision: dict
    mentees: list[tuple[Person, Mentee | None, dict | None]] = field(default_factory=list)  # entry None: not waiting
    engaged: dict[int, str] = field(default_factory=dict)  # person id -> the other pending or running pair

    @property
    def eligible(self) -> bool:
        return self.mentor_decision.get("verdict") == "eligible"


@dataclass
class ProposalOutcome:
    instance: WorkflowInstance
    group: MentoringGroup | None
    decision: dict | None
    mentee_decisions: list[dict]
    explanation: list[str]
    waiting_for: list[str]  # names of the open steps

    @property
    def refused(self) -> bool:
        return self.decision is not None and self.decision.get("verdict") == "not_eligible"


def _curator_org(session: Session, actor: Actor, organization_id: int) -> Organization:
    if not actor.has_role(organization_id, ROLE):
        raise PermissionDenied(f"{actor.full_name or actor.login}: пары (группы) формирует куратор организации "
                               "(003 §6.2)")
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(f"нет организации с номером {organization_id}")
    return organization


def proposal_options(session: Session, actor: Actor, organization_id: int, today: date | None = None) -> ProposalOptions:
    """Who the curator may pair on ``today`` (default: the organization's local day by the domain's clock)."""
    organization = _curator_org(session, actor, organization_id)
    today = today or organization_today(session, organization)
    mentors: dict[int, Person] = {}
    for appointment in currently_appointed(session, today, organization_id=organization_id):
        if appointment.person.is_active:  # a deactivated person is offered for no new pair (issue 12)
            mentors.setdefault(appointment.person_id, appointment.person)
    waiting = [m for m in session.scalars(
        select(Mentee).where(Mentee.organization_id == organization_id, Mentee.status == MenteeStatus.WAITING.value)
        .join(Person, Person.id == Mentee.person_id).where(Person.is_active.is_(True))
        .options(joinedload(Mentee.person).joinedload(Person.organization)).order_by(Mentee.registered_on, Mentee.id))
        if engaged_elsewhere(session, m.person_id) is None]  # not offered while in a pending pair
    return ProposalOptions(organization, sorted(mentors.values(), key=lambda p: p.full_name), waiting,
                           form_choices(organization))


def form_choices(organization: Organization) -> list[tuple[str, str]]:
    """The forms of mentorship of the organization's pack, a model with the categories it is for (003 §2.4)."""
    pack = pack_of(organization)
    choices = []
    for form in pack.forms_for(organization.kind):
        label = f"{form.label} ({form.clause})"
        if form.mentee_categories:
            label += " — для категорий: " + "; ".join(pack.category(c).label for c in form.mentee_categories)
        choices.append((form.id, label))
    return choices


def curator_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organizations where the actor is curator, in id order (the pair form's choice)."""
    return list(session.scalars(select(Organization).where(Organization.id.in_(actor.organizations(ROLE)))
                                .order_by(Organization.id)))


def candidate_of_organization(session: Session, actor: Actor, organization_id: int, person_id: int) -> Person | None:
    """A person of the curator's organization proposed as mentor without an appointment (from a person's
    card): shown for a check only; None when there is no such person in that organization."""
    organization = _curator_org(session, actor, organization_id)
    try:
        return _person_of_organization(session, organization, person_id)
    except NastavnikError:
        return None


def _person_of_organization(session: Session, organization: Organization, person_id: int,
                            where: str = "mentor_id") -> Person:
    return require_active(person_in_organization(session, organization, person_id, where=where), where=where)


def check_pair(session: Session, actor: Actor, organization_id: int, mentor_id: int, mentee_ids: list[int],
               today: date | None = None) -> PairCheck:
    """The rules on the chosen people as the pair-formation process would run them, nothing started (on
    ``today``, default: the organization's local day by the domain's clock)."""
    organization = _curator_org(session, actor, organization_id)
    today = today or organization_today(session, organization)
    mentor = _person_of_organization(session, organization, mentor_id)
    ruleset, category_ruleset = mentor_ruleset(organization), pack_of(organization).ruleset("mentee_category")
    check = PairCheck(mentor, is_appointed(session, mentor.id, today, organization_id=organization_id),
                      decide(ruleset, facts_for(ruleset, mentor)))
    for person_id in mentee_ids:
        person = _person_of_organization(session, organization, person_id, "mentee_ids")
        entry = session.scalar(select(Mentee).where(
            Mentee.person_id == person_id, Mentee.organization_id == organization_id,
            Mentee.status == MenteeStatus.WAITING.value))
        # the pack's category ruleset (003 §3.6.1), where the pack decides categories by rules
        category = decide(category_ruleset, facts_for(category_ruleset, person)) if category_ruleset else None
        check.mentees.append((person, entry, category))
        other = engaged_elsewhere(session, person_id)
        if other is not None:
            check.engaged[person_id] = (other.describe() if other.group.organization_id == organization_id
                                        else "пара (группа) другой организации")
    for person in [mentor, *(p for p, _e, _d in check.mentees)]:
        if person.id != actor.person_id:
            log_access(session, person, "проверка требований при формировании пары", viewer=actor.person_id,
                       fields=["rule_facts"])
    return check


def proposal_outcome(session: Session, actor: Actor, instance_id: int) -> ProposalOutcome:
    """What the pair-formation process decided: the mentor's eligibility with its criteria, the mentees'
    categories, and what it waits for now."""
    instance = session.get(WorkflowInstance, instance_id)
    if instance is None or instance.kind != "pair_formation":
        raise NotFound(f"нет процесса формирования пары №{instance_id}")
    _curator_org(session, actor, instance.organization_id)
    data = instances.snapshot(session, instance_id).data
    group = session.get(MentoringGroup, (instance.subject or {}).get("group_id"))
    return ProposalOutcome(instance, group, data.get("decision") if isinstance(data.get("decision"), dict) else None,
                           [d for d in data.get("mentee_decisions") or [] if isinstance(d, dict)],
                           [str(line) for line in data.get("explanation") or []],
                           [t.name for t in instance.open_tasks])
