"""What a correction of a person's rule facts re-evaluates (003 §3.3), in one of the curator's organizations:

- a mentee entry waiting for a pair or in a program (``mentee_reevaluation``): the pack's category ruleset
  (003 §3.6.1) — or, where the curator names the category, the pack's eligibility ruleset (001 §1.1) — runs again
  and its decision is recorded as a NEW ``Decision`` row; the earlier ones stay. The new decision's body names what
  it re-evaluates (``reevaluation``: the entry, the previous decision, the facts changed). While the entry waits for
  a pair (and no pair with it is being formed), a decision that still places the person in a category becomes the
  entry's decision — with the category and roadmap it names; once a pair is being formed or a program runs, a
  discrepancy is flagged instead; a decision that places the person in no category is never applied.
- an appointed mentor or a candidate whose appointment process is running (``mentor_reevaluations``): the mentor
  ruleset runs again, is recorded and shown; nothing about the appointment changes automatically.

The correction itself is in ``fact_corrections``; what the person's card flags afterwards in ``fact_discrepancies``."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import (
    Decision,
    Mentee,
    MentorAppointment,
    Organization,
    Person,
    WorkflowInstance,
    appointed_on_stmt,
)
from engine.db.models.mentorship import MenteeStatus
from engine.errors import NotFound
from engine.regulations import RegulationPack, pack_of
from engine.rules import default_registry
from engine.services.curation.registry_edits import proposed_candidates
from engine.services.mentorship.basics import facts_for
from engine.services.mentorship.engagement import engaged_elsewhere
from engine.services.mentorship.records import record_decision
from engine.services.people.actor import Actor
from engine.services.people.person_fields import Change


@dataclass
class Reevaluation:
    """One decision re-evaluated after the correction: what it was, what it is now, what was done."""

    kind: str  # 'mentee' | 'mentor' | 'candidate'
    organization: Organization
    before: dict | None
    after: dict
    decision_id: int | None
    entry: Mentee | None = None
    appointment: MentorAppointment | None = None
    instance: WorkflowInstance | None = None
    category_change: tuple[str, str] | None = None  # (old, new) applied to a waiting entry
    applied: bool = False  # the new decision became the entry's
    flag: str | None = None  # a discrepancy for the curator


def latest_decision(session: Session, person_id: int, ruleset: str) -> Decision | None:
    """The person's latest decision by ``ruleset``."""
    return session.scalar(select(Decision).where(Decision.person_id == person_id, Decision.ruleset_id == ruleset)
                          .order_by(Decision.id.desc()).limit(1))


def _with_reason(decision: dict, changes: list[Change], previous_id: int | None, **subject: int) -> dict:
    return {**decision, "reevaluation": {"reason": "исправление сведений куратором", "previous_decision_id": previous_id,
                                         "changed": [c.label for c in changes], **subject}}


def failed_sources(decision: dict) -> str:
    """The clauses of the criteria a decision did not find met (or could not check), once each."""
    clauses = dict.fromkeys(str(c.get("source")) for c in decision.get("criteria") or []
                            if c.get("passed") is not True and c.get("source"))
    return ", ".join(clauses)


def mentee_reevaluation(session: Session, actor: Actor, organization: Organization, entry: Mentee,
                        changes: list[Change], today: date) -> Reevaluation | None:
    pack, person = pack_of(organization), entry.person
    ruleset = pack.ruleset("mentee_category")
    if ruleset is not None:
        decision = default_registry().decide(ruleset, facts_for(ruleset, person))
        found = pack.category_for_roadmap(str(decision["outputs"].get("roadmap_id") or ""))
        category = found.id if decision["verdict"] == "categorized" and found is not None else None
    else:
        ruleset = pack.ruleset("mentee_eligibility")
        if ruleset is None:
            return None  # the curator's category, checked by no rule: nothing to re-evaluate
        decision = default_registry().decide(ruleset, {**facts_for(ruleset, person, today), "category": entry.category})
        category = entry.category if decision["verdict"] == "eligible" else None
    previous = entry.decision_record or latest_decision(session, person.id, ruleset)
    body = _with_reason(decision, changes, previous.id if previous else None, mentee_id=entry.id)
    row = record_decision(session, body, actor=actor, person_id=person.id)
    result = Reevaluation("mentee", organization, entry.decision or (previous.body if previous else None), body,
                          row.id if row else None, entry=entry)
    old_label = category_label(pack, entry.category)
    free = entry.status == MenteeStatus.WAITING and engaged_elsewhere(session, person.id) is None
    missing = " ".join(c["message"] for c in decision["criteria"] if c["passed"] is None)
    if category is None and missing:  # a category (or the roadmap) not decided for lack of data
        result.flag = (f"по исправленным сведениям категорию {person.full_name} не определить — не хватает данных: "
                       f"{missing} Запись в базе не изменена (категория «{old_label}»)")
    elif category is None:
        result.flag = (f"по исправленным сведениям {person.full_name} не относится к категории «{old_label}» "
                       f"({failed_sources(decision) or pack.seed}): запись в базе не изменена — решите, оставить ли её")
    elif free:
        if category != entry.category:
            result.category_change = (entry.category, category)
            entry.category = category
        entry.decision, entry.decision_id = body, result.decision_id
        result.applied = True
    elif category != entry.category:
        where = "в программе" if entry.status == MenteeStatus.IN_PROGRAM else "в формируемой паре (группе)"
        result.flag = (f"{person.full_name} {where} по категории «{old_label}», а по исправленным сведениям — "
                       f"«{category_label(pack, category)}» ({pack.category(category).clause}): категория и "
                       "дорожная карта программы автоматически не меняются")
    session.flush()
    return result


def category_label(pack: RegulationPack, category: str | None) -> str:
    """A category's label in the pack («без категории» for none; an id the pack no longer has is shown as is)."""
    if not category:
        return "без категории"
    try:
        return pack.category(category).label
    except NotFound:  # a category the pack no longer has is shown by its id
        return category


def mentor_reevaluations(session: Session, actor: Actor, organization: Organization, person: Person,
                         changes: list[Change], today: date) -> list[Reevaluation]:
    pack = pack_of(organization)
    ruleset = pack.ruleset("mentor_eligibility")
    if ruleset is None:
        return []
    appointment = session.scalars(appointed_on_stmt(today, organization_id=organization.id, person_id=person.id)
                                  .order_by(MentorAppointment.ends_on.desc())).first()
    instance = proposed_candidates(session, organization.id).get(person.id)
    if appointment is None and instance is None:
        return []
    previous = latest_decision(session, person.id, ruleset)
    decision = default_registry().decide(ruleset, facts_for(ruleset, person))
    subject = ({"appointment_id": appointment.id} if appointment is not None
               else {"instance_id": instance.id} if instance is not None else {})
    body = _with_reason(decision, changes, previous.id if previous else None, **subject)
    row = record_decision(session, body, actor=actor, person_id=person.id)
    result = Reevaluation("mentor" if appointment is not None else "candidate", organization,
                          previous.body if previous else None, body, row.id if row else None,
                          appointment=appointment, instance=instance)
    if decision["verdict"] != "eligible":
        clause = failed_sources(decision) or pack.seed
        if appointment is not None:
            result.flag = (f"{person.full_name} больше не соответствует требованиям к наставнику ({clause}): "
                           "назначение приказом не меняется автоматически — решите, нужно ли освобождение")
        elif instance is not None:
            result.flag = (f"кандидат {person.full_name} больше не соответствует требованиям к наставнику ({clause}): "
                           f"процесс назначения №{instance.id} идёт по прежнему решению")
    return [result]
