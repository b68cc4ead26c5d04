"""The curator corrects a person's rule facts (years as head, efficiency %, …) and sees the decisions that
rest on them re-evaluated (003 §3.3: the curator keeps the personified record of mentors and mentees and
updates it, at least yearly).

Only the facts the organization's rule files read are corrected here (``person_fields`` filtered to the rule
facts, with the date of birth where a rule reads the age); every change is audited old → new
(``apply_values``). Then, in each of the curator's organizations the person belongs to:

- a mentee entry waiting for a pair or in a program: the pack's category ruleset (003 §3.6.1) — or, where the
  curator names the category, the pack's eligibility ruleset (001 §1.1) — runs again and its decision is
  recorded as a NEW ``Decision`` row; the earlier ones stay (the person's decision history). The new decision's
  body names what it re-evaluates (``reevaluation``: the entry, the previous decision, the facts changed), so
  the decisions about an entry form a chain from ``Mentee.decision_id`` back. While the entry waits for a pair
  (and no pair with it is being formed), a decision that still places the person in a category becomes the
  entry's decision — with the category and roadmap it names, changed if they differ. Once a pair is being
  formed or a program runs, the entry keeps the category its program was formed on and the curator sees the
  discrepancy flagged (on the correction's page, and on the person's card for as long as it lasts: ``discrepancies``); a decision that no longer places the person in any category (or in the named one) is
  never applied — the entry stays and is flagged for the curator to decide.
- an appointed mentor (signed order, term in force) or a candidate whose appointment process is still
  running: the pack's mentor ruleset runs again, is recorded and shown; nothing about the appointment changes
  automatically — a mentor who no longer meets the requirements is flagged «больше не соответствует требованиям
  (003 §3.5)» for the curator (the regulation leaves the release to the head's order)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
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
    log_access,
)
from engine.db.models.mentorship import MenteeStatus
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.errors import NotFound, PermissionDenied, ProblemsError
from engine.regulations import RegulationPack, pack_of
from engine.rules import default_registry
from engine.services.curation.registry_edits import curator_organizations, proposed_candidates
from engine.services.mentorship import mentee_registry
from engine.services.mentorship.basics import belongs_to, facts_for
from engine.services.mentorship.engagement import engaged_elsewhere
from engine.services.mentorship.records import record_decision
from engine.services.people.actor import Actor
from engine.services.people.person_fields import (
    DERIVED_FROM,
    Change,
    FieldProblem,
    PersonField,
    apply_values,
    current_value,
    parse_values,
    person_fields,
    shown,
)
from engine.services.process.domain import organization_today
from engine.workflow import Clock

PERSON_RULESETS = ("mentor_eligibility", "mentee_category", "mentee_eligibility")
AUDIT_ACTION = "person.facts_corrected"


class FactProblems(ProblemsError):
    """The facts sent are refused field by field (``problems``: ``FieldProblem``); nothing is changed."""

    when_none = "сведения не приняты"


@dataclass(frozen=True)
class FactForm:
    person: Person
    organizations: list[Organization]  # the curator's organizations the person belongs to
    fields: tuple[PersonField, ...]
    values: dict[str, object]  # the current value of each field


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


@dataclass
class Correction:
    person: Person
    changes: list[Change]
    reevaluations: list[Reevaluation] = field(default_factory=list)
    shown: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new) as a person reads them


def _organizations_of(session: Session, actor: Actor, person: Person) -> list[Organization]:
    ours = []
    for organization in curator_organizations(session, actor):
        entered = session.scalar(select(Mentee.id).where(Mentee.person_id == person.id,
                                                         Mentee.organization_id == organization.id).limit(1))
        appointed = session.scalar(select(MentorAppointment.id).where(
            MentorAppointment.person_id == person.id, MentorAppointment.organization_id == organization.id).limit(1))
        if belongs_to(person, organization) or entered or appointed:
            ours.append(organization)
    return ours


def fact_fields(organizations: list[Organization]) -> tuple[PersonField, ...]:
    """The facts the organizations' person rule files read (one field per fact), with the date of birth where
    a rule reads the age computed from it."""
    sources = set(DERIVED_FROM.values())
    found: dict[str, PersonField] = {}
    for organization in organizations:
        for item in person_fields(organization):
            if (item.is_fact or item.name in sources) and item.name not in found:
                found[item.name] = item
    return tuple(found.values())


def fact_form(session: Session, actor: Actor, person_id: int) -> FactForm:
    """The person's rule facts as the curator corrects them; only a person of her organizations (a workplace or
    role there, an entry in its base of mentees or an appointment). The reading is logged (152-ФЗ)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    organizations = _organizations_of(session, actor, person)
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: {person.full_name} не относится к вашим "
                               "организациям")
    fields = fact_fields(organizations)
    if person.id != actor.person_id:
        log_access(session, person, "сведения для правил", viewer=actor.person_id, fields=[f.name for f in fields])
    return FactForm(person, organizations, fields, {f.name: current_value(person, f.name) for f in fields})


def _previous(session: Session, person_id: int, ruleset: str) -> Decision | None:
    return session.scalar(select(Decision).where(Decision.person_id == person_id, Decision.ruleset_id == ruleset)
                          .order_by(Decision.id.desc()).limit(1))


def _with_reason(decision: dict, changes: list[Change], previous_id: int | None, **subject: int) -> dict:
    return {**decision, "reevaluation": {"reason": "исправление сведений куратором", "previous_decision_id": previous_id,
                                         "changed": [c.label for c in changes], **subject}}


def _sources(decision: dict) -> str:
    clauses = dict.fromkeys(str(c.get("source")) for c in decision.get("criteria") or []
                            if c.get("passed") is not True and c.get("source"))
    return ", ".join(clauses)


def _mentee_reevaluation(session: Session, actor: Actor, organization: Organization, entry: Mentee,
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
    previous = entry.decision_record or _previous(session, person.id, ruleset)
    body = _with_reason(decision, changes, previous.id if previous else None, mentee_id=entry.id)
    row = record_decision(session, body, actor=actor, person_id=person.id)
    result = Reevaluation("mentee", organization, entry.decision or (previous.body if previous else None), body,
                          row.id if row else None, entry=entry)
    old_label = _category_label(pack, entry.category)
    free = entry.status == MenteeStatus.WAITING and engaged_elsewhere(session, person.id) is None
    missing = " ".join(c["message"] for c in decision["criteria"] if c["passed"] is None)
    if category is None and missing:  # a category (or the roadmap) not decided for lack of data
        result.flag = (f"по исправленным сведениям категорию {person.full_name} не определить — не хватает данных: "
                       f"{missing} Запись в базе не изменена (категория «{old_label}»)")
    elif category is None:
        result.flag = (f"по исправленным сведениям {person.full_name} не относится к категории «{old_label}» "
                       f"({_sources(decision) or pack.seed}): запись в базе не изменена — решите, оставить ли её")
    elif free:
        if category != entry.category:
            result.category_change = (entry.category, category)
            entry.category = category
        entry.decision, entry.decision_id = body, result.decision_id
        result.applied = True
    elif category != entry.category:
        where = "в программе" if entry.status == MenteeStatus.IN_PROGRAM else "в формируемой паре (группе)"
        result.flag = (f"{person.full_name} {where} по категории «{old_label}», а по исправленным сведениям — "
                       f"«{_category_label(pack, category)}» ({pack.category(category).clause}): категория и "
                       "дорожная карта программы автоматически не меняются")
    session.flush()
    return result


def _category_label(pack: RegulationPack, category: str | None) -> str:
    if not category:
        return "без категории"
    try:
        return pack.category(category).label
    except NotFound:  # a category the pack no longer has is shown by its id
        return category


def _mentor_reevaluations(session: Session, actor: Actor, organization: Organization, person: Person,
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
    previous = _previous(session, person.id, ruleset)
    decision = default_registry().decide(ruleset, facts_for(ruleset, person))
    subject = ({"appointment_id": appointment.id} if appointment is not None
               else {"instance_id": instance.id} if instance is not None else {})
    body = _with_reason(decision, changes, previous.id if previous else None, **subject)
    row = record_decision(session, body, actor=actor, person_id=person.id)
    result = Reevaluation("mentor" if appointment is not None else "candidate", organization,
                          previous.body if previous else None, body, row.id if row else None,
                          appointment=appointment, instance=instance)
    if decision["verdict"] != "eligible":
        clause = _sources(decision) or pack.seed
        if appointment is not None:
            result.flag = (f"{person.full_name} больше не соответствует требованиям к наставнику ({clause}): "
                           "назначение приказом не меняется автоматически — решите, нужно ли освобождение")
        elif instance is not None:
            result.flag = (f"кандидат {person.full_name} больше не соответствует требованиям к наставнику ({clause}): "
                           f"процесс назначения №{instance.id} идёт по прежнему решению")
    return [result]


def correct_facts(session: Session, actor: Actor, person_id: int, raw: Mapping[str, object], *,
                  clock: Clock | None = None) -> Correction:
    """Write the facts sent (a form's text; a field not sent is left as it is, an empty one cleared), audited
    old → new, then re-evaluate the decisions that rest on them (see the module's docstring). Refused field by
    field (``FactProblems``) with nothing changed."""
    form = fact_form(session, actor, person_id)
    values, problems = parse_values(form.fields, raw, text=True, partial=True)
    if problems:
        raise FactProblems(problems, where=problems[0].field)
    person = form.person
    changes = apply_values(session, person, form.fields, values, actor=actor, reason=AUDIT_ACTION)
    known = {item.name: item for item in form.fields}
    correction = Correction(person, changes, shown=[(c.label, shown(known[c.field], c.old), shown(known[c.field], c.new))
                                                    for c in changes])
    if not changes:
        return correction
    for organization in form.organizations:
        today = organization_today(session, organization, clock)
        entries = session.scalars(select(Mentee).where(
            Mentee.person_id == person.id, Mentee.organization_id == organization.id,
            Mentee.status.in_(mentee_registry.OPEN_STATUSES)).order_by(Mentee.id))
        for entry in entries:
            found = _mentee_reevaluation(session, actor, organization, entry, changes, today)
            if found is not None:
                correction.reevaluations.append(found)
        correction.reevaluations.extend(_mentor_reevaluations(session, actor, organization, person, changes, today))
    return correction


def problems_by_field(error: FactProblems) -> dict[str, list[str]]:
    """The refusal's messages under the fields they concern (the form shows each next to its field)."""
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        if isinstance(problem, FieldProblem):
            found.setdefault(problem.field, []).append(problem.message)
    return found


def decision_history(session: Session, actor: Actor, person_id: int, *, limit: int = 30) -> list[Decision]:
    """The person's decisions by the person rule files of the curator's organizations' packs, newest first
    (the history the corrections add to; the earlier decisions are never changed)."""
    rulesets = {ruleset for organization in curator_organizations(session, actor)
                for ruleset in (pack_of(organization).ruleset(p) for p in PERSON_RULESETS) if ruleset}
    if not rulesets:
        return []
    return list(session.scalars(select(Decision).where(Decision.person_id == person_id,
                                                       Decision.ruleset_id.in_(rulesets))
                                .order_by(Decision.id.desc()).limit(limit)))



def discrepancies(session: Session, actor: Actor, person_id: int, *, today: date | None = None) -> dict[str, str]:
    """What the person's card flags for the curator after corrections, by ``mentee-<entry id>`` and
    ``appointment-<id>``: an open mentee entry whose latest decision (recorded after the entry's own) places the
    person elsewhere or nowhere; an appointment in force whose mentor's latest eligibility decision says they no
    longer meet the requirements. Nothing is changed here."""
    flags: dict[str, str] = {}
    for organization in curator_organizations(session, actor):
        day = today or organization_today(session, organization)
        pack = pack_of(organization)
        category_ruleset = pack.ruleset("mentee_category") or pack.ruleset("mentee_eligibility")
        entries = session.scalars(select(Mentee).where(Mentee.person_id == person_id,
                                                       Mentee.organization_id == organization.id,
                                                       Mentee.status.in_(mentee_registry.OPEN_STATUSES)))
        for entry in entries:
            latest = _previous(session, person_id, category_ruleset) if category_ruleset else None
            if latest is None or latest.id <= (entry.decision_id or 0):
                continue
            decided = pack.category_for_roadmap(str((latest.body.get("outputs") or {}).get("roadmap_id") or ""))
            confirms = latest.verdict == "eligible" or (latest.verdict == "categorized" and decided is not None
                                                        and decided.id == entry.category)
            if not confirms:
                now = f"«{decided.label}»" if latest.verdict == "categorized" and decided else latest.body.get(
                    "verdict_label", latest.verdict)
                flags[f"mentee-{entry.id}"] = (f"по сведениям, исправленным {latest.made_at:%d.%m.%Y}: {now}; запись "
                                               f"в базе — «{_category_label(pack, entry.category)}»")
        mentor_ruleset = pack.ruleset("mentor_eligibility")
        if mentor_ruleset is None:
            continue
        for appointment in session.scalars(appointed_on_stmt(day, organization_id=organization.id,
                                                             person_id=person_id)):
            latest = _previous(session, person_id, mentor_ruleset)
            if latest is not None and latest.verdict != "eligible" and local_day(latest.made_at, zone_of(organization)) >= appointment.starts_on:
                flags[f"appointment-{appointment.id}"] = (f"больше не соответствует требованиям к наставнику "
                                                          f"({_sources(latest.body) or pack.seed}) — по решению от "
                                                          f"{latest.made_at:%d.%m.%Y}")
    return flags
