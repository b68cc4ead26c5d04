"""A person's request under 152-ФЗ, ст. 14: everything stored about them, as a JSON document and as sections the
page shows in Russian (``export_person``). Who may ask: the person for their own data, an administrator of the
person's organization or of one above it, and the command line (the system). Every export is written in the
access log (who read the data, when, why) and in the audit trail.

What is read: the person's row (every column but the password's hash), every row of every table whose column names
the person (``personal_data_sections.SECTIONS``; a test walks the metadata so none is forgotten), and the rows that
name the person without such a column: the programs of their pairs and groups, the orders that name them (those of
their appointments, pairs, roles, and any whose text carries their full name — as signed, never rewritten), the audit
entries about them and the diagnoses of their competencies as a trainee.

Anonymization is in ``anonymization``."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, false, or_, select
from sqlalchemy.orm import Session

from engine.db.base import Base
from engine.db.models import (
    LIFECYCLES,
    AuditEntry,
    CompetenceDiagnosis,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    NetworkMember,
    NetworkWorkRecord,
    Order,
    Organization,
    Person,
    Program,
    RoleAssignment,
    WorkflowInstance,
    log_access,
    record_audit,
)
from engine.db.types import utcnow
from engine.errors import NotFound, PermissionDenied
from engine.services.administration.personal_data_sections import (
    INDIRECT_SHOWN,
    INDIRECT_TABLES,
    INDIRECT_TITLES,
    SECTIONS,
    WITHHELD,
)
from engine.services.audit.history import entry_teller
from engine.services.people.actor import ROLE_LABELS, Actor, administered_organizations
from engine.services.people.person_fields import person_fields
from engine.services.people.person_fields import shown as field_shown

EXPORT_PURPOSE = "выгрузка персональных данных по запросу (152-ФЗ, ст. 14)"
PERSON_SHOWN: tuple[tuple[str, str], ...] = (
    ("full_name", "ФИО"), ("login", "логин"), ("email", "электронная почта"), ("phone", "телефон"),
    ("position", "должность"), ("organization_id", "место работы"), ("personnel_number", "табельный номер"),
    ("birth_date", "дата рождения"), ("is_active", "может входить в систему"), ("created_at", "запись создана"),
    ("updated_at", "запись изменена"), ("anonymized_at", "обезличен(а)"),
)
STATUS_LABELS: dict[str, dict[str, str]] = {lc.table: dict(lc.labels) for lc in LIFECYCLES}
VALUE_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("consents", "kind"): {"participation": "согласие на участие в паре (группе)",
                           "personal_data": "согласие на обработку персональных данных"},
    ("account_links", "purpose"): {"invitation": "приглашение", "password_reset": "сброс пароля"},
    ("competence_diagnoses", "kind"): {"self": "самодиагностика", "monitoring": "мониторинг администрацией"},
    ("workflow_instances", "status"): {"running": "выполняется", "completed": "завершён", "cancelled": "отменён",
                                       "error": "остановлен из-за ошибки"},
}
# what the audit trail's entries about people say (the others: engine.services.audit.history)
ACTION_LABELS: dict[str, str] = {
    "auth.login": "вход в систему", "auth.logout": "выход из системы", "person.created": "создана запись о человеке",
    "person.changed": "изменены сведения о человеке", "person.deactivated": "учётная запись отключена",
    "person.data_exported": "выгрузка персональных данных", "person.anonymized": "персональные данные обезличены",
    "api_token.issued": "выпущен токен API", "api_token.revoked": "отозван токен API",
}


@dataclass(frozen=True)
class ShownRow:
    relation: str  # what the person is to the row: «подписал(а)», «наставник», …
    fields: list[tuple[str, Any]]  # (Russian label, value: text, number, date, datetime, bool or None)


@dataclass(frozen=True)
class ExportSection:
    key: str
    title: str
    rows: list[dict[str, Any]]  # every column (JSON-ready) but the withheld ones
    shown: list[ShownRow]


@dataclass(frozen=True)
class PersonalDataExport:
    person_id: int
    full_name: str
    is_active: bool
    anonymized: bool
    generated_at: datetime
    person: dict[str, Any]
    person_shown: list[tuple[str, Any]]
    sections: list[ExportSection] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The export as one JSON-ready document."""
        return {"person_id": self.person_id, "generated_at": self.generated_at.isoformat(),
                "basis": "152-ФЗ, ст. 14", "withheld": {f"{t}.{c}": why for (t, c), why in WITHHELD.items()},
                "person": self.person,
                "sections": {s.key: {"title": s.title, "rows": s.rows} for s in self.sections}}

    def json_text(self) -> str:
        return json.dumps(self.document(), ensure_ascii=False, indent=2)


# -- who may ---------------------------------------------------------------------------------------------------------


def person_organizations(session: Session, person: Person) -> set[int]:
    """The organizations a person belongs to for the administrators: the place of work, else those of their roles."""
    if person.organization_id is not None:
        return {person.organization_id}
    return set(session.scalars(select(RoleAssignment.organization_id).where(RoleAssignment.person_id == person.id)))


def is_person_administrator(session: Session, actor: Actor, person: Person) -> bool:
    return bool(person_organizations(session, person) & administered_organizations(session, actor))


def require_person_administrator(session: Session, actor: Actor, person: Person, *, action: str) -> None:
    if actor.is_system or is_person_administrator(session, actor, person):
        return
    raise PermissionDenied(f"{actor.full_name or actor.login}: действие «{action}» доступно только администратору "
                           f"организации, где работает человек (№ {person.id}), или вышестоящей")


def person_or_404(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"нет человека с номером {person_id}")
    return person


# -- reading ---------------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _row_dict(table: Table, row: Any) -> dict[str, Any]:
    return {c.name: _plain(row[c.name]) for c in table.columns if (table.name, c.name) not in WITHHELD}


class _Namer:
    """Names for the ids a page shows: people, organizations (looked up once each)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[int, str] = {}
        self.organizations: dict[int, str] = {}
        self.tellers: dict[str | None, Any] = {}
        self.roadmaps: dict[int, str | None] = {}  # a program's roadmap (its stages' names)

    def action(self, row: Any) -> str:
        """An audit entry's action in words (with its details: the task's name, the order's number)."""
        if row["action"] in ACTION_LABELS:
            return ACTION_LABELS[row["action"]]
        roadmap_id = None
        if row["object_type"] == "programs" and str(row["object_id"] or "").isdigit():
            program_id = int(row["object_id"])
            if program_id not in self.roadmaps:
                self.roadmaps[program_id] = self.session.scalar(select(Program.roadmap_id)
                                                                .where(Program.id == program_id))
            roadmap_id = self.roadmaps[program_id]
        if roadmap_id not in self.tellers:
            self.tellers[roadmap_id] = entry_teller(self.session, roadmap_id)
        text, details = self.tellers[roadmap_id](AuditEntry(action=row["action"], object_type=row["object_type"],
                                                            object_id=row["object_id"], details=row["details"]))
        text = text[:1].lower() + text[1:]
        return f"{text} ({details})" if details else text

    def person(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        if person_id not in self.people:
            name = self.session.scalar(select(Person.full_name).where(Person.id == person_id))
            self.people[person_id] = f"{name} (№ {person_id})" if name else f"№ {person_id}"
        return self.people[person_id]

    def organization(self, organization_id: int | None) -> str | None:
        if organization_id is None:
            return None
        if organization_id not in self.organizations:
            found = self.session.get(Organization, organization_id)
            self.organizations[organization_id] = (found.short_name or found.name) if found else f"№ {organization_id}"
        return self.organizations[organization_id]


def _person_columns(table: Table) -> set[str]:
    return {c.name for c in table.columns if any(fk.column.table.name == "persons" for fk in c.foreign_keys)}


def _shown_value(namer: _Namer, table: Table, column: str, row: Any) -> Any:
    name, _dot, key = column.partition(".")
    value = row[name]
    if key:
        return value.get(key) if isinstance(value, dict) else None
    if value is None:
        return None
    if name in _person_columns(table):
        return namer.person(value)
    if name == "organization_id":
        return namer.organization(value)
    if name == "status" and table.name in STATUS_LABELS:
        return STATUS_LABELS[table.name].get(value, value)
    if name == "action" and table.name == "audit_entries":
        return namer.action(row)
    if name == "role" and table.name == "role_assignments":
        return ROLE_LABELS.get(value, value)
    return VALUE_LABELS.get((table.name, name), {}).get(value, value) if isinstance(value, str) else _plain_shown(value)


def _plain_shown(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _section(namer: _Namer, key: str, title: str, table: Table, rows: list[Any], relations: dict[str, str],
             shown: tuple[tuple[str, str], ...], person_id: int) -> ExportSection:
    shown_rows = []
    for row in rows:
        relation = ", ".join(label for column, label in relations.items() if row[column] == person_id)
        shown_rows.append(ShownRow(relation, [(label, _shown_value(namer, table, column, row)) for column, label in shown]))
    return ExportSection(key, title, [_row_dict(table, row) for row in rows], shown_rows)


def _rows(session: Session, table: Table, condition: Any) -> list[Any]:
    order = list(table.primary_key.columns)
    return list(session.execute(select(table).where(condition).order_by(*order)).mappings())


def _direct_sections(session: Session, namer: _Namer, person_id: int) -> list[ExportSection]:
    sections = []
    for spec in SECTIONS:
        table = Base.metadata.tables[spec.table]
        rows = _rows(session, table, or_(*(table.c[column] == person_id for column in spec.person_columns)))
        sections.append(_section(namer, spec.key, spec.title, table, rows, spec.person_columns, spec.shown, person_id))
    return sections


def _group_ids(session: Session, person_id: int) -> set[int]:
    as_mentor = session.scalars(select(MentoringGroup.id).where(MentoringGroup.mentor_id == person_id))
    as_member = session.scalars(select(GroupMember.group_id).where(GroupMember.person_id == person_id))
    return set(as_mentor) | set(as_member)


def _naming_order_ids(session: Session, person: Person, group_ids: set[int]) -> set[int]:
    """Orders that name the person: those of their appointments, pairs (groups) and roles, and any whose text
    carries their full name."""
    linked = [
        select(MentorAppointment.order_id).where(MentorAppointment.person_id == person.id),
        select(MentoringGroup.order_id).where(MentoringGroup.id.in_(group_ids)),
        select(RoleAssignment.order_id).where(RoleAssignment.person_id == person.id),
    ]
    found = {order_id for stmt in linked for order_id in session.scalars(stmt) if order_id is not None}
    if person.anonymized_at is None and person.full_name.strip():
        found |= set(session.scalars(select(Order.id).where(Order.body.contains(person.full_name, autoescape=True))))
    return found


def _network_work_ids(session: Session, person_id: int) -> list[int]:
    """The network mentor's records of work a trainee took part in (``trainee_ids``, a JSON list)."""
    groups = select(NetworkMember.group_id).where(NetworkMember.person_id == person_id)
    records = session.execute(select(NetworkWorkRecord.id, NetworkWorkRecord.trainee_ids)
                              .where(NetworkWorkRecord.group_id.in_(groups))).all()
    return [record_id for record_id, trainees in records if person_id in (trainees or [])]


def _indirect_sections(session: Session, namer: _Namer, person: Person) -> list[ExportSection]:
    group_ids = _group_ids(session, person.id)
    mentee_ids = set(session.scalars(select(Mentee.id).where(Mentee.person_id == person.id)))
    conditions = {
        "programs": Program.group_id.in_(group_ids),
        "orders_naming": Order.id.in_(_naming_order_ids(session, person, group_ids)),
        "audit_about": AuditEntry.object_type.in_(("person", "persons")) & (AuditEntry.object_id == str(person.id)),
        "diagnoses_about": CompetenceDiagnosis.mentee_id.in_(mentee_ids),
        "processes_naming": (WorkflowInstance.state.contains(person.full_name, autoescape=True)
                             if person.full_name.strip() else false()),
        "network_work_about": NetworkWorkRecord.id.in_(_network_work_ids(session, person.id)),
    }
    sections = []
    for key, condition in conditions.items():
        table = Base.metadata.tables[INDIRECT_TABLES[key]]
        rows = _rows(session, table, condition)
        sections.append(_section(namer, key, INDIRECT_TITLES[key], table, rows, {}, INDIRECT_SHOWN[key], person.id))
    return sections


def _person_record(session: Session, namer: _Namer, person: Person) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    table = Base.metadata.tables["persons"]
    row = session.execute(select(table).where(table.c.id == person.id)).mappings().one()
    record = _row_dict(table, row)
    record["password_set"] = row["password_hash"] is not None
    shown = [(label, _shown_value(namer, table, column, row)) for column, label in PERSON_SHOWN]
    return record, shown + _facts_shown(person)


def _facts_shown(person: Person) -> list[tuple[str, Any]]:
    """The facts the rule files read, with their labels and units from the declarations of the person's pack; a
    stored fact no declaration names is shown by its name."""
    facts = {name: value for name, value in person.rule_facts().items() if value is not None}
    declared = [item for item in (person_fields(person.organization) if person.organization else ()) if item.is_fact]
    shown: list[tuple[str, Any]] = [(item.label, field_shown(item, facts.pop(item.name)))
                                    for item in declared if item.name in facts]
    if facts:
        shown.append(("другие сведения для правил", ", ".join(f"{k}: {_plain(v)}" for k, v in sorted(facts.items()))))
    return shown or [("сведения для правил", None)]


def collect(session: Session, person: Person) -> PersonalDataExport:
    """Everything stored about ``person`` (no permission check, nothing logged: ``export_person`` does both)."""
    namer = _Namer(session)
    record, shown = _person_record(session, namer, person)
    sections = _direct_sections(session, namer, person.id) + _indirect_sections(session, namer, person)
    return PersonalDataExport(person.id, person.full_name, bool(person.is_active), person.anonymized_at is not None,
                              utcnow(), record, shown, sections)


def export_person(session: Session, actor: Actor, person_id: int) -> PersonalDataExport:
    """Everything stored about the person (152-ФЗ, ст. 14) for the person themself, an administrator of their
    organization (or one above it) or the system; logged in the access log and audited (the caller commits)."""
    person = person_or_404(session, person_id)
    if actor.person_id != person.id:
        require_person_administrator(session, actor, person, action="выгрузка персональных данных")
    export = collect(session, person)
    log_access(session, person, EXPORT_PURPOSE, viewer=actor.person_id, fields=["всё хранимое о человеке"])
    record_audit(session, "person.data_exported", actor=actor.person_id, object_type="person", object_id=person.id,
                 organization=person.organization_id,
                 details={"sections": {s.key: len(s.rows) for s in export.sections if s.rows}})
    session.flush()
    return export


def export_for_administrator(session: Session, actor: Actor, person_id: int) -> PersonalDataExport:
    """The export as the administrator's page shows it (with the anonymization form): only for an administrator
    of the person's organization or of one above it — the person reads their own at «Мои персональные данные»."""
    person = person_or_404(session, person_id)
    require_person_administrator(session, actor, person, action="выгрузка персональных данных")
    return export_person(session, actor, person_id)
