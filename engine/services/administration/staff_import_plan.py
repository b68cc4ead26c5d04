"""The staff import's plan: the file's columns resolved to person fields, its rows to people to create, change or
leave alone, and every problem by row and column. Read only: the people are loaded in a few batched queries (by
e-mail and personnel number), never one query per row."""
from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.db.models import Organization, Person
from engine.services.administration.staff_files import StaffFileError, StaffTable, column_letter
from engine.services.administration.staff_template import ORGANIZATION_COLUMN
from engine.services.people.actor import subtree
from engine.services.people.person_fields import (
    PersonField,
    current_value,
    field_by_label,
    parse_values,
    person_fields,
    shown,
)

ORGANIZATION_NAMES = {ORGANIZATION_COLUMN.lower(), "organization"}
BATCH = 500  # values per IN (…) of a lookup query


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None  # the column's header as the file writes it
    value: str
    message: str

    def __str__(self) -> str:
        where = f"строка {self.row}" + (f", столбец «{self.column}»" if self.column else "")
        value = f"«{self.value}» — " if self.value else ""
        return f"{where}: {value}{self.message}"


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: str
    old: str
    new: str
    value: Any  # the new typed value


@dataclass(frozen=True)
class PlannedRow:
    row: int
    full_name: str
    organization_id: int
    organization_name: str
    values: dict[str, Any]  # the typed values of the row's non-empty cells
    person_id: int | None = None
    changes: tuple[ShownChange, ...] = ()
    moves: bool = False  # to another organization of the tree (the «Организация» column)


@dataclass
class ImportPlan:
    kind: str
    columns: tuple[str, ...]
    organizations: tuple[Organization, ...]
    people: dict[int, Person] = field(default_factory=dict)
    created: tuple[PlannedRow, ...] = ()
    changed: tuple[PlannedRow, ...] = ()
    unchanged: tuple[PlannedRow, ...] = ()
    problems: tuple[RowProblem, ...] = ()
    problem_rows: tuple[int, ...] = ()
    field_sets: dict[int, tuple[PersonField, ...]] = field(default_factory=dict)

    def fields_of(self, organization: Organization) -> tuple[PersonField, ...]:
        if organization.id not in self.field_sets:
            self.field_sets[organization.id] = person_fields(organization)
        return self.field_sets[organization.id]


def _near(title: str, known: list[str]) -> str:
    lowered = title.lower()
    starts = [label for label in known if label.lower().startswith(lowered) or lowered in label.lower().split()]
    close = starts or difflib.get_close_matches(lowered, known, n=1, cutoff=0.5) or difflib.get_close_matches(
        lowered, [label.lower() for label in known], n=1, cutoff=0.5)
    match = next((label for label in known if label.lower() == close[0].lower()), close[0]) if close else None
    return f" — возможно, «{match}»" if match else ""


def columns_of(header: tuple[str, ...], fields: tuple[PersonField, ...]) -> dict[int, PersonField | None]:
    """Column index → its field (None: the «Организация» column); ``StaffFileError`` naming every unknown column
    with the nearest known label, a field given twice, and a missing «ФИО» or matching key."""
    by_label = field_by_label(fields)
    known = [item.label for item in fields] + [ORGANIZATION_COLUMN]
    found: dict[int, PersonField | None] = {}
    problems: list[str] = []
    taken: dict[str, str] = {}
    for index, title in enumerate(header):
        key = title.lower()
        where = f"столбец {column_letter(index)} «{title}»"
        if key in ORGANIZATION_NAMES:
            item, name = None, "organization"
        elif key in by_label:
            item = by_label[key]
            name = item.name
        else:
            problems.append(f"{where}: такого поля нет{_near(title, known)} (столбцы — в шаблоне файла)")
            continue
        if name in taken:
            problems.append(f"{where}: то же поле, что в столбце «{taken[name]}»")
            continue
        taken[name] = title
        found[index] = item
    names = {item.name for item in found.values() if item is not None}
    if "full_name" not in names:
        problems.append("нет столбца «ФИО»")
    if not names & {"email", "personnel_number"}:
        problems.append("нет столбца «Электронная почта» или «Табельный номер»: по ним находятся люди при "
                        "повторном импорте")
    if problems:
        raise StaffFileError(problems)
    return found


def _batched(values: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def _people(session: Session, emails: set[str], numbers: set[str], tree: set[int]):
    by_email: dict[str, list[Person]] = defaultdict(list)
    by_number: dict[str, list[Person]] = defaultdict(list)
    for chunk in _batched(emails):
        for person in session.scalars(select(Person).where(func.lower(Person.email).in_(chunk))):
            by_email[(person.email or "").lower()].append(person)
    for chunk in _batched(numbers):
        for person in session.scalars(select(Person).where(Person.personnel_number.in_(chunk),
                                                           Person.organization_id.in_(tree))):
            by_number[person.personnel_number or ""].append(person)
    return by_email, by_number


def _same(old: object, new: object) -> bool:
    """As ``apply_values`` compares (a number stored as 85.0 is the 85 of the file)."""
    return old == new or (isinstance(old, (int, float)) and isinstance(new, (int, float))
                          and not isinstance(old, bool) and not isinstance(new, bool) and float(old) == float(new))


class _Rows:
    """Walks the rows once, keeping what the plan needs."""

    def __init__(self, session: Session, organization: Organization, table: StaffTable) -> None:
        self.organization = organization
        self.table = table
        tree = subtree(session, {organization.id})
        self.organizations = tuple(session.scalars(select(Organization).where(Organization.id.in_(tree))
                                                   .order_by(Organization.id)))
        self.tree = tree
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in self.organizations:
            for name in {(org.short_name or "").lower(), org.name.lower()} - {""}:
                self.by_name[name].append(org)
        self.plan = ImportPlan(table.kind, table.header, self.organizations)
        self.columns = columns_of(table.header, self.plan.fields_of(organization))
        self.title = {item.name: table.header[index] for index, item in self.columns.items() if item is not None}
        self.org_column = next((index for index, item in self.columns.items() if item is None), None)
        emails, numbers = set(), set()
        for _number, cells in table.rows:
            for index, item in self.columns.items():
                if item is not None and item.name == "email" and cells[index]:
                    emails.add(cells[index].strip().lower())
                elif item is not None and item.name == "personnel_number" and cells[index]:
                    numbers.add(" ".join(cells[index].split()))
        self.by_email, self.by_number = _people(session, emails, numbers, tree)
        self.seen: dict[tuple[str, object], int] = {}

    def target(self, number: int, cells: tuple[str, ...], problems: list[RowProblem]) -> Organization | None:
        text = cells[self.org_column] if self.org_column is not None else ""
        if not text:
            return None
        found = self.by_name.get(text.lower(), [])
        if len(found) != 1:
            reason = ("таким названием называются несколько организаций — укажите полное название" if found else
                      f"нет такой организации среди «{self.organization.short_name or self.organization.name}» и "
                      "подчинённых ей")
            problems.append(RowProblem(number, ORGANIZATION_COLUMN if self.org_column is None else
                                       self.table.header[self.org_column], text, reason))
            return None
        return found[0]

    def match(self, number: int, values: dict[str, Any], problems: list[RowProblem]) -> Person | None:
        email, personnel = values.get("email"), values.get("personnel_number")
        found: dict[str, Person] = {}
        for key, value, index in (("email", email, self.by_email), ("personnel_number", personnel, self.by_number)):
            if not value:
                continue
            column = self.title.get(key)
            earlier = self.seen.get((key, value))
            if earlier is not None:
                problems.append(RowProblem(number, column, str(value), f"тот же человек, что в строке {earlier}"))
            else:
                self.seen[(key, value)] = number
            people = index.get(value, [])
            if len(people) > 1:
                problems.append(RowProblem(number, column, str(value), "так записаны несколько людей — исправьте "
                                           "их данные на странице людей"))
            elif people:
                found[key] = people[0]
        if len({person.id for person in found.values()}) > 1:
            problems.append(RowProblem(number, self.title.get("personnel_number"), str(personnel),
                                       "почта и табельный номер принадлежат разным людям"))
            return None
        person = next(iter(found.values()), None)
        if person is not None and person.organization_id not in self.tree:
            key = next(iter(found))
            problems.append(RowProblem(number, self.title.get(key), str(values.get(key)),
                                       "этот человек работает в организации вне вашего ведения"))
            return None
        if person is not None:
            earlier = self.seen.get(("person", person.id))
            if earlier is not None and not any(p.row == number for p in problems):
                problems.append(RowProblem(number, None, "", f"тот же человек, что в строке {earlier}"))
            self.seen.setdefault(("person", person.id), number)
        return person

    def row(self, number: int, cells: tuple[str, ...]) -> tuple[PlannedRow | None, list[RowProblem]]:
        problems: list[RowProblem] = []
        chosen = self.target(number, cells, problems)
        target = chosen or self.organization
        fields = self.plan.fields_of(target)
        names = {item.name for item in fields}
        raw: dict[str, object] = {}
        for index, item in self.columns.items():
            if item is None or not cells[index]:
                continue
            if item.name not in names:
                problems.append(RowProblem(number, self.table.header[index], cells[index],
                                           f"у организации «{target.short_name or target.name}» такого поля нет"))
                continue
            raw[item.name] = cells[index]
        values, issues = parse_values(fields, raw, text=True, partial=True)
        problems.extend(RowProblem(number, self.title.get(issue.field, issue.label), str(raw.get(issue.field) or ""),
                                   issue.message) for issue in issues)
        person = self.match(number, values, problems)
        if person is None and "full_name" not in values and not problems:
            problems.append(RowProblem(number, self.title.get("full_name"), "", "обязательное поле не заполнено"))
        if person is None and not values.get("email") and not values.get("personnel_number") and not problems:
            key = self.title.get("email") or self.title.get("personnel_number")
            problems.append(RowProblem(number, key, "", "нужна электронная почта или табельный номер: по ним человек "
                                       "находится при повторном импорте"))
        if problems:
            return None, problems
        if person is None:
            return PlannedRow(number, str(values["full_name"]), target.id, target.short_name or target.name,
                              values), []
        known = {item.name: item for item in fields}
        changes = tuple(ShownChange(name, known[name].label, shown(known[name], current_value(person, name)),
                                    shown(known[name], value), value)
                        for name, value in values.items() if not _same(current_value(person, name), value))
        moves = chosen is not None and chosen.id != person.organization_id
        self.plan.people[person.id] = person
        placed = chosen or next((org for org in self.organizations if org.id == person.organization_id), target)
        return PlannedRow(number, person.full_name, placed.id, placed.short_name or placed.name,
                          {change.field: change.value for change in changes}, person.id, changes, moves), []


def plan_rows(session: Session, organization: Organization, table: StaffTable) -> ImportPlan:
    """The plan of importing ``table`` into ``organization`` (nothing written)."""
    rows = _Rows(session, organization, table)
    created: list[PlannedRow] = []
    changed: list[PlannedRow] = []
    unchanged: list[PlannedRow] = []
    problems: list[RowProblem] = []
    problem_rows: list[int] = []
    for number, cells in table.rows:
        planned, found = rows.row(number, cells)
        if found:
            problems.extend(found)
            problem_rows.append(number)
        elif planned is not None and planned.person_id is None:
            created.append(planned)
        elif planned is not None and (planned.changes or planned.moves):
            changed.append(planned)
        elif planned is not None:
            unchanged.append(planned)
    plan = rows.plan
    plan.created, plan.changed, plan.unchanged = tuple(created), tuple(changed), tuple(unchanged)
    plan.problems, plan.problem_rows = tuple(problems), tuple(problem_rows)
    return plan
