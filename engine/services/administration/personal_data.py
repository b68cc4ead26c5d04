"""A person's request under 152-ФЗ, ст. 14: everything stored about them, as a JSON document and as sections the
page shows in Russian (``export_person``). Who may ask: the person for their own data, an administrator of the
person's organization or of one above it, and the command line (the system). Every export is written in the
access log (who read the data, when, why) and in the audit trail.

What is read: the person's row (every column but the password's hash), every row of every table whose column names
the person (``personal_data_sections.SECTIONS``; a test walks the metadata so none is forgotten), and the rows that
name the person without such a column: the programs of their pairs and groups, the orders that name them (those of
their appointments, pairs, roles, and any whose text carries their full name — as signed, never rewritten), the audit
entries about them and the diagnoses of their competencies as a trainee.

Who may ask is checked in ``personal_data_access``; how the rows read in Russian is in ``personal_data_shown``;
the tables read are listed in ``personal_data_sections``. Anonymization is in ``anonymization``."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, false, or_, select
from sqlalchemy.orm import Session

from engine.db.base import Base
from engine.db.models import (
    AuditEntry,
    CompetenceDiagnosis,
    GroupMember,
    Mentee,
    MentorAppointment,
    MentoringGroup,
    NetworkMember,
    NetworkWorkRecord,
    Order,
    Person,
    Program,
    RoleAssignment,
    WorkflowInstance,
    log_access,
    record_audit,
)
from engine.db.types import utcnow
from engine.services.administration.personal_data_access import person_or_404, require_person_administrator
from engine.services.administration.personal_data_sections import (
    INDIRECT_SHOWN,
    INDIRECT_TABLES,
    INDIRECT_TITLES,
    SECTIONS,
    WITHHELD,
)
from engine.services.administration.personal_data_shown import (
    PERSON_SHOWN,
    Namer,
    facts_shown,
    row_dict,
    shown_value,
)
from engine.services.people.actor import Actor

EXPORT_PURPOSE = "выгрузка персональных данных по запросу (152-ФЗ, ст. 14)"


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


def _section(namer: Namer, key: str, title: str, table: Table, rows: list[Any], relations: dict[str, str],
             shown: tuple[tuple[str, str], ...], person_id: int) -> ExportSection:
    shown_rows = []
    for row in rows:
        relation = ", ".join(label for column, label in relations.items() if row[column] == person_id)
        shown_rows.append(ShownRow(relation, [(label, shown_value(namer, table, column, row)) for column, label in shown]))
    return ExportSection(key, title, [row_dict(table, row) for row in rows], shown_rows)


def _rows(session: Session, table: Table, condition: Any) -> list[Any]:
    order = list(table.primary_key.columns)
    return list(session.execute(select(table).where(condition).order_by(*order)).mappings())


def _direct_sections(session: Session, namer: Namer, person_id: int) -> list[ExportSection]:
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


def _indirect_sections(session: Session, namer: Namer, person: Person) -> list[ExportSection]:
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


def _person_record(session: Session, namer: Namer, person: Person) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    table = Base.metadata.tables["persons"]
    row = session.execute(select(table).where(table.c.id == person.id)).mappings().one()
    record = row_dict(table, row)
    record["password_set"] = row["password_hash"] is not None
    shown = [(label, shown_value(namer, table, column, row)) for column, label in PERSON_SHOWN]
    return record, shown + facts_shown(person)


def collect(session: Session, person: Person) -> PersonalDataExport:
    """Everything stored about ``person`` (no permission check, nothing logged: ``export_person`` does both)."""
    namer = Namer(session)
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
