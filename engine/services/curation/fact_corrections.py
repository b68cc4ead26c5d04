"""The curator corrects a person's rule facts (years as head, efficiency %, …) and sees the decisions that
rest on them re-evaluated (003 §3.3: the curator keeps the personified record of mentors and mentees and
updates it, at least yearly).

Only the facts the organization's rule files read are corrected here (``person_fields`` filtered to the rule
facts, with the date of birth where a rule reads the age); every change is audited old → new
(``apply_values``). Then, in each of the curator's organizations the person belongs to, the decisions about
their open mentee entries and their appointment (or running appointment process) are re-evaluated and recorded
as new decisions (``fact_reevaluation`` says what is applied and what is only flagged); what the person's card
flags afterwards, and the decision history, are in ``fact_discrepancies``."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Mentee, MentorAppointment, Organization, Person, log_access
from engine.errors import NotFound, PermissionDenied, ProblemsError
from engine.services.curation.fact_reevaluation import Reevaluation, mentee_reevaluation, mentor_reevaluations
from engine.services.curation.registry_edits import curator_organizations
from engine.services.mentorship import mentee_registry
from engine.services.mentorship.basics import belongs_to
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
            found = mentee_reevaluation(session, actor, organization, entry, changes, today)
            if found is not None:
                correction.reevaluations.append(found)
        correction.reevaluations.extend(mentor_reevaluations(session, actor, organization, person, changes, today))
    return correction


def problems_by_field(error: FactProblems) -> dict[str, list[str]]:
    """The refusal's messages under the fields they concern (the form shows each next to its field)."""
    found: dict[str, list[str]] = {}
    for problem in error.problems:
        if isinstance(problem, FieldProblem):
            found.setdefault(problem.field, []).append(problem.message)
    return found
