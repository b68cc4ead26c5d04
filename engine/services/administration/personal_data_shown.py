"""How a personal data export reads in Russian: the labels of the person's own columns (``PERSON_SHOWN``), of
statuses, kinds and audit actions, the names shown for the ids a row holds (``Namer``: people, organizations, an
audit entry's action), a row made JSON-ready with the withheld columns left out (``row_dict``) and the rule facts
with their labels from the person's pack (``facts_shown``). What is collected is in ``personal_data``."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from engine.db.models import EMAIL_CHOICE_LABELS, LIFECYCLES, AuditEntry, Organization, Person, Program
from engine.services.administration.personal_data_sections import WITHHELD
from engine.services.audit.history import entry_teller
from engine.services.development_plans.plans import OUTCOME_LABELS, STATE_LABELS, all_section_labels
from engine.services.notifications.kinds import KINDS
from engine.services.people.actor import ROLE_LABELS
from engine.services.people.person_fields import person_fields
from engine.services.people.person_fields import shown as field_shown

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
    ("notifications", "kind"): {code: kind.label for code, kind in KINDS.items()},
    ("notifications", "email_state"): {"not_wanted": "не присылается", "pending": "ждёт отправки",
                                       "in_digest": "в ежедневной сводке", "sent": "отправлено",
                                       "failed": "не доставлено"},
    ("notification_preferences", "kind"): {code: kind.label for code, kind in KINDS.items()},
    ("notification_preferences", "email"): {str(choice): label for choice, label in EMAIL_CHOICE_LABELS.items()},
    ("development_plans", "state"): dict(STATE_LABELS),
    ("development_plan_items", "outcome"): dict(OUTCOME_LABELS),
    ("development_plan_items", "section"): all_section_labels(),
    ("outgoing_emails", "purpose"): {"notification": "уведомление", "digest": "ежедневная сводка",
                                     "invitation": "приглашение", "password_reset": "сброс пароля"},
}
# what the audit trail's entries about people say (the others: engine.services.audit.history)
ACTION_LABELS: dict[str, str] = {
    "auth.login": "вход в систему", "auth.logout": "выход из системы", "person.created": "создана запись о человеке",
    "person.changed": "изменены сведения о человеке", "person.deactivated": "учётная запись отключена",
    "person.data_exported": "выгрузка персональных данных", "person.anonymized": "персональные данные обезличены",
    "api_token.issued": "выпущен токен API", "api_token.revoked": "отозван токен API",
    "notifications.preferences_changed": "изменён выбор доставки уведомлений",
    "calendar_feed.issued": "выдан адрес календаря сроков", "calendar_feed.revoked": "отключён адрес календаря сроков",
    "job.retried": "фоновое задание запущено повторно", "job.skipped": "фоновое задание пропущено",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def row_dict(table: Table, row: Any) -> dict[str, Any]:
    return {c.name: _plain(row[c.name]) for c in table.columns if (table.name, c.name) not in WITHHELD}


class Namer:
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


def shown_value(namer: Namer, table: Table, column: str, row: Any) -> Any:
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


def facts_shown(person: Person) -> list[tuple[str, Any]]:
    """The facts the rule files read, with their labels and units from the declarations of the person's pack; a
    stored fact no declaration names is shown by its name."""
    facts = {name: value for name, value in person.rule_facts().items() if value is not None}
    declared = [item for item in (person_fields(person.organization) if person.organization else ()) if item.is_fact]
    shown: list[tuple[str, Any]] = [(item.label, field_shown(item, facts.pop(item.name)))
                                    for item in declared if item.name in facts]
    if facts:
        shown.append(("другие сведения для правил", ", ".join(f"{k}: {_plain(v)}" for k, v in sorted(facts.items()))))
    return shown or [("сведения для правил", None)]
