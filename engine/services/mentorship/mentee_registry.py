"""The mentee registry (003 §3.3, §3.6.1): the curator enters a person as a mentee, the category decided by the
pack's ruleset or named by the curator and checked by its eligibility ruleset."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Mentee, Person, Role
from engine.db.models.mentorship import MenteeStatus
from engine.errors import Disclosure, NastavnikError
from engine.regulations import RegulationPack, pack_of
from engine.regulations.pack_parts import MenteeCategory
from engine.rules import default_registry
from engine.services.mentorship.basics import facts_for, organization_by_id, person_for_registry
from engine.services.mentorship.records import grant_role, record_decision
from engine.services.people.actor import Actor
from engine.services.process.domain import organization_today
from engine.workflow import Clock

OPEN_STATUSES = (MenteeStatus.WAITING.value, MenteeStatus.IN_PROGRAM.value)


class MenteeRefused(NastavnikError):
    """The rules refused the person: ``decision`` is the whole decision (each criterion with its message and
    clause) for the curator to read; nothing is stored."""

    def __init__(self, message: str, *, where: str | None = None, decision: dict | None = None,
                 summary: str | None = None) -> None:
        super().__init__(message, where=where)
        self.decision: dict = decision or {}
        self.summary = summary or message  # the person and the verdict, without the reasons (shown apart)


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
    organization = organization_by_id(session, organization_id)
    person = person_for_registry(session, organization, person_id, where="person_id")
    already = session.scalar(select(Mentee).where(Mentee.person_id == person.id, Mentee.organization_id == organization_id,
                                                  Mentee.status.in_(OPEN_STATUSES)))
    if already is not None:
        state = "ожидает пары" if already.status == MenteeStatus.WAITING else "в программе"
        raise NastavnikError(f"{person.full_name} уже в базе наставляемых с {already.registered_on:%d.%m.%Y} "
                             f"({state})", where="person_id")
    pack = pack_of(organization)
    today = organization_today(session, organization, clock)
    ruleset = pack.ruleset("mentee_category")
    decision, decision_id = None, None
    if ruleset is not None:
        decision = default_registry().decide(ruleset, facts_for(ruleset, person))
        found = pack.category_for_roadmap(str(decision["outputs"].get("roadmap_id") or ""))
        if decision["verdict"] != "categorized" or found is None:
            reasons = " ".join(c["message"] for c in decision["criteria"] if c["passed"] is not True)
            raise _refused(actor, person, f"{person.full_name}: {decision['verdict_label']}. {reasons}",
                           found.clause if found else pack.seed, decision)
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
        raise _refused(actor, person, f"{person.full_name}: {decision['verdict_label']}. {reasons}",
                       pack.category(category).clause, decision)
    row = record_decision(session, decision, actor=actor, person_id=person.id)
    return decision, row.id if row is not None else None


def _refused(actor: Actor, person: Person, message: str, where: str | None, decision: dict) -> MenteeRefused:
    """The refusal with its decision; the person's name and rule facts it shows go to the access log."""
    refused = MenteeRefused(message, where=where, decision=decision,
                            summary=f"{person.full_name} — {decision.get('verdict_label') or decision.get('verdict')}")
    if person.id != actor.person_id:
        refused.disclosing(Disclosure(person.id, actor.person_id, "внесение в базу наставляемых: отказ",
                                      ("full_name", "rule_facts")))
    return refused
