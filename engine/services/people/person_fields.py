"""What is entered about a person, and how: the minimum personal data (152-ФЗ) and the facts the organization's
rule files read, typed from the rule files' own declarations (their Russian labels, units and limits) — a new
fact in a rule file appears in the forms and the staff import without code.

One contract for every channel (the administrator's form, the curator's correction, the staff import, the API):
``person_fields`` lists the fields, ``parse_values`` types what was sent (text from a form or a spreadsheet, JSON
values from the API) and names every problem by field, ``apply_values`` writes them and audits old → new."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from engine.db.models import RULE_FACT_FIELDS, Organization, Person, record_audit
from engine.errors import NotFound
from engine.regulations import pack_of
from engine.rules import default_registry
from engine.rules.facts import display, typed_value
from engine.rules.model import Fact
from engine.services.people.actor import Actor

# ruleset purposes whose facts describe a person (a bonus ruleset reads a mentor's work in a program instead)
PERSON_PURPOSES = ("mentor_eligibility", "mentee_category", "mentee_eligibility")
# facts the system supplies at the moment of a decision, never entered: the category the curator names; the
# age, computed from the date of birth (``Person.rule_facts``)
SUPPLIED_FACTS = {"category"}
DERIVED_FROM = {"age_years": "birth_date"}

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()\-]{5,31}$")
TRUE_WORDS = {"да", "д", "yes", "y", "true", "1", "+", "истина"}
FALSE_WORDS = {"нет", "н", "no", "n", "false", "0", "-", "ложь"}


@dataclass(frozen=True)
class PersonField:
    """One thing entered about a person: a column or a rule-file fact."""

    name: str
    label: str
    kind: str  # text | email | phone | date | number | bool | enum | list
    required: bool = False
    max_length: int | None = None
    fact: Fact | None = None  # the rule file's declaration (facts only)
    rulesets: tuple[str, ...] = ()  # the rule files that read it
    values: dict[str, str] = field(default_factory=dict)  # enum value -> label

    @property
    def is_fact(self) -> bool:
        return self.fact is not None


BASE_FIELDS: tuple[PersonField, ...] = (
    PersonField("full_name", "ФИО", "text", required=True, max_length=300),
    PersonField("position", "Должность", "text", max_length=200),
    PersonField("email", "Электронная почта", "email", max_length=254),
    PersonField("phone", "Телефон", "phone", max_length=32),
    PersonField("personnel_number", "Табельный номер", "text", max_length=64),
)
BIRTH_DATE = PersonField("birth_date", "Дата рождения (только для возраста, который читают правила)", "date")


@dataclass(frozen=True)
class FieldProblem:
    field: str
    label: str
    value: object
    message: str

    def __str__(self) -> str:
        shown = f"«{self.value}» — " if self.value not in (None, "") else ""
        return f"«{self.label}»: {shown}{self.message}"


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: object
    new: object


def _fact_kind(fact: Fact) -> str:
    return {"number": "number", "bool": "bool", "enum": "enum"}.get(fact.type, "list")


def person_fields(organization: Organization) -> tuple[PersonField, ...]:
    """The fields of a person of ``organization``: the base data, then the facts its pack's person rule files
    declare (in the order they declare them; a fact two files read is one field)."""
    try:
        regulation = pack_of(organization)
    except NotFound:
        return BASE_FIELDS
    registry = default_registry()
    facts: dict[str, PersonField] = {}
    birth_date = False
    for purpose in PERSON_PURPOSES:
        ruleset_id = regulation.ruleset(purpose)
        if ruleset_id is None:
            continue
        for name, fact in registry.get(ruleset_id).facts.items():
            if name in SUPPLIED_FACTS:
                continue
            if name in DERIVED_FROM:
                birth_date = True
                continue
            known = facts.get(name)
            if known is not None:
                facts[name] = PersonField(**{**known.__dict__, "rulesets": (*known.rulesets, ruleset_id)})
                continue
            facts[name] = PersonField(name, fact.label, _fact_kind(fact), fact=fact, rulesets=(ruleset_id,),
                                      values=dict(fact.values))
    return (*BASE_FIELDS, *((BIRTH_DATE,) if birth_date else ()), *facts.values())


def field_by_label(fields: Iterable[PersonField]) -> dict[str, PersonField]:
    """Fields by their lower-cased label and name (a spreadsheet's header may use either)."""
    found: dict[str, PersonField] = {}
    for item in fields:
        found[item.name.lower()] = item
        found[item.label.lower()] = item
    return found


def _number_text(text: str) -> float:
    try:
        return float(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except ValueError:
        raise ValueError("не число") from None


def _bool_text(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("ожидается «да» или «нет»")


def _enum_text(item: PersonField, text: str) -> str:
    for value, label in item.values.items():
        if text.lower() in (value.lower(), label.lower()):
            return value
    raise ValueError("допустимо: " + ", ".join(f"«{label}»" for label in item.values.values()))


def _date_text(text: str) -> date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("ожидается дата ДД.ММ.ГГГГ")


def _text_value(item: PersonField, raw: str) -> object:
    """A form's or spreadsheet's text as the value the field's kind expects (validated after)."""
    text = raw.strip()
    readers = {"number": _number_text, "bool": _bool_text, "date": _date_text,
               "enum": lambda value: _enum_text(item, value),
               "list": lambda value: [part.strip() for part in re.split(r"[;\n]", value) if part.strip()]}
    reader = readers.get(item.kind)
    return reader(text) if reader is not None else text


def _checked_date(value: object) -> date:
    if isinstance(value, str):
        value = _date_text(value.strip())
    if not isinstance(value, date):
        raise ValueError("ожидается дата")
    if not date(1900, 1, 1) <= value <= date.today():
        raise ValueError("дата вне допустимого диапазона")
    return value


def _checked_text(item: PersonField, value: object) -> str | None:
    if not isinstance(value, str):
        raise ValueError("ожидается строка")
    text = " ".join(value.split())
    if item.max_length is not None and len(text) > item.max_length:
        raise ValueError(f"длиннее {item.max_length} знаков")
    if item.kind == "email":
        text = text.lower()
        if text and not EMAIL.match(text):
            raise ValueError("не адрес электронной почты")
    if item.kind == "phone" and text and not PHONE.match(text):
        raise ValueError("не номер телефона")
    return text or None


def _checked(item: PersonField, value: object) -> object:
    """``value`` valid for the field, else ``ValueError`` with the reason."""
    if item.fact is not None:
        typed, issue = typed_value(item.fact, value)
        if issue is not None:
            raise ValueError(issue.message)
        return typed
    if item.kind == "date":
        return _checked_date(value)
    return _checked_text(item, value)


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _one_value(item: PersonField, value: object, text: bool) -> object:
    if text:
        if not isinstance(value, str):
            raise ValueError("ожидается текст")
        value = _text_value(item, value)
    return _checked(item, value)


def parse_values(fields: Iterable[PersonField], raw: Mapping[str, object], *, text: bool,
                 partial: bool = False) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Typed values of the fields sent and every problem by field. ``text``: values are a form's or a
    spreadsheet's strings; otherwise JSON values. An empty value clears the field. Without ``partial`` a
    required field missing is a problem; names of no field are problems too."""
    known = {item.name: item for item in fields}
    values: dict[str, Any] = {}
    problems = [FieldProblem(str(name), str(name), None, "такого поля нет") for name in raw if name not in known]
    for item in known.values():
        missing = item.name not in raw
        if missing and (partial or not item.required):
            continue
        value = None if missing else raw[item.name]
        if _is_empty(value):
            if item.required:
                problems.append(FieldProblem(item.name, item.label, None, "обязательное поле не заполнено"))
            else:
                values[item.name] = None
            continue
        try:
            values[item.name] = _one_value(item, value, text)
        except ValueError as refused:
            problems.append(FieldProblem(item.name, item.label, value, str(refused)))
    return values, problems


def current_value(person: Person, name: str) -> object:
    if hasattr(Person, name):
        return getattr(person, name)
    return (person.extra_facts or {}).get(name)


def shown(item: PersonField | None, value: object) -> str:
    """A value as the audit and the pages show it."""
    if value is None:
        return "—"
    if item is not None and item.fact is not None:
        return display(item.fact, value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def form_text(item: PersonField, value: object) -> str:
    """A stored value as a form's input holds it (what ``parse_values(text=True)`` reads back): numbers without a
    needless «.0», «да»/«нет», an enum's value, a list one item a line, a date as ISO (the date input's)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if item.kind == "list" and isinstance(value, (list, tuple)):
        return "\n".join(str(part) for part in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def apply_values(session: Session, person: Person, fields: Iterable[PersonField], values: Mapping[str, Any], *,
                 actor: Actor, reason: str = "person.changed", flush: bool = True) -> list[Change]:
    """Write the parsed ``values`` on the person (columns, or ``extra_facts`` for a fact without a column) and
    audit every change with its old and new value (the caller commits). Returns the changes; nothing equal is
    rewritten. ``flush=False``: the person already has its id and the caller flushes many people at once (the
    staff import)."""
    known = {item.name: item for item in fields}
    changes: list[Change] = []
    extra = dict(person.extra_facts or {})
    for name, new in values.items():
        item = known[name]
        old = current_value(person, name)
        if old == new or (isinstance(old, (int, float)) and isinstance(new, (int, float))
                          and not isinstance(old, bool) and float(old) == float(new)):
            continue
        changes.append(Change(name, item.label, old, new))
        if hasattr(Person, name) and (name in RULE_FACT_FIELDS or not item.is_fact):
            setattr(person, name, new)
        elif new is None:
            extra.pop(name, None)
        else:
            extra[name] = new
    if extra != (person.extra_facts or {}):
        person.extra_facts = extra or None
    if changes:
        if flush:
            session.flush()
        record_audit(session, reason, actor=actor.person_id, object_type="person", object_id=person.id,
                     organization=person.organization_id,
                     details={"changes": [{"field": c.field, "label": c.label, "old": shown(known[c.field], c.old),
                                           "new": shown(known[c.field], c.new)} for c in changes]})
    return changes
