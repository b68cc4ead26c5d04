"""Trying a ruleset: a form made from the facts the ruleset declares, a decision by a chosen stored
version (draft or deployed) that changes nothing, and the facts of a real person to start from
(reading them is logged with purpose ``rules_check``, 152-ФЗ)."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person, Role, log_access
from engine.errors import NotFound, PermissionDenied, RuleFileError
from engine.rules import RuleRegistry
from engine.rules.facts import MAX_LIST_ITEMS, MAX_TEXT, display, normalise, with_unit
from engine.rules.model import Fact, Ruleset
from engine.rules.typecheck import MAX_DECIMALS
from engine.services.methodology import rule_files
from engine.services.people.actor import Actor

ACCESS_PURPOSE = "rules_check"
BOOL_CHOICES = (("", "нет данных"), ("yes", "да"), ("no", "нет"))


@dataclass(frozen=True)
class FactField:
    """One input of the trial form."""

    name: str
    type: str  # number | bool | enum | list
    label: str
    unit: str | None
    minimum: float | None
    maximum: float | None
    integer: bool
    choices: tuple[tuple[str, str], ...]  # value -> label for bool and enum ('' = no data)
    description: str | None

    @property
    def input_name(self) -> str:
        return f"fact_{self.name}"

    @property
    def step(self) -> str:
        return "1" if self.integer else "any"


def fact_fields(ruleset: Ruleset) -> list[FactField]:
    fields = []
    for fact in ruleset.facts.values():
        choices: tuple[tuple[str, str], ...]
        if fact.type == "bool":
            choices = BOOL_CHOICES
        elif fact.type == "enum":
            choices = (("", "нет данных"), *fact.values.items())
        else:
            choices = ()
        fields.append(FactField(fact.name, fact.type, fact.label, fact.unit, fact.minimum, fact.maximum,
                                fact.integer, tuple(choices), fact.description))
    return fields


def _number(fact: Fact, raw: str) -> tuple[object, str | None]:
    try:
        value = float(raw.replace(",", ".").replace(" ", ""))
    except ValueError:
        return None, f"«{raw}» — не число"
    if not math.isfinite(value):
        return None, "ожидается конечное число"
    if fact.minimum is not None and value < fact.minimum or fact.maximum is not None and value > fact.maximum:
        low = display(None, fact.minimum) if fact.minimum is not None else "−∞"
        high = display(None, fact.maximum) if fact.maximum is not None else "∞"
        return None, f"допустимо от {low} до {high}"
    if value.is_integer():
        return int(value), None
    if fact.integer:
        return None, "ожидается целое число"
    if round(value, MAX_DECIMALS) != value:
        return None, f"не больше {MAX_DECIMALS} знаков после запятой"
    return value, None


def _value(fact: Fact, raw: str) -> tuple[object, str | None]:
    if fact.type == "number":
        return _number(fact, raw)
    if fact.type == "bool":
        if raw in ("yes", "no"):
            return raw == "yes", None
        return None, "выберите «да», «нет» или «нет данных»"
    if fact.type == "enum":
        if raw in fact.values:
            return raw, None
        return None, "выберите значение из списка"
    items = [line.strip() for line in raw.split("\n") if line.strip()]
    if len(items) > MAX_LIST_ITEMS or any(len(item) > MAX_TEXT for item in items):
        return None, f"не больше {MAX_LIST_ITEMS} строк по {MAX_TEXT} знаков"
    return items, None


def parse_facts(ruleset: Ruleset, form: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """Typed facts from the form (an empty input is «no data»; for a list, the «empty list» box says the
    list is known to be empty) and the errors by fact name."""
    facts: dict = {}
    errors: dict[str, str] = {}
    for field in fact_fields(ruleset):
        raw = (form.get(field.input_name) or "").strip()
        if field.type == "list" and not raw:
            if form.get(f"{field.input_name}_empty"):
                facts[field.name] = []
            continue
        if not raw:
            continue
        value, error = _value(ruleset.facts[field.name], raw)
        if error:
            errors[field.name] = error
        else:
            facts[field.name] = value
    _typed, issues = normalise(ruleset, facts)  # the engine's own check has the last word
    for issue in issues:
        errors.setdefault(issue.fact, issue.message)
    return facts, errors


def form_values(ruleset: Ruleset, facts: Mapping) -> dict[str, str]:
    """Form inputs showing these facts (the reverse of ``parse_facts``)."""
    values: dict[str, str] = {}
    for name, fact in ruleset.facts.items():
        value = facts.get(name)
        key = f"fact_{name}"
        if value is None:
            continue
        if fact.type == "bool":
            values[key] = "yes" if value else "no"
        elif fact.type == "list":
            values[key] = "\n".join(str(item) for item in value)
            if not value:
                values[f"{key}_empty"] = "1"
        elif fact.type == "number":
            values[key] = display(None, value).replace(",", ".")
        else:
            values[key] = str(value)
    return values


def decide(text: str, file_name: str, facts: Mapping) -> dict:
    """The decision of this exact text on the facts; the running rules are not touched."""
    registry = RuleRegistry()  # the process's durable_rules backend: compiled once per content
    problems = registry.install(text.encode("utf-8"), file_name)
    if problems:
        raise RuleFileError(problems, where=file_name)
    ruleset_id = registry.ids()[0]
    return registry.decide(ruleset_id, facts)


def try_version(session: Session, actor: Actor, name: str, version: int, facts: Mapping) -> dict:
    info = rule_files.get_file(session, actor, name)
    row = info.version(version).row
    return decide(row.content, row.file_name, facts)


def outputs_shown(ruleset: Ruleset, decision: dict) -> list[dict]:
    """Each output with its label, unit, clause and value as a person reads it."""
    shown = []
    for output in ruleset.outputs:
        value = decision["outputs"].get(output.name)
        if output.collect and isinstance(value, list):  # codes for machines; people read the criteria's labels
            labels = {str(code): c.label for c in ruleset.criteria
                      for code in [output.collect_values.get(c.id, c.id)] if c.id in output.collect_from}
            value = [labels.get(str(item), str(item)) for item in value]
        text = None if value is None else display(None, value)
        if text is not None and output.unit_forms and isinstance(value, (int, float)) and not isinstance(value, bool):
            text = with_unit(text, value, output.unit_forms)  # «4 оклада»: the unit agrees with the number
        shown.append({"name": output.name, "label": output.label, "unit": None if output.unit_forms else output.unit,
                      "source": output.source, "value": text})
    return shown


# -- a real person's facts ------------------------------------------------------------------------

def _organization_ids(session: Session, actor: Actor) -> set[int]:
    """The actor's methodologist organizations and everything under them."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in session.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    found: set[int] = set()
    todo = list(actor.organizations(Role.METHODOLOGIST))
    while todo:
        org_id = todo.pop()
        if org_id not in found:
            found.add(org_id)
            todo.extend(children.get(org_id, []))
    return found


def people(session: Session, actor: Actor) -> list[Person]:
    """People working in the actor's organizations (for «fill from a person»)."""
    organizations = _organization_ids(session, actor)
    if not organizations:
        return []
    return list(session.scalars(select(Person).where(Person.organization_id.in_(organizations),
                                                     Person.is_active.is_(True)).order_by(Person.full_name)))


def person_facts(session: Session, actor: Actor, ruleset: Ruleset, person_id: int) -> tuple[Person, dict]:
    """The person's facts this ruleset reads; the read is written to the access log."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    if person.organization_id not in _organization_ids(session, actor):
        raise PermissionDenied(f"{actor.full_name or actor.login}: {person.full_name} работает не в вашей "
                               "организации")
    facts = {name: value for name, value in person.rule_facts().items() if name in ruleset.facts}
    log_access(session, person, ACCESS_PURPOSE, viewer=actor.person_id, fields=sorted(facts))
    session.flush()
    return person, facts
