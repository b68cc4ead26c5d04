"""The mentee registry (003 §3.3, §3.6.1): the curator enters a person as a mentee, the category decided by the
pack's ruleset or named by the curator and checked by its eligibility ruleset."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from engine.db.models import Mentee, Person, Role
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NastavnikError
from engine.regulations import RegulationPack, pack_of
from engine.regulations.pack import MenteeCategory
from engine.rules import default_registry
from engine.services.mentorship.formation import active_person_by_id, facts_for, organization_by_id
from engine.services.mentorship.records import grant_role, record_decision
from engine.services.people.actor import Actor
from engine.services.process.domain import domain_of
from engine.workflow import Clock


def offered_categories(session: Session, actor: Actor, organization_id: int) -> tuple[MenteeCategory, ...]:
    """The mentee categories the organization's curator chooses from: those of its pack for its kind of
    organization (a school's base by 004 прил. 2 п. 2.1, a kindergarten's by 004 прил. 3 п. 2.1)."""
    actor.require(organization_id, Role.CURATOR, action="внесение в базу наставляемых")
    organization = organization_by_id(session, organization_id)
    return pack_of(organization).categories_for(organization.kind)


def register_mentee(session: Session, actor: Actor, organization_id: int, person_id: int, *,
                    category: str | None = None, clock: Clock | None = None) -> Mentee:
    """The curator enters a person in the mentee registry. Where the organization's regulation pack has a
    category ruleset (003 §3.6.1) it decides the category and roadmap; otherwise the curator names one of the
    pack's categories (004 I.3: стажёры), and a mentee eligibility ruleset, where the pack has one, checks the
    person belongs to it (001 §1.1: обучающиеся от 10 лет, педагогические работники) on the clock's day."""
    actor.require(organization_id, Role.CURATOR, action="внесение в базу наставляемых")
    person = active_person_by_id(session, person_id)
    organization = organization_by_id(session, organization_id)
    pack = pack_of(organization)
    today = (clock or domain_of(session).clock).now().date()
    ruleset = pack.ruleset("mentee_category")
    decision, decision_id = None, None
    if ruleset is not None:
        decision = default_registry().decide(ruleset, facts_for(ruleset, person))
        found = pack.category_for_roadmap(str(decision["outputs"].get("roadmap_id") or ""))
        if decision["verdict"] != "categorized" or found is None:
            reasons = "; ".join(c["message"] for c in decision["criteria"] if c["passed"] is not True)
            raise NastavnikError(f"{person.full_name}: {decision['verdict_label']}. {reasons}",
                                 where=found.clause if found else pack.seed)
        row = record_decision(session, decision, actor=actor, person_id=person.id)
        if row is None:  # a decision of the registry always names its ruleset, so it is always recorded
            raise NastavnikError(f"{person.full_name}: решение о категории не записано", where=ruleset)
        category, decision_id = found.id, row.id
    elif category is None:
        raise NastavnikError(f"{person.full_name}: укажите категорию наставляемого; положение допускает: "
                             + "; ".join(c.label for c in pack.categories_for(organization.kind)), where="category")
    else:  # only a category of this kind of organization (004 прил. 2 п. 2.1 школы, прил. 3 п. 2.1 ДОУ)
        category = pack.category(category, organization.kind).id
        decision, decision_id = mentee_eligibility(session, actor, pack, person, category, today)
    mentee = Mentee(person_id=person.id, organization_id=organization_id, category=category, decision=decision,
                    decision_id=decision_id, status=MenteeStatus.WAITING.value, registered_on=today)
    session.add(mentee)
    grant_role(session, person.id, organization_id, Role.MENTEE)
    session.flush()
    return mentee


def mentee_eligibility(session: Session, actor: Actor, pack: RegulationPack, person: Person, category: str,
                        today: date) -> tuple[dict | None, int | None]:
    """The pack's mentee eligibility ruleset on the person and the curator's category (001 §1.1); refused with
    every failed criterion's message; (None, None) where the pack has no such ruleset."""
    ruleset = pack.ruleset("mentee_eligibility")
    if ruleset is None:
        return None, None
    decision = default_registry().decide(ruleset, {**facts_for(ruleset, person, today), "category": category})
    if decision["verdict"] != "eligible":
        reasons = " ".join(c["message"] for c in decision["criteria"] if c["passed"] is not True)
        raise NastavnikError(f"{person.full_name}: {decision['verdict_label']}. {reasons}",
                             where=pack.category(category).clause)
    row = record_decision(session, decision, actor=actor, person_id=person.id)
    return decision, row.id if row is not None else None
